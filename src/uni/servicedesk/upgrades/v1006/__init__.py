"""1006: closing resolved requests, and idempotency keys of REST creations.

- only supervisors (and site managers) close a resolved request, not the expert who
  resolved it: the workflow again, and the permissions of the resolved requests;
- the ``resolved_at`` date index, which finds the resolved requests that close by
  themselves, filled for the requests resolved now (those are the only ones it is asked
  for), and the ``autoclose_days`` setting;
- the store of idempotency keys.

Each step may run again without harm.
"""

from plone import api

import logging
from uni.servicedesk.interfaces import IRequestSettings
from uni.servicedesk.api.idempotency import get_store

logger = logging.getLogger("uni.servicedesk.upgrades")
PREFIX = "uni.servicedesk"


def _resolved(catalog):
    for brain in catalog.unrestrictedSearchResults(
        portal_type="ServiceRequest", review_state="resolved"
    ):
        request = brain._unrestrictedGetObject()
        if request is not None:
            yield request


def update_resolved_permissions(context):
    """The resolved requests' permissions from the workflow (who may close them)."""
    workflow = api.portal.get_tool("portal_workflow")["service_request_workflow"]
    count = 0
    for request in _resolved(api.portal.get_tool("portal_catalog")):
        workflow.updateRoleMappingsFor(request)
        count += 1
    logger.info("Permissions of %d resolved request(s) updated.", count)


def add_resolved_at_index(context):
    """The index, and the resolution moment of each resolved request in it (taken from the
    timeline where an older request lacks it)."""
    catalog = api.portal.get_tool("portal_catalog")
    if "resolved_at" not in catalog.indexes():
        catalog.addIndex("resolved_at", "DateIndex")  # naive times as local, as in catalog.xml
    count = 0
    for request in _resolved(catalog):
        if getattr(request, "resolved_at", None) is None:
            moments = [
                entry["when"]
                for entry in request.timeline
                if entry.get("event") == "transition" and entry.get("to_state") == "resolved"
            ]
            if not moments:
                continue
            request.resolved_at = moments[-1]
        catalog.catalog_object(request, idxs=["resolved_at"], update_metadata=False)
        count += 1
    logger.info("resolved_at indexed for %d resolved request(s).", count)


def add_autoclose_setting(context):
    """``uni.servicedesk.autoclose_days`` (the other request settings keep their values)."""
    api.portal.get_tool("portal_registry").registerInterface(IRequestSettings, prefix=PREFIX)


def create_idempotency_store(context):
    get_store(api.portal.get())
