"""Upgrade 1005 on a site as 1004 left it: requests with Plone's default permissions for
delete, Sharing and aliases, a role given through Sharing, a member of staff as creator."""

from AccessControl import getSecurityManager
from plone import api
from Products.DCWorkflow.utils import modifyRolesForPermission
from tests.integrity.conftest import build_desk
from tests.integrity.conftest import request_in
from tests.integrity.conftest import submit

import pytest

PROFILE = "uni.servicedesk:default"
MANAGED = (
    "Delete objects",
    "Copy or Move",
    "Change local roles",
    "Sharing page: Delegate roles",
    "Manage Context Aliases",
)


def may(user_id, permission, obj):
    with api.env.adopt_user(username=user_id):
        return bool(getSecurityManager().checkPermission(permission, obj))


def as_in_1004(objects):
    """The workflows as 1004 defined them (these permissions unmanaged), and objects
    whose settings were made by them (acquired from the site)."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    for workflow_id in ("service_request_workflow", "servicedesk_requests_folder_workflow"):
        workflow = workflow_tool[workflow_id]
        workflow.permissions = tuple(p for p in workflow.permissions if p not in MANAGED)
        for state in workflow.states.objectValues():
            roles = dict(state.permission_roles or {})
            for permission in MANAGED:
                roles.pop(permission, None)
            state.permission_roles = roles
    for obj in objects:
        for permission in MANAGED:
            modifyRolesForPermission(obj, permission, [])  # acquired, as never set


@pytest.fixture
def old_site(portal):
    service = build_desk(portal)
    owned = request_in("resolved", service)  # test-member's, worked by the supervisor
    anonymous = request_in("assigned", service, applicant=None)
    anonymous.creators = ("test-supervisor",)  # what 1004 let Dexterity do
    anonymous.reindexObject(idxs=["Creator"])
    owned.manage_setLocalRoles("other-member", ["Editor"])  # given through Sharing
    folder = owned.__parent__
    with api.env.adopt_roles(["Manager"]):
        as_in_1004([folder, owned, anonymous])
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile(PROFILE, "1004")
    return {"owned": owned, "anonymous": anonymous, "folder": folder, "setup": setup}


def test_the_applicant_loses_delete_sharing_and_aliases(old_site):
    owned, folder, setup = old_site["owned"], old_site["folder"], old_site["setup"]
    # As 1004 left it: the applicant deletes, shares and aliases their request.
    assert may("test-member", "Delete objects", owned)
    assert may("test-member", "Sharing page: Delegate roles", owned)
    assert may("test-member", "Manage Context Aliases", owned)
    assert may("other-member", "Delete objects", owned)  # Editor, given through Sharing
    with api.env.adopt_roles(["Manager"]):
        setup.upgradeProfile(PROFILE, dest="1005")
    assert setup.getLastVersionForProfile(PROFILE) == ("1005",)
    for user_id in ("test-member", "other-member", "test-supervisor", "test-siteadmin"):
        for permission in MANAGED:
            assert not may(user_id, permission, owned), (user_id, permission)
            assert not may(user_id, permission, folder), (user_id, permission)
    assert may("test-manager", "Delete objects", owned)
    assert dict(owned.get_local_roles()).get("other-member") is None
    assert dict(owned.get_local_roles())["test-member"] == ("Owner",)


def test_creators_are_the_applicants_again(old_site):
    anonymous, owned, setup = old_site["anonymous"], old_site["owned"], old_site["setup"]
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        setup.upgradeProfile(PROFILE, dest="1005")
    assert anonymous.listCreators() == ()
    assert owned.listCreators() == ("test-member",)
    (brain,) = catalog.unrestrictedSearchResults(UID=anonymous.UID())
    assert brain.Creator == ""
    assert not catalog.unrestrictedSearchResults(
        portal_type="ServiceRequest", Creator="test-supervisor"
    )


def test_run_twice_changes_nothing_more(old_site):
    from uni.servicedesk.upgrades.v1005 import keep_records

    with api.env.adopt_roles(["Manager"]):
        old_site["setup"].upgradeProfile(PROFILE, dest="1005")
        submit(api.portal.get()["services"]["edu-101"], "test-member")
        assert keep_records(None) == {"requests": 3, "roles": 0, "creators": 0}
