"""One error shape for every endpoint of ours: plone.restapi's own,
``{"error": {"type", "message", "errors": [{"field", "message"}]}}``, translated into the
language of the request (Persian by default)."""

from uni.servicedesk import _
from zope.i18n import translate

TYPES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
}
CHECK_FIELDS = _("Check the values named in errors.")


def error_reply(request, status, message=CHECK_FIELDS, errors=None, **extra):
    """Set ``status`` on the response and return the error body; ``errors`` maps each bad
    field to its message. ``extra`` keys go beside ``error`` (e.g. the free times after a
    conflict)."""
    request.response.setStatus(status)
    error = {
        "type": TYPES.get(status, "BadRequest"),
        "message": translate(message, context=request),
    }
    if errors:
        error["errors"] = [
            {"field": field, "message": translate(text, context=request)}
            for field, text in errors.items()
        ]
    return dict(extra, error=error)
