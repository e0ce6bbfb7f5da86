"""GET <calendar>/@slots: the free times people may book."""

from plone.restapi.services import Service
from uni.servicedesk import _
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.localization import date_error
from uni.servicedesk.localization import parse_jalali_date
from uni.servicedesk.services.errors import error_reply

import datetime


def slot_json(slot):
    return {
        "slot": slot.key,
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "free": slot.free,
    }


class SlotsGet(Service):
    def reply(self):
        now = booking_api.now()
        try:
            first = self.date("from") or now.date()
            last = self.date("to") or (
                now.date() + datetime.timedelta(days=self.context.horizon_days)
            )
        except ValueError as error:
            return self.bad_request(error.args[0])
        if last < first or (last - first).days > 366:
            return self.bad_request(_("Give from <= to, at most a year apart."))
        return {
            "calendar": self.context.Title(),
            "location": self.context.location or "",
            "items": [slot_json(s) for s in booking_api.free_slots(self.context, first, last, now)],
        }

    def date(self, name):
        """The query's date ``name`` (Jalali or ISO), None if not given; ValueError carrying
        the message for people if it is not a date."""
        text = str(self.request.form.get(name) or "").strip()
        if not text:
            return None
        try:
            return parse_jalali_date(text)
        except ValueError:
            raise ValueError(date_error(text)) from None

    def bad_request(self, message):
        return error_reply(self.request, 400, message)
