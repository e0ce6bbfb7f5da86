"""Requests to divide, merge and relate: the request desk plus a third expert, e-mail
addresses for the staff and a second applicant."""

from plone import api
from tests.helpers import APPLICANT
from tests.helpers import make_catalog
from tests.helpers import make_service
from tests.helpers import Upload
from tests.requests.conftest import as_user
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.testing import TEST_PASSWORD

import pytest
import transaction

# The other applicant: nothing of theirs may reach the first one (and the reverse).
OTHER_APPLICANT = {
    "applicant_name": "رضا کریمی",
    "applicant_national_code": "0013542419",
    "applicant_mobile": "09351112233",
    "applicant_email": "reza@example.com",
    "notify_channels": ["sms", "email"],
}
STAFF = ("expert-a", "expert-b", "expert-c", "test-agent", "test-supervisor")


def _staff_emails():
    for user_id in STAFF:
        api.user.get(userid=user_id).setMemberProperties({"email": f"{user_id}@uni.example"})


def _units_and_experts(portal):
    api.group.create(groupname="unit-a", title="واحد الف")
    api.group.create(groupname="unit-b", title="واحد ب")
    for user_id, group in (("expert-a", "unit-a"), ("expert-b", "unit-b"), ("expert-c", "unit-a")):
        portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, ["Service Desk Agent"], [])
        api.group.add_user(groupname=group, username=user_id)
    _staff_emails()


@pytest.fixture
def desk(manager):
    """unit-a (expert-a, expert-c), unit-b (expert-b); the supervisor is test-supervisor;
    two services. Nobody is logged in."""
    _units_and_experts(manager)
    catalog = make_catalog(manager)
    service = make_service(
        catalog,
        code="EDU-101",
        allow_anonymous=True,
        duration_max=3,
        required_documents=["تصویر کارت ملی"],
    )
    other = make_service(catalog, code="EDU-102", allow_anonymous=True, title="صدور کارت دانشجویی")
    as_user(manager, None)
    return {"portal": manager, "service": service, "other_service": other}


def submit(desk, applicant=APPLICANT, user=None, **changes):
    """A request as an anonymous applicant (or ``user``); the current user is logged out."""
    as_user(desk["portal"], user)
    data = dict(applicant, kind="request", body="لطفا گواهی صادر شود")
    data["notify_channels"] = ["sms", "email"]
    data.update(changes)
    request = desk_api.submit(data, service=desk["service"], documents={0: Upload()})
    as_user(desk["portal"], None)
    return request


@pytest.fixture
def referred(desk):
    """A request referred to unit-a (expert-a and expert-c handle it), in progress."""
    request = submit(desk)
    as_user(desk["portal"], "test-supervisor")
    desk_api.refer(request, unit="unit-a")
    desk_api.transition(request, "start")
    as_user(desk["portal"], None)
    return request


# -- through the publisher ---------------------------------------------------------------


@pytest.fixture
def web_desk(functional):
    """The same desk in the functional portal, committed."""
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        _units_and_experts(portal)
        catalog = make_catalog(portal)
        service = make_service(
            catalog,
            code="EDU-101",
            allow_anonymous=True,
            required_documents=["تصویر کارت ملی"],
            duration_max=3,
        )
    transaction.commit()
    return {"portal": portal, "service": service}


def committed(desk, applicant=APPLICANT, refer_to="unit-a", **changes):
    """A submitted request (referred to ``refer_to`` unless None), committed."""
    request = submit(desk, applicant, **changes)
    if refer_to:
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, unit=refer_to)
        as_user(desk["portal"], None)
    transaction.commit()
    return request
