"""POST /@appointment: follow, cancel or move a booking with its code and verifier."""
from plone.restapi.deserializer import json_body
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import tracking
from zope.i18n import translate
from zope.interface import alsoProvides

import plone.protect.interfaces


class AppointmentPost(Service):
    def reply(self):
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except Exception:
            data = None
        if not isinstance(data, dict):
            self.request.response.setStatus(400)
            return {"error": {"type": "BadRequest", "message": "Send code and verifier as JSON."}}
        try:
            booking = booking_api.verify(str(data.get("code") or ""), str(data.get("verifier") or ""),
                                         client=self.request.getClientAddr())
        except tracking.TooManyAttempts:
            self.request.response.setStatus(429)
            return {"error": {"type": "TooManyRequests", "message": "Too many attempts; wait and retry."}}
        if booking is None:
            self.request.response.setStatus(404)
            return {"error": {"type": "NotFound",
                              "message": "No appointment matches this tracking code and verifier."}}
        try:
            if "cancel" in data:
                booking_api.committed(booking_api.cancel, booking, str(data.get("cancel") or ""))
            elif "move" in data:
                booking_api.committed(booking_api.reschedule, booking, str(data.get("move") or ""))
        except booking_api.BookingError as error:
            self.request.response.setStatus(409 if error.taken else 400)
            return {"errors": {k: translate(v, context=self.request) for k, v in error.errors.items()}}
        return json_compatible(booking_api.public_view(booking))
