"""GET <calendar>/@slots: the free times people may book."""
from plone.restapi.services import Service
from uni.servicedesk import _
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.services.errors import error_reply

import datetime


def slot_json(slot):
    return {"slot": slot.key, "start": slot.start.isoformat(), "end": slot.end.isoformat(),
            "free": slot.free}


class SlotsGet(Service):
    def reply(self):
        now = booking_api.now()
        first = booking_api.parse_day(self.request.form.get("from")) or now.date()
        last = booking_api.parse_day(self.request.form.get("to")) or (
            now.date() + datetime.timedelta(days=self.context.horizon_days))
        if last < first or (last - first).days > 366:
            return error_reply(self.request, 400, _("Give from <= to, at most a year apart."))
        return {
            "calendar": self.context.Title(),
            "location": self.context.location or "",
            "items": [slot_json(s) for s in booking_api.free_slots(self.context, first, last, now)],
        }
