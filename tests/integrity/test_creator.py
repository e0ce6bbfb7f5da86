"""The applicant stays the request's creator: staff steps never make them its author."""

from plone import api
from plone.app.testing import login
from tests.integrity.conftest import build_desk
from tests.integrity.conftest import request_in
from tests.integrity.conftest import submit
from uni.servicedesk.api import requests as desk_api

import pytest
import transaction


def creator_in_catalog(request):
    catalog = api.portal.get_tool("portal_catalog")
    (brain,) = catalog.unrestrictedSearchResults(UID=request.UID())
    return brain.Creator


def test_staff_steps_leave_an_anonymous_request_without_creator(desk):
    request = request_in("resolved", desk["service"], applicant=None)
    login(desk["portal"], "test-supervisor")
    desk_api.transition(request, "close")
    assert request.listCreators() == ()
    assert request.Creator() == ""
    assert creator_in_catalog(request) == ""


def test_staff_steps_leave_the_logged_in_applicant_sole_creator(desk):
    request = request_in("awaiting_applicant", desk["service"])
    login(desk["portal"], "expert-a")
    desk_api.note(request, "یادداشت")
    desk_api.transition(request, "resume")
    assert request.listCreators() == ("test-member",)
    assert creator_in_catalog(request) == "test-member"


def test_a_refused_workflow_call_names_nobody_either(desk):
    """plone.restapi's @workflow sets the effective date and reindexes *before* it tries
    the transition: a refused call by anyone who may view the request made them its
    creator."""
    request = submit(desk["service"])
    login(desk["portal"], "test-supervisor")
    request.setEffectiveDate(request.created())
    request.reindexObject()  # what @workflow does, whoever calls it
    assert request.listCreators() == ()
    assert creator_in_catalog(request) == ""


@pytest.fixture
def referred_anonymous_request(functional):
    """An anonymous request the supervisor referred, committed; its tracking code."""
    service = build_desk(functional["portal"])
    code = request_in("assigned", service, applicant=None).tracking_code
    transaction.commit()
    return code


def test_the_byline_names_no_staff(referred_anonymous_request, rest_factory, browser_factory):
    code = referred_anonymous_request
    supervisor = rest_factory("test-supervisor")
    # A refused transition through the REST API, then the page.
    assert supervisor.post(f"/requests/{code}/@workflow/withdraw").status_code == 400
    transaction.begin()
    request = desk_api.find_by_code(code)
    assert request.listCreators() == () and creator_in_catalog(request) == ""
    browser = browser_factory("test-supervisor", language="en")
    browser.open(f"{api.portal.get().absolute_url()}/requests/{code}")
    assert "/author/test-supervisor" not in browser.contents
    assert "/author/expert-a" not in browser.contents
