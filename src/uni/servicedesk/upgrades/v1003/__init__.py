"""1003: notifications (settings, templates, the outbox)."""

from plone import api
from uni.servicedesk import setuphandlers


def create_outbox(context):
    setuphandlers.create_outbox(api.portal.get())


def reindex_request_subjects(context):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="ServiceRequest"):
        catalog.catalog_object(
            brain._unrestrictedGetObject(), idxs=["Subject"], update_metadata=False
        )
