"""POST /@track: follow a request with its tracking code and verifier."""
from plone.restapi.deserializer import json_body
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from uni.servicedesk.api import requests as desk_api
from zope.interface import alsoProvides

import plone.protect.interfaces


class TrackPost(Service):
    def reply(self):
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)  # a read
        try:
            data = json_body(self.request)
        except Exception:
            data = None
        if not isinstance(data, dict):
            self.request.response.setStatus(400)
            return {"error": {"type": "BadRequest", "message": "Send code and verifier as JSON."}}
        client = self.request.getClientAddr()
        try:
            request = desk_api.verify(str(data.get("code") or ""), str(data.get("verifier") or ""),
                                      client=client)
        except desk_api.TooManyAttempts:
            self.request.response.setStatus(429)
            return {"error": {"type": "TooManyRequests", "message": "Too many attempts; wait and retry."}}
        if request is None:
            self.request.response.setStatus(404)
            return {"error": {"type": "NotFound",
                              "message": "No request matches this tracking code and verifier."}}
        return json_compatible(desk_api.public_view(request))
