"""Upgrade steps of the default profile (see configure.zcml)."""
from plone import api


def install_easyform(context):
    api.addon.install("collective.easyform")


def index_request_forms(context):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Service"):
        brain._unrestrictedGetObject().reindexObject(idxs=["request_form"])


def create_outbox(context):
    from uni.servicedesk.setuphandlers import create_outbox as create

    create(api.portal.get())


def reindex_request_subjects(context):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="ServiceRequest"):
        catalog.catalog_object(brain._unrestrictedGetObject(), idxs=["Subject"],
                               update_metadata=False)


def index_request_sla(context):
    """New indexes and metadata columns of requests (sla_state, escalation_level…)."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="ServiceRequest"):
        brain._unrestrictedGetObject().reindexObject()
