"""POST /@appointment: follow, cancel or move a booking with its code and verifier."""

from plone.restapi.serializer.converters import json_compatible
from uni.servicedesk import _
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.services.base import JsonPost
from uni.servicedesk.services.errors import error_reply


class AppointmentPost(JsonPost):
    def reply(self):
        data = self.json_object()
        if data is None:
            return self.bad_request(_("Send code and verifier as JSON."))
        booking, error = self.followed(data, booking_api.verify, "appointment")
        if error:
            return error
        try:
            if "cancel" in data:
                booking_api.committed(booking_api.cancel, booking, str(data.get("cancel") or ""))
            elif "move" in data:
                booking_api.committed(booking_api.reschedule, booking, str(data.get("move") or ""))
        except booking_api.BookingError as error:
            return error_reply(self.request, 409 if error.taken else 400, errors=error.errors)
        return json_compatible(booking_api.public_view(booking))
