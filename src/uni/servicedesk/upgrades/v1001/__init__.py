"""1001: request forms and surveys built with collective.easyform."""

from plone import api


def install_easyform(context):
    api.addon.install("collective.easyform")


def index_request_forms(context):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Service"):
        brain._unrestrictedGetObject().reindexObject(idxs=["request_form"])
