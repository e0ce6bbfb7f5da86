"""What our JSON endpoints share."""

from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from uni.servicedesk import _
from uni.servicedesk.api.tracking import TooManyAttempts
from uni.servicedesk.services.errors import error_reply
from zope.interface import alsoProvides

import plone.protect.interfaces

NOT_FOUND = {
    "request": _("No request matches this tracking code and verifier."),
    "appointment": _("No appointment matches this tracking code and verifier."),
}


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

    def bad_request(self, message, errors=None):
        return error_reply(self.request, 400, message, errors)

    def followed(self, data, verify, what):
        """(found, None) when ``data``'s code and verifier match, else (None, the error reply).

        ``verify(code, verifier, client=...)`` is the throttled lookup of a request or an
        appointment; ``what`` names it in the 404 message."""
        try:
            found = verify(
                str(data.get("code") or ""),
                str(data.get("verifier") or ""),
                client=self.request.getClientAddr(),
            )
        except TooManyAttempts:
            return None, error_reply(self.request, 429, _("Too many attempts; wait and retry."))
        if found is None:
            return None, error_reply(self.request, 404, NOT_FOUND[what])
        return found, None


def idempotency_reused(http_request, error):
    """422: the Idempotency-Key came before with another body; nothing was created."""
    return error_reply(http_request, 422, error.message)
