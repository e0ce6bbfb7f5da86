"""GET /@cartable: one page of a tab of the cartable, from catalog brains, and the counts."""

from AccessControl import Unauthorized
from plone import api
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from uni.servicedesk.api import cartable
from uni.servicedesk.services.errors import error_reply
from urllib.parse import urlencode
from zope.i18n import translate


def errors_reply(request, errors):
    return error_reply(request, 400, errors=errors)


class CartableGet(Service):
    def reply(self):
        if api.user.is_anonymous():
            raise Unauthorized("log in to see the cartable")
        who = cartable.check_staff()
        form = self.request.form

        def one(name, default=""):  # a parameter given twice counts once (the last)
            value = form.get(name, default)
            return str((value[-1] if value else default) if isinstance(value, list) else value)

        tab = one("tab") or cartable.default_tab(who)
        try:
            filters = cartable.parse_filters(form)
            listing = cartable.search(
                tab,
                filters,
                sort=one("sort"),
                order=one("order"),
                b_start=one("b_start", "0"),
                b_size=one("b_size", str(cartable.PAGE_SIZE)),
                who=who,
            )
        except cartable.FilterError as error:
            return errors_reply(self.request, error.errors)
        # The tabs count without filters: a listing without any gives its own tab's count.
        counts = cartable.counts(who, known={} if filters else {listing.tab: listing.total})
        return {
            "@id": self.url(listing),
            "tab": listing.tab,
            "tabs": [
                {
                    "id": t,
                    "title": translate(cartable.TAB_TITLES[t], context=self.request),
                    "count": counts[t],
                }
                for t in cartable.tabs(who)
            ],
            "sort": listing.sort,
            "order": listing.order,
            "items_total": listing.total,
            "b_start": listing.b_start,
            "b_size": listing.b_size,
            "batching": self.batching(listing),
            "items": [json_compatible(cartable.item(brain)) for brain in listing.brains],
        }

    def url(self, listing, b_start=None):
        params = {k: v for k, v in self.request.form.items() if k not in ("b_start", "b_size")}
        params.update(tab=listing.tab, b_size=listing.b_size)
        if b_start:
            params["b_start"] = b_start
        return f"{self.context.absolute_url()}/@cartable?{urlencode(params, doseq=True)}"

    def batching(self, listing):
        start, size, total = listing.b_start, listing.b_size, listing.total
        last = max(0, (total - 1) // size * size)
        return {
            "first": self.url(listing, 0),
            "prev": self.url(listing, max(0, start - size)) if start > 0 else None,
            "next": self.url(listing, start + size) if start + size < total else None,
            "last": self.url(listing, last),
        }
