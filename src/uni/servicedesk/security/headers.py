"""Security headers on every answer of a site with the service desk, set in one place.

A subscriber to the publisher's last events before the answer leaves — ``IPubBeforeCommit``
(an answer), ``IPubBeforeAbort`` (an error page) and ``IPubBeforeStreaming`` (a file sent
in parts, whose headers go first) — sets:

* ``Content-Security-Policy`` from *Security of the public desk* (by default only this site's
  scripts, styles, fonts, frames and connections; inline styles and data:/blob: images that
  Plone's classic UI and TinyMCE use; no plugins; frames only from this site);
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``,
  ``X-Frame-Options: SAMEORIGIN``;
* ``Cache-Control: private, no-store`` on answers with one person's data: the pages and
  endpoints marked ``IPersonalData`` (listed in ``configure.zcml``), and anything published
  on a request.

Only requests of a site where the add-on is installed (our browser layer) get them; the
ZMI (``manage…`` pages) gets no policy: its pages run inline scripts.
"""

from plone.registry.interfaces import IRegistry
from uni.servicedesk.content.service_request import IServiceRequest
from uni.servicedesk.interfaces import DEFAULT_CSP
from uni.servicedesk.interfaces import IUniServicedeskLayer
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.interface import Interface

CSP_RECORD = "uni.servicedesk.security.content_security_policy"
PRIVATE = "private, no-store"
FIXED = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
)


class IPersonalData(Interface):
    """Marker of a page or endpoint that shows one person's data: never kept by a cache."""


def policy():
    registry = queryUtility(IRegistry)
    if registry is None:
        return DEFAULT_CSP
    value = registry.get(CSP_RECORD, DEFAULT_CSP)
    return " ".join((value or "").split())


def personal(published):
    """Does ``published`` (a view, a REST service, a method) show one person's data?"""
    published = getattr(published, "__self__", published)  # a bound method: its view
    if IPersonalData.providedBy(published):
        return True
    return IServiceRequest.providedBy(getattr(published, "context", None))


def zmi(published):
    return str(getattr(published, "__name__", "") or "").startswith("manage")


def set_headers(request, response):
    if not IUniServicedeskLayer.providedBy(request):
        return
    published = request.get("PUBLISHED")
    for name, value in FIXED:
        if not response.getHeader(name):  # a page may be stricter (a receipt: no-referrer)
            response.setHeader(name, value)
    csp = policy()
    if csp and not zmi(published):
        response.setHeader("Content-Security-Policy", csp)
    if personal(published):
        response.setHeader("Cache-Control", PRIVATE)


def on_answer(event):
    """``IPubBeforeCommit`` and ``IPubBeforeAbort``."""
    set_headers(event.request, event.request.response)


def on_streaming(event):
    """``IPubBeforeStreaming``: the event carries the response only; the request is the
    one being published (``zope.globalrequest``)."""
    request = getRequest()
    if request is not None and request.response is event.response:
        set_headers(request, event.response)
