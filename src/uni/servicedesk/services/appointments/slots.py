"""GET <calendar>/@slots: the free times people may book."""
from plone.restapi.services import Service
from uni.servicedesk.api import appointments as booking_api

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
            self.request.response.setStatus(400)
            return {"error": {"type": "BadRequest", "message": "Give from <= to, at most a year apart."}}
        return {
            "calendar": self.context.Title(),
            "location": self.context.location or "",
            "items": [slot_json(s) for s in booking_api.free_slots(self.context, first, last, now)],
        }
