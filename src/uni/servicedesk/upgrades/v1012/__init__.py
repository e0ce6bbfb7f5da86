"""1012: personal data — find, export and erase one person's records; retention; the logs
of erasures and of changes to settings.

- the stores in the site's annotations (the secret the keys are made with, the bookings'
  index, the two logs);
- every request in the ``privacy_keys`` index, and in ``ended_at`` when it is closed,
  rejected or withdrawn (the moment taken from its timeline);
- every booking in the bookings' index.

Each step may run again without harm.
"""

from plone import api
from uni.servicedesk.api import privacy
from uni.servicedesk.api.appointments import calendars
from uni.servicedesk.api.privacy.keys import index_booking
from uni.servicedesk.api.privacy.retention import END_STATES

import logging

logger = logging.getLogger("uni.servicedesk.upgrades")


def create_stores(context):
    privacy.install(api.portal.get())


def _ended_at(request, current):
    """When the request entered its current end state, from its timeline (None if it is
    not in one)."""
    if current not in END_STATES:
        return None
    moments = [
        entry["when"]
        for entry in request.timeline
        if entry.get("event") == "transition" and entry.get("to_state") == current
    ]
    return moments[-1] if moments else None


def index_requests(context):
    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="ServiceRequest"):
        request = brain._unrestrictedGetObject()
        if request is None:
            continue
        request.ended_at = _ended_at(request, brain.review_state)
        catalog.catalog_object(request, idxs=["privacy_keys", "ended_at"], update_metadata=False)
        count += 1
    logger.info("%d request(s) indexed by their keys.", count)


def index_bookings(context):
    count = 0
    for calendar in calendars():
        for booking in calendar.bookings.values():
            index_booking(booking)
            count += 1
    logger.info("%d booking(s) indexed by their keys.", count)
