"""Upgrade to 1006: only supervisors close resolved requests, the resolved_at index (filled
for the resolved requests, from the timeline for old ones), the autoclose setting, the
store of idempotency keys — on a site as 1004 (or 1005) left it."""

from DateTime import DateTime
from plone import api
from tests.helpers import APPLICANT
from tests.helpers import Upload
from tests.requests.conftest import as_user
from uni.servicedesk.api.sla import autoclose
from uni.servicedesk.api import idempotency
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.upgrades import v1006
from zope.annotation.interfaces import IAnnotations

import pytest

PROFILE = "uni.servicedesk:default"
CLOSE = "uni.servicedesk: Close request"
# The step's source is 1005 once that step is merged; upgrading from 1004 runs both.
BEFORE = "1004"


def resolved_request(desk):
    as_user(desk["portal"], None)
    request = desk_api.submit(
        dict(APPLICANT, kind="request", body="x"), service=desk["service"], documents={0: Upload()}
    )
    as_user(desk["portal"], "test-supervisor")
    desk_api.refer(request, expert="expert-a")
    as_user(desk["portal"], "expert-a")
    desk_api.resolve(request)
    return request


@pytest.fixture
def old_site(desk, setup_tool):
    """A resolved request and the site as it was before 1006."""
    portal = desk["portal"]
    request = resolved_request(desk)
    as_user(portal, None)
    with api.env.adopt_roles(["Manager"]):
        request.resolved_at = None  # resolved before anyone kept the moment: on the timeline only
        workflow = api.portal.get_tool("portal_workflow")["service_request_workflow"]
        state = workflow.states["resolved"]
        roles = state.getPermissionInfo(CLOSE)["roles"]
        state.setPermission(CLOSE, 0, list(roles) + ["Request Handler"])
        workflow.updateRoleMappingsFor(request)
        api.portal.get_tool("portal_catalog").delIndex("resolved_at")
        del api.portal.get_tool("portal_registry").records[autoclose.SETTING]
        del IAnnotations(portal)[idempotency.ANNOTATION_KEY]
    setup_tool.setLastVersionForProfile(PROFILE, BEFORE)
    return {"portal": portal, "request": request}


def may_close(portal, user, request):
    as_user(portal, user)
    allowed = api.user.has_permission(CLOSE, obj=request)
    as_user(portal, None)
    return allowed


def test_upgrade(old_site, setup_tool, desk):
    portal, request = old_site["portal"], old_site["request"]
    assert may_close(portal, "expert-a", request)  # what 1004 allowed
    assert setup_tool.listUpgrades(PROFILE)
    with api.env.adopt_roles(["Manager"]):
        setup_tool.upgradeProfile(PROFILE, dest="1006")
    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1006",)
    # only supervisors close, on the requests resolved already too
    assert not may_close(portal, "expert-a", request)
    assert may_close(portal, "test-supervisor", request)
    # the moment of resolution, from the timeline, indexed
    [entry] = [e for e in request.timeline if e.get("to_state") == "resolved"]
    assert request.resolved_at == entry["when"]
    catalog = api.portal.get_tool("portal_catalog")
    assert "resolved_at" in catalog.indexes()
    found = catalog.unrestrictedSearchResults(resolved_at={"query": DateTime() + 1, "range": "max"})
    assert [b.getPath() for b in found] == ["/".join(request.getPhysicalPath())]
    # the setting, the other settings kept
    assert api.portal.get_registry_record(autoclose.SETTING) == 7
    assert api.portal.get_registry_record("uni.servicedesk.reopen_days") == 14
    assert idempotency.get_store(create=False) is not None
    assert setup_tool.listUpgrades(PROFILE, dest="1006") == []  # later versions may follow


def test_steps_run_again_without_harm(old_site, setup_tool):
    with api.env.adopt_roles(["Manager"]):
        setup_tool.upgradeProfile(PROFILE, dest="1006")
        api.portal.set_registry_record(autoclose.SETTING, 3)
        store = idempotency.get_store()
        for step in (
            v1006.update_resolved_permissions,
            v1006.add_resolved_at_index,
            v1006.add_autoclose_setting,
            v1006.create_idempotency_store,
        ):
            step(setup_tool)
    assert api.portal.get_registry_record(autoclose.SETTING) == 3  # a manager's value stays
    assert idempotency.get_store() is store
    assert not may_close(old_site["portal"], "expert-a", old_site["request"])
