"""POST /@servicedesk-privacy/{find,export,erase}: one person's records, found by national
code, mobile or email; as one ZIP; erased. Only for those who may manage personal data
(the service's permission, and the domain API checks it again)."""

from plone.restapi.serializer.converters import json_compatible
from uni.servicedesk import _
from uni.servicedesk.api import privacy
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.receipts import PRIVATE_HEADERS
from uni.servicedesk.services.base import JsonPost
from uni.servicedesk.services.errors import error_reply
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

ACTIONS = ("find", "export", "erase")


@implementer(IPublishTraverse)
class PrivacyPost(JsonPost):
    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []
        self.stream = None  # the ZIP of an export

    def publishTraverse(self, request, name):
        self.params.append(name)  # /@servicedesk-privacy/<action>
        return self

    def render(self):
        result = super().render()
        return self.stream if self.stream is not None else result

    def reply(self):
        response = self.request.response
        for name, value in PRIVATE_HEADERS.items():
            response.setHeader(name, value)
        action = self.params[0] if len(self.params) == 1 else ""
        if action not in ACTIONS:
            return error_reply(self.request, 404, _("Use find, export or erase."))
        data = self.json_object()
        if data is None:
            return self.bad_request(_("Send the national code, mobile or email as a JSON object."))
        try:
            person = privacy.person(data)
        except privacy.PersonError as error:
            return error_reply(self.request, 400, errors=error.errors)
        if action == "find":
            return self.found(privacy.find(person))
        if action == "erase":
            if data.get("confirm") is not True:
                return error_reply(
                    self.request,
                    400,
                    errors={"confirm": _("Send confirm: true; erasing cannot be undone.")},
                )
            return privacy.erase(person)
        _found, self.stream, size = privacy.export_stream(person)
        response.setHeader("Content-Type", "application/zip")
        response.setHeader(
            "Content-Disposition", f'attachment; filename="{privacy.export_file_name()}"'
        )
        response.setHeader("Content-Length", str(size))
        return self.reply_no_content(status=200)  # the body is the stream (render)

    def found(self, found):
        return {
            "items_total": found.total,
            "requests": [
                json_compatible({
                    "@id": request.absolute_url(),
                    "tracking_code": request.tracking_code,
                    "kind": request.kind,
                    "review_state": desk_api.state(request),
                    "created": request.created(),
                    "subject": request.subject,
                    "applicant_name": request.applicant_name,
                    "files": len(request.attachments),
                })
                for request in found.requests
            ],
            "bookings": [
                json_compatible({
                    "tracking_code": booking.tracking_code,
                    "calendar": calendar.Title(),
                    "calendar_url": calendar.absolute_url(),
                    "start": booking.start,
                    "state": booking.state,
                    "applicant_name": booking.applicant_name,
                })
                for booking, calendar in found.bookings
            ],
        }
