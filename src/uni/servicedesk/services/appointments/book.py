"""POST <calendar>/@book: book a time, under the same rules as the booking page.

With an ``Idempotency-Key`` header, sending the same call again answers as the first time
and books nothing more (``uni.servicedesk.api.idempotency``).
"""

from uni.servicedesk import _
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import idempotency
from uni.servicedesk.services.appointments.slots import slot_json
from uni.servicedesk.services.base import idempotency_reused
from uni.servicedesk.services.base import JsonPost
from uni.servicedesk.services.errors import error_reply

FIELDS = (
    "applicant_name",
    "applicant_mobile",
    "applicant_email",
    "applicant_national_code",
    "request_code",
)


class BookPost(JsonPost):
    def reply(self):
        data = self.json_object()
        if data is None:
            return self.bad_request(_("Send the booking as a JSON object."))
        try:
            key = idempotency.key_from(self.request, f"book:{self.context.UID()}", data)
        except idempotency.InvalidKey as error:
            return self.bad_request(error.message)

        def create():
            booking = booking_api.book(
                self.context, data.get("slot"), {k: str(data.get(k) or "") for k in FIELDS}
            )
            return idempotency.Answer(201, self.created(booking))

        try:
            answer = booking_api.committed(idempotency.once(key, create))
        except booking_api.BookingError as error:
            status = 429 if error.too_many else 409 if error.taken else 400
            return error_reply(
                self.request, status, errors=error.errors, free=[slot_json(s) for s in error.free]
            )
        except idempotency.KeyReused as error:
            return idempotency_reused(self.request, error)
        return idempotency.respond(self.request, answer)

    def created(self, booking):
        return {
            "tracking_code": booking.tracking_code,
            "slot": booking.slot,
            "start": booking.start.isoformat(),
            "end": booking.end.isoformat(),
            "tracking_url": booking_api.tracking_url(booking),
            "ics": booking_api.ics_url(booking),
        }
