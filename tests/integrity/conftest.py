"""A desk with a request in every state of its workflow, and the people around it."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.helpers import APPLICANT
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api.requests import relations
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.testing import TEST_PASSWORD

import pytest

STATES = (
    "submitted",
    "assigned",
    "in_progress",
    "awaiting_applicant",
    "resolved",
    "closed",
    "rejected",
    "withdrawn",
    "merged",
)


def add_user(portal, user_id, roles=(), groups=()):
    portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, list(roles), [])
    for group in groups:
        api.group.add_user(groupname=group, username=user_id)


def as_user(portal, user_id):
    if user_id is None:
        logout()
    else:
        login(portal, user_id)


def submit(service, applicant=None, portal=None, **changes):
    """A request from ``applicant`` (a user id; None: a visitor not logged in)."""
    as_user(portal or api.portal.get(), applicant)
    data = dict(APPLICANT, kind="request", body="متن درخواست", notify_channels=[])
    data.update(changes)
    return desk_api.submit(data, service=service)


def request_in(state, service, applicant="test-member", unit="unit-a"):
    """A request of ``applicant`` brought to ``state`` the way the desk does it."""
    portal = api.portal.get()
    request = submit(service, applicant, portal)
    if state == "submitted":
        return request
    login(portal, "test-supervisor")
    if state == "rejected":
        desk_api.transition(request, "reject", "تکراری")
        return request
    if state == "merged":
        main = submit(service, applicant, portal)
        login(portal, "test-supervisor")
        relations.merge(request, main)
        return request
    if state == "withdrawn":
        as_user(portal, applicant)
        desk_api.withdraw(request, "دیگر لازم نیست")
        return request
    desk_api.refer(request, unit=unit)
    if state == "in_progress":
        desk_api.reply(request, "در دست بررسی است")
    elif state == "awaiting_applicant":
        desk_api.request_documents(request, ["کارت دانشجویی"])
    elif state in ("resolved", "closed"):
        desk_api.resolve(request, "انجام شد")
        if state == "closed":
            desk_api.transition(request, "close")
    assert desk_api.state(request) == state
    return request


def build_desk(portal):
    """Units, experts, a published service with a form-less request page."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    api.group.create(groupname="unit-a", title="واحد الف")
    api.group.create(groupname="unit-b", title="واحد ب")
    add_user(portal, "expert-a", ["Service Desk Agent"], ["unit-a"])
    add_user(portal, "expert-b", ["Service Desk Agent"], ["unit-b"])
    add_user(portal, "other-member", ["Member"])
    add_user(portal, "test-manager", ["Manager"])
    service = make_service(make_catalog(portal), code="EDU-101", allow_anonymous=True)
    logout()
    return service


@pytest.fixture
def desk(portal):
    """The desk in the integration portal (rolled back after the test)."""
    return {"portal": portal, "service": build_desk(portal)}
