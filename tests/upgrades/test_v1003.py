"""1003: notifications — settings and templates, permissions, control panels, the user's
action, the outbox; requests' subject lines no longer indexed as keywords."""

from plone import api
from plone.app.testing import login
from plone.app.testing import TEST_USER_NAME
from Products.CMFCore.indexing import processQueue
from tests.helpers import APPLICANT
from tests.helpers import Upload
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.notifications import outbox as outbox_api
from zope.annotation.interfaces import IAnnotations

import types

PERMISSION = "uni.servicedesk: Set notification preferences"
CONFIGLETS = (
    "uni-servicedesk-notifications",
    "uni-servicedesk-notification-templates",
    "uni-servicedesk-outbox",
)
PREFIX = "uni.servicedesk.notifications."


def roles_of(portal, permission):
    return {entry["name"] for entry in portal.rolesOfPermission(permission) if entry["selected"]}


def configlets(portal):
    return {action.getId() for action in api.portal.get_tool("portal_controlpanel").listActions()}


def test_v1003(desk, upgrade):
    portal = desk["portal"]
    catalog = api.portal.get_tool("portal_catalog")
    registry = portal.portal_registry
    request = desk_api.submit(
        dict(APPLICANT, kind="request", subject="گواهی اشتغال به تحصیل", body="لطفا صادر شود"),
        service=desk["service"],
        documents={0: Upload()},
    )
    login(portal, TEST_USER_NAME)  # a manager upgrades the site
    # The shape of 1002: no outbox, no settings, configlets, action or permission of
    # notifications, and the subject line's words indexed as the request's keywords.
    del IAnnotations(portal)[outbox_api.ANNOTATION_KEY]
    for name in [name for name in registry.records if name.startswith(PREFIX)]:
        del registry.records[name]
    for configlet in CONFIGLETS:
        api.portal.get_tool("portal_controlpanel").unregisterConfiglet(configlet)
    api.portal.get_tool("portal_actions").user.manage_delObjects([
        "servicedesk-notification-preferences"
    ])
    portal.manage_permission(PERMISSION, roles=["Manager"], acquire=False)
    processQueue()  # the request's own indexing first, then the old keywords
    rid = catalog.getrid("/".join(request.getPhysicalPath()))
    catalog.Indexes["Subject"].index_object(rid, types.SimpleNamespace(Subject=("گواهی",)))
    assert [b.getObject() for b in catalog(Subject="گواهی")] == [request]
    assert outbox_api.get_outbox(portal, create=False) is None

    upgrade("1003")

    assert outbox_api.get_outbox(portal, create=False) is not None
    assert registry[PREFIX + "sms_gateway"] == "log"
    assert registry[PREFIX + "templates"] == {}
    assert set(CONFIGLETS) <= configlets(portal)
    assert "servicedesk-notification-preferences" in api.portal.get_tool("portal_actions").user
    assert {"Service Desk Agent", "Service Desk Supervisor"} <= roles_of(portal, PERMISSION)
    assert list(catalog(Subject="گواهی")) == []
    assert [b.getObject() for b in catalog(tracking_code=request.tracking_code)] == [request]
