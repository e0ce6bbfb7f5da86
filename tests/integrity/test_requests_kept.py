"""A request's record is kept: nobody but a Manager deletes it, nobody renames, cuts,
shares or aliases it, whatever its state (the workflows manage those permissions)."""

from AccessControl import getSecurityManager
from plone import api
from tests.integrity.conftest import request_in
from tests.integrity.conftest import STATES
from uni.servicedesk.api import requests as desk_api

import pytest

DELETE = "Delete objects"
COPY_OR_MOVE = "Copy or Move"
LOCAL_ROLES = "Change local roles"
SHARING = "Sharing page: Delegate roles"
ALIASES = "Manage Context Aliases"
RECORD_PERMISSIONS = (DELETE, COPY_OR_MOVE, LOCAL_ROLES, SHARING, ALIASES)
# Everyone who meets a request, none of whom may destroy or re-share it.
PEOPLE = (
    "test-member",
    "other-member",
    "expert-a",
    "expert-b",
    "test-supervisor",
    "test-editor",
    "test-reviewer",
    "test-siteadmin",
)
# What a Manager keeps: delete (removing test or junk records; a person's data is the
# privacy erase) and Sharing (to take back a role given by mistake). A request is never
# renamed, cut or aliased: its id is its tracking code, the only way people reach it.
MANAGER_KEEPS = {
    DELETE: True,
    COPY_OR_MOVE: False,
    LOCAL_ROLES: True,
    SHARING: True,
    ALIASES: False,
}


def granted(user_id, permission, obj):
    with api.env.adopt_user(username=user_id):
        return bool(getSecurityManager().checkPermission(permission, obj))


@pytest.mark.parametrize("state", STATES)
def test_nobody_but_a_manager_destroys_or_reshares_a_request(desk, state):
    request = request_in(state, desk["service"])
    leaks = [
        (user, permission)
        for user in PEOPLE
        for permission in RECORD_PERMISSIONS
        if granted(user, permission, request)
    ]
    assert leaks == []
    kept = {
        permission: granted("test-manager", permission, request)
        for permission in RECORD_PERMISSIONS
    }
    assert kept == MANAGER_KEEPS


def test_the_requests_folder_gives_up_no_request(desk):
    """Removing an item needs Delete objects on its container too; renaming or cutting
    needs Copy or Move on the item."""
    folder = desk_api.requests_folder()
    leaks = [
        (user, permission)
        for user in PEOPLE
        for permission in RECORD_PERMISSIONS
        if granted(user, permission, folder)
    ]
    assert leaks == []
    assert granted("test-manager", DELETE, folder)
    assert not granted("test-manager", COPY_OR_MOVE, folder)


def test_the_applicant_cannot_delete_a_resolved_request(desk):
    from zExceptions import Unauthorized

    request = request_in("resolved", desk["service"])
    code = request.tracking_code
    with api.env.adopt_user(username="test-member"), pytest.raises(Unauthorized):
        desk_api.requests_folder().manage_delObjects([code])
    assert code in desk_api.requests_folder()


def test_a_request_cannot_be_renamed_or_moved_even_by_a_manager(desk):
    from OFS.CopySupport import CopyError

    request = request_in("in_progress", desk["service"])
    with api.env.adopt_user(username="test-manager"), pytest.raises(CopyError):
        desk_api.requests_folder().manage_renameObject(request.getId(), "other-id")
    assert desk_api.find_by_code(request.tracking_code) is not None
