"""POST /@cartable: a bulk action (refer, start, close, reject…) on tracking codes.

Each request goes through the domain API, which checks the permission on it; the answer
says, code by code, what was done and what was refused and why.
"""

from AccessControl import Unauthorized
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import cartable
from uni.servicedesk.services.base import JsonPost
from uni.servicedesk.services.cartable.get import errors_reply
from zope.i18n import translate


class CartablePost(JsonPost):
    def reply(self):
        if api.user.is_anonymous():
            raise Unauthorized("log in to use the cartable")
        who = cartable.check_staff()
        data = self.json_object()
        if data is None:
            return self.bad_request("Send action and codes as a JSON object.")
        codes = data.get("codes")
        if not isinstance(codes, list):
            return errors_reply(self.request, {"codes": _("Choose at least one request.")})
        try:
            results = cartable.bulk(
                codes,
                str(data.get("action") or ""),
                unit=data.get("unit"),
                expert=data.get("expert"),
                note=data.get("note") or "",
                who=who,
            )
        except cartable.FilterError as error:
            return errors_reply(self.request, error.errors)
        return {
            "action": data.get("action"),
            "done": sum(1 for r in results if r["status"] == cartable.DONE),
            "refused": sum(1 for r in results if r["status"] == cartable.REFUSED),
            "results": [
                dict(r, message=translate(r["message"], context=self.request)) for r in results
            ],
        }
