"""servicedesk_content_workflow: editors submit, reviewers publish and archive."""

from AccessControl import Unauthorized
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.api.exc import InvalidParameterError
from tests.helpers import make_catalog
from tests.helpers import make_service
from Products.CMFCore.WorkflowCore import WorkflowException

import pytest


@pytest.fixture
def service(manager):
    catalog = make_catalog(manager)
    with api.env.adopt_user(username="test-editor"):
        service = api.content.create(
            container=catalog,
            type="Service",
            id="edu-101",
            service_code="EDU-101",
            title="گواهی",
            service_category="education",
        )
    return service


def state(obj):
    return api.content.get_state(obj)


def fire(portal, user, obj, transition):
    login(portal, user)
    try:
        api.content.transition(obj=obj, transition=transition)
    finally:
        login(portal, "test-editor")


ALLOWED = [
    # (from state, transition, who may, to state)
    ("private", "submit", "test-editor", "pending"),
    ("pending", "retract", "test-editor", "private"),
    ("pending", "publish", "test-reviewer", "published"),
    ("pending", "reject", "test-reviewer", "private"),
    ("private", "publish", "test-siteadmin", "published"),
    ("published", "archive", "test-reviewer", "archived"),
    ("published", "unpublish", "test-reviewer", "private"),
    ("archived", "restore", "test-reviewer", "published"),
]

DENIED = [
    ("private", "publish", "test-editor"),
    ("private", "submit", "test-member"),
    ("private", "submit", "test-agent"),
    ("pending", "publish", "test-editor"),
    ("pending", "publish", "test-agent"),
    ("published", "archive", "test-editor"),
    ("published", "archive", "test-supervisor"),
    ("archived", "restore", "test-editor"),
]

PATH = {
    "private": [],
    "pending": ["submit"],
    "published": ["publish"],
    "archived": ["publish", "archive"],
}


def bring_to(portal, obj, target):
    for transition in PATH[target]:
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(obj=obj, transition=transition)
    assert state(obj) == target


def test_new_service_is_private(service):
    assert state(service) == "private"


@pytest.mark.parametrize("start,transition,user,target", ALLOWED)
def test_allowed(manager, service, start, transition, user, target):
    bring_to(manager, service, start)
    fire(manager, user, service, transition)
    assert state(service) == target


@pytest.mark.parametrize("start,transition,user", DENIED)
def test_denied(manager, service, start, transition, user):
    bring_to(manager, service, start)
    with pytest.raises((WorkflowException, InvalidParameterError)):
        fire(manager, user, service, transition)
    assert state(service) == start


@pytest.mark.parametrize(
    "target,anonymous_sees,member_sees,editor_edits",
    [
        ("private", False, False, True),
        ("pending", False, False, False),
        ("published", True, True, True),
        ("archived", False, False, False),
    ],
)
def test_visibility_and_editing(
    manager, service, target, anonymous_sees, member_sees, editor_edits
):
    bring_to(manager, service, target)
    logout()
    assert bool(api.user.has_permission("View", obj=service)) is anonymous_sees
    login(manager, "test-member")
    assert bool(api.user.has_permission("View", obj=service)) is member_sees
    login(manager, "test-editor")
    assert api.user.has_permission("View", obj=service)
    assert bool(api.user.has_permission("Modify portal content", obj=service)) is editor_edits


def test_private_service_not_in_anonymous_search(manager, service):
    catalog = api.portal.get_tool("portal_catalog")
    logout()
    assert len(catalog(portal_type="Service")) == 0
    login(manager, "test-editor")
    assert len(catalog(portal_type="Service")) == 1


def test_member_cannot_add_service(manager, service):
    catalog = service.__parent__
    login(manager, "test-member")
    with pytest.raises(Unauthorized):
        api.content.create(
            container=catalog,
            type="Service",
            id="x",
            service_code="X-1",
            title="x",
            service_category="it",
        )


def test_editor_cannot_add_catalog(manager):
    login(manager, "test-editor")
    with pytest.raises(Unauthorized):
        api.content.create(container=manager, type="ServiceCatalog", id="c2", title="c")


def test_helpers_publish(manager):
    # make_service's default publishes (used throughout the other tests).
    service = make_service(make_catalog(manager))
    assert state(service) == "published"
