"""A desk with work in every tab: two units, their experts, a supervisor, requests in each
state, with SLA alerts, priorities, channels and registration dates to filter on."""

from DateTime import DateTime
from persiantools.jdatetime import JalaliDate
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.helpers import APPLICANT
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.testing import TEST_PASSWORD

import pytest
import transaction

EXPERTS = (("expert-a", "unit-a"), ("expert-a2", "unit-a"), ("expert-b", "unit-b"))


def jalali(year, month, day, hour=10):
    """A Zope DateTime at ``hour`` on a Jalali day."""
    return DateTime(f"{JalaliDate(year, month, day).to_gregorian().isoformat()} {hour:02d}:00:00")


def as_user(portal, user_id):
    if user_id is None:
        logout()
    else:
        login(portal, user_id)


def submit(service=None, channel="web", **changes):
    data = dict(
        APPLICANT, kind="request" if service is not None else "complaint", body="متن درخواست"
    )
    data.update(changes)
    return desk_api.submit(data, service=service, channel=channel)


def build_desk(portal):
    """Units, experts and requests; returns {name: request} (and the services)."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    api.group.create(groupname="unit-a", title="واحد الف")
    api.group.create(groupname="unit-b", title="واحد ب")
    for user_id, unit in EXPERTS:
        portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, ["Service Desk Agent"], [])
        api.group.add_user(groupname=unit, username=user_id)
    api.user.get(userid="expert-a").setMemberProperties({"fullname": "کارشناس الف"})
    catalog = make_catalog(portal)
    edu = make_service(catalog, code="EDU-101", allow_anonymous=True)
    lib = make_service(catalog, code="LIB-201", title="عضویت کتابخانه", allow_anonymous=True)
    logout()
    r = {
        "a1": submit(edu, channel="rest", subject="درخواست الف۱", priority="urgent"),
        "a2": submit(None, subject="شکایت الف۲", priority="low"),
        "b1": submit(lib, subject="درخواست ب۱", priority="high"),
        "new": submit(edu, subject="درخواست تازه"),
        "wait_a": submit(edu, subject="منتظر الف"),
        "wait_b": submit(edu, subject="منتظر ب"),
        "done_a": submit(edu, subject="انجام شده"),
    }
    login(portal, "test-supervisor")
    desk_api.refer(r["a1"], unit="unit-a", expert="expert-a")
    desk_api.refer(r["a2"], unit="unit-a")
    desk_api.refer(r["b1"], unit="unit-b", expert="expert-b")
    desk_api.refer(r["wait_a"], expert="expert-a")
    desk_api.refer(r["wait_b"], unit="unit-b")
    desk_api.refer(r["done_a"], expert="expert-a")
    login(portal, "expert-a")
    desk_api.request_documents(r["wait_a"], ["کارت دانشجویی"])
    desk_api.resolve(r["done_a"])
    login(portal, "expert-b")
    desk_api.request_documents(r["wait_b"], ["کارت دانشجویی"])
    logout()
    # What the SLA sweep would have found; registration dates to filter on.
    for name, sla_state in (("a1", "overdue"), ("b1", "at_risk"), ("new", "overdue")):
        r[name].sla_state = sla_state
    r["a1"].escalation_level = 2
    for name, day in (
        ("a1", (1405, 9, 1)),
        ("a2", (1405, 8, 15)),
        ("b1", (1405, 9, 10)),
        ("new", (1405, 9, 12)),
        ("wait_a", (1405, 9, 3)),
        ("wait_b", (1405, 9, 4)),
        ("done_a", (1405, 7, 1)),
    ):
        r[name].creation_date = jalali(*day)
    for request in r.values():
        request.reindexObject()
    r["services"] = {"edu": edu, "lib": lib}
    return r


@pytest.fixture
def desk(portal):
    """The desk in the integration portal (rolled back after the test)."""
    r = build_desk(portal)
    r["portal"] = portal
    return r


@pytest.fixture
def desk_functional(functional):
    """The desk in the functional portal, committed; codes by name."""
    portal = functional["portal"]
    r = build_desk(portal)
    transaction.commit()
    codes = {name: request.tracking_code for name, request in r.items() if name != "services"}
    return {
        "portal": portal,
        "codes": codes,
        "services": {k: s.UID() for k, s in r["services"].items()},
    }
