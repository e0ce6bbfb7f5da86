"""1004: the cartable and service levels — SLA indexes and columns filled for the requests
already there, settings, the request workflow, permissions, control panel, the action."""

from plone import api
from plone.app.testing import login
from plone.app.testing import TEST_USER_NAME
from Products.CMFCore.indexing import processQueue
from tests.helpers import APPLICANT
from tests.helpers import Upload
from uni.servicedesk.api import requests as desk_api

INDEXES = ("sla_state", "escalation_level", "sla_risk_at", "first_response_due")
COLUMNS = ("sla_state", "escalation_level", "first_response_due")
PERMISSION = "uni.servicedesk: Escalate request"
PREFIX = "uni.servicedesk.sla."


def roles_of(portal, permission):
    return {entry["name"] for entry in portal.rolesOfPermission(permission) if entry["selected"]}


def test_v1004(desk, upgrade):
    portal = desk["portal"]
    catalog = api.portal.get_tool("portal_catalog")
    registry = portal.portal_registry
    workflow = api.portal.get_tool("portal_workflow")
    request = desk_api.submit(
        dict(APPLICANT, kind="request", subject="گواهی", body="لطفا صادر شود"),
        service=desk["service"],
        documents={0: Upload()},
    )
    login(portal, TEST_USER_NAME)  # a manager upgrades the site
    request.escalation_level = 2
    request.reindexObject()
    processQueue()  # indexed as it is now, before the catalog is put back to 1003
    # The shape of 1003: no SLA indexes, columns, settings, configlet, cartable action or
    # escalation permission; a request workflow without what 1004 added to it.
    for index in INDEXES:
        catalog.delIndex(index)
    for column in COLUMNS:
        catalog.delColumn(column)
    for name in [name for name in registry.records if name.startswith(PREFIX)]:
        del registry.records[name]
    api.portal.get_tool("portal_controlpanel").unregisterConfiglet("uni-servicedesk-sla")
    api.portal.get_tool("portal_actions").user.manage_delObjects(["servicedesk-cartable"])
    portal.manage_permission(PERMISSION, roles=["Manager"], acquire=False)
    workflow.manage_delObjects(["service_request_workflow"])

    upgrade("1004")

    assert set(INDEXES) <= set(catalog.indexes())
    assert set(COLUMNS) <= set(catalog.schema())
    brains = catalog(escalation_level=2, sla_state=request.sla_state)
    assert [b.getObject() for b in brains] == [request]
    assert brains[0].escalation_level == 2
    assert any(name.startswith(PREFIX) for name in registry.records)
    assert "uni-servicedesk-sla" in {
        a.getId() for a in api.portal.get_tool("portal_controlpanel").listActions()
    }
    assert "servicedesk-cartable" in api.portal.get_tool("portal_actions").user
    assert "Service Desk Supervisor" in roles_of(portal, PERMISSION)
    assert workflow.getChainForPortalType("ServiceRequest") == ("service_request_workflow",)
    assert "resolve" in workflow["service_request_workflow"].transitions
