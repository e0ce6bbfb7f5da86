"""1004: the cartable and service levels (SLA indexes and columns)."""

from plone import api


def index_request_sla(context):
    """New indexes and metadata columns of requests (sla_state, escalation_level…)."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="ServiceRequest"):
        brain._unrestrictedGetObject().reindexObject()
