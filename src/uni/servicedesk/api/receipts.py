"""Receipts of what a form created (Post/Redirect/Get).

A page that creates a request or a booking answers its POST with a redirect to the
receipt: reloading the receipt shows the same tracking code again and creates nothing.
The receipt's address carries the tracking code and the link secret, as the tracking link
in the notifications does, so only whoever submitted (or whoever they pass the link to)
opens it; the code with a mobile number or an email address, enough on the tracking page,
does not open a receipt. Failed attempts are throttled with the tracking lookups.
"""

from uni.servicedesk.api import throttle
from uni.servicedesk.api import tracking
from urllib.parse import urlencode

REQUEST_VIEW = "request-receipt"
APPOINTMENT_VIEW = "appointment-receipt"
# The receipt holds personal data and the secret: never in a shared cache, never sent on
# to another site in a Referer header, never indexed.
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store, max-age=0",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def url(base_url, view, holder):
    """The receipt of ``holder`` (a request or a booking) at ``base_url``/@@``view``."""
    query = urlencode({"code": holder.tracking_code, "token": holder.tracking_secret})
    return f"{base_url}/@@{view}?{query}"


def verify(code, token, find, client=""):
    """What ``find(code)`` returns if ``token`` is its link secret, else None (throttled
    per client and per code like the tracking lookups; raises ``TooManyAttempts``)."""
    normalized = tracking.normalize_code(code)
    found = find(normalized) if normalized else None
    if found is not None and tracking.same_secret(token, getattr(found, "tracking_secret", None)):
        return found  # the secret always opens it, as the private link does
    with throttle.SharedCounters(throttle.get_counters()) as shared:
        if throttle.lookup_blocked(shared, client, normalized):
            raise tracking.TooManyAttempts()
        throttle.lookup_failed(shared, client, normalized)
    return None
