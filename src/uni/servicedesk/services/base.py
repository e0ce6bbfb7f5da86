"""What our JSON endpoints share."""
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from uni.servicedesk.api.tracking import TooManyAttempts
from zope.i18n import translate
from zope.interface import alsoProvides

import plone.protect.interfaces


class JsonPost(Service):
    """A POST endpoint for other systems and scripts: JSON in, JSON out, authenticated by
    credentials rather than cookies, so no CSRF token."""

    def json_object(self):
        """The request body as a dict, or None when it is not a JSON object."""
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except Exception:
            return None
        return data if isinstance(data, dict) else None

    def bad_request(self, message):
        self.request.response.setStatus(400)
        return {"error": {"type": "BadRequest", "message": message}}

    def followed(self, data, verify, what):
        """(found, None) when ``data``'s code and verifier match, else (None, the error reply).

        ``verify(code, verifier, client=...)`` is the throttled lookup of a request or an
        appointment; ``what`` names it in the 404 message."""
        try:
            found = verify(str(data.get("code") or ""), str(data.get("verifier") or ""),
                           client=self.request.getClientAddr())
        except TooManyAttempts:
            self.request.response.setStatus(429)
            return None, {"error": {"type": "TooManyRequests",
                                    "message": "Too many attempts; wait and retry."}}
        if found is None:
            self.request.response.setStatus(404)
            return None, {"error": {"type": "NotFound",
                                    "message": f"No {what} matches this tracking code and verifier."}}
        return found, None


def idempotency_reused(http_request, error):
    """422: the Idempotency-Key came before with another body; nothing was created."""
    http_request.response.setStatus(422)
    return {"error": {"type": "UnprocessableEntity",
                      "message": translate(error.message, context=http_request)}}
