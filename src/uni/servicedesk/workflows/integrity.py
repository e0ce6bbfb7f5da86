"""What records point to is archived, never deleted or renamed.

Requests name their service (by UID, through the ``request_service`` index), bookings
live on their appointment calendar, a service names its request form (``request_form``),
and every request lives in the requests folder, its id its tracking code. Removing or
moving any of those would leave records that point nowhere, or links sent to people that
lead nowhere. These subscribers see every door (folder contents, the delete confirmation,
plone.restapi's DELETE and PATCH of ``id``, cut and paste, scripts): removal and moving
both send ``IObjectWillBeMovedEvent``, also to everything inside the object that goes.
"""

from plone import api
from Products.CMFPlone.interfaces import IPloneSiteRoot
from uni.servicedesk import _
from uni.servicedesk.localization import localize_digits
from zExceptions import HTTPConflict
from zope.globalrequest import getRequest
from zope.i18n import translate


class Conflict(HTTPConflict):
    """Refused: other records point to this object (HTTP 409).

    Named so on purpose: ZPublisher and plone.rest take the response status from the
    exception class's name, and *Conflict* is 409. ``message`` is the translatable
    message; ``str()`` is its translation for the current request.
    """

    def __init__(self, message):
        self.message = message
        request = getRequest()
        super().__init__(
            translate(message, context=request) if request is not None else translate(message)
        )


def _goes_away(event):
    """True when the event removes or moves the object (not when it is being added), and
    not when the whole site goes."""
    if event.oldParent is None:
        return False  # being added (IObjectWillBeAddedEvent is a "move" from nowhere)
    return not IPloneSiteRoot.providedBy(event.object)


def _count(number):
    request = getRequest()
    language = api.portal.get_current_language() if request is not None else "en"
    return localize_digits(number, language)


def _catalog():
    return api.portal.get_tool("portal_catalog")


def keep_requested_service(service, event):
    """A service that requests name cannot be deleted, renamed or moved."""
    if not _goes_away(event):
        return
    count = len(
        _catalog().unrestrictedSearchResults(
            portal_type="ServiceRequest", request_service=service.UID()
        )
    )
    if count:
        raise Conflict(
            _(
                "“${title}” has ${count} requests: it cannot be deleted, renamed or moved. "
                "Archive it instead.",
                mapping={"title": service.Title(), "count": _count(count)},
            )
        )


def keep_booked_calendar(calendar, event):
    """An appointment calendar holds its bookings: with any, it stays where it is."""
    if not _goes_away(event):
        return
    count = len(getattr(calendar, "bookings", None) or ())
    if count:
        raise Conflict(
            _(
                "“${title}” has ${count} bookings: it cannot be deleted, renamed or moved. "
                "Archive it instead.",
                mapping={"title": calendar.Title(), "count": _count(count)},
            )
        )


def keep_request_form(form, event):
    """The form a service names for its requests stays while the service names it."""
    if not _goes_away(event):
        return
    going = "/".join(event.object.getPhysicalPath())
    brains = [  # a service that goes with it (its own form inside it) does not count
        brain
        for brain in _catalog().unrestrictedSearchResults(
            portal_type="Service", request_form=form.UID()
        )
        if brain.getPath() != going and not brain.getPath().startswith(going + "/")
    ]
    if brains:
        raise Conflict(
            _(
                "“${title}” is the request form of the service “${service}”: it cannot be "
                "deleted, renamed or moved. Choose another form for the service first, or "
                "archive the service.",
                mapping={"title": form.Title(), "service": brains[0].Title},
            )
        )


def keep_requests_folder(folder, event):
    """The folder of requests holds the desk's records and every tracking link."""
    if not _goes_away(event):
        return
    if folder.objectCount():
        raise Conflict(
            _(
                "The requests folder holds the desk's records: it cannot be deleted, renamed "
                "or moved."
            )
        )
