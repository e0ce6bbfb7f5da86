"""POST <calendar>/@book: book a time, under the same rules as the booking page."""
from uni.servicedesk import _
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.services.appointments.slots import slot_json
from uni.servicedesk.services.base import JsonPost
from uni.servicedesk.services.errors import error_reply

FIELDS = ("applicant_name", "applicant_mobile", "applicant_email", "applicant_national_code",
          "request_code")


class BookPost(JsonPost):
    def reply(self):
        data = self.json_object()
        if data is None:
            return self.bad_request(_("Send the booking as a JSON object."))
        try:
            booking = booking_api.book_and_commit(
                self.context, data.get("slot"), {k: str(data.get(k) or "") for k in FIELDS})
        except booking_api.BookingError as error:
            status = 429 if error.too_many else 409 if error.taken else 400
            return error_reply(self.request, status, errors=error.errors,
                               free=[slot_json(s) for s in error.free])
        self.request.response.setStatus(201)
        return {
            "tracking_code": booking.tracking_code,
            "slot": booking.slot,
            "start": booking.start.isoformat(),
            "end": booking.end.isoformat(),
            "tracking_url": booking_api.tracking_url(booking),
            "ics": booking_api.ics_url(booking),
        }
