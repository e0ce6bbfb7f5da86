"""Closing resolved requests through the publisher: the request's page, the cartable (tab
and bulk action, page and REST), @workflow — and who may not (the expert who resolved it,
the applicant)."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from tests.helpers import APPLICANT
from tests.helpers import make_service
from tests.requests.test_pages import post_action
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.testing import TEST_PASSWORD
from urllib.parse import urlencode

import pytest
import re
import transaction


@pytest.fixture
def closing_desk(functional, service_catalog):
    """A resolved request of test-member (worked by expert-a) and one still in progress."""
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-a", title="واحد الف")
        portal.acl_users.userFolderAddUser("expert-a", TEST_PASSWORD, ["Service Desk Agent"], [])
        api.group.add_user(groupname="unit-a", username="expert-a")
        service = make_service(service_catalog, code="EDU-101", allow_anonymous=True)
    codes = {}
    for name in ("resolved", "working"):
        login(portal, "test-member")
        request = desk_api.submit(
            dict(APPLICANT, kind="request", body="لطفا گواهی صادر شود"), service=service
        )
        login(portal, "test-supervisor")
        desk_api.refer(request, unit="unit-a", expert="expert-a")
        login(portal, "expert-a")
        desk_api.reply(request, "در حال بررسی")
        if name == "resolved":
            desk_api.resolve(request, "گواهی صادر شد")
        codes[name] = request.tracking_code
    logout()
    transaction.commit()
    return {
        "portal": portal,
        "codes": codes,
        "url": lambda name: f"{desk_api.requests_folder().absolute_url()}/{codes[name]}",
    }


def state_of(code):
    transaction.begin()
    with api.env.adopt_roles(["Manager"]):
        return api.content.get_state(desk_api.requests_folder()[code])


def status(browser):
    return int(browser.headers["status"].split()[0])


class TestTheRequestPage:
    def test_the_supervisor_closes_from_the_page(self, closing_desk, browser_factory):
        browser = browser_factory("test-supervisor", language="en")
        browser.open(closing_desk["url"]("resolved"))
        assert "this request closes by itself on" in browser.contents
        browser.getControl(name="form.buttons.close").click()
        assert status(browser) == 200
        assert "Done." in browser.contents
        assert state_of(closing_desk["codes"]["resolved"]) == "closed"
        assert "form.buttons.close" not in browser.contents

    def test_persian_page(self, closing_desk, browser_factory):
        browser = browser_factory("test-supervisor")
        browser.open(closing_desk["url"]("resolved"))
        assert "بستن" in browser.contents  # the transition's title, in the plone domain
        assert "خودکار بسته می‌شود" in browser.contents

    @pytest.mark.parametrize("user", ["expert-a", "test-member"])
    def test_the_expert_and_the_applicant_may_not(self, closing_desk, browser_factory, user):
        browser = browser_factory(user, language="en")
        browser.open(closing_desk["url"]("resolved"))
        assert "form.buttons.close" not in browser.contents
        post_action(browser, closing_desk["url"]("resolved"), action="close")
        assert status(browser) == 403
        assert state_of(closing_desk["codes"]["resolved"]) == "resolved"

    def test_not_before_it_is_resolved(self, closing_desk, browser_factory):
        browser = browser_factory("test-supervisor", language="en")
        post_action(browser, closing_desk["url"]("working"), action="close")
        assert status(browser) == 403
        assert state_of(closing_desk["codes"]["working"]) == "in_progress"

    def test_closing_needs_the_csrf_token(self, closing_desk, browser_factory):
        browser = browser_factory("test-supervisor", language="en")
        browser.post(closing_desk["url"]("resolved") + "/@@request-view", "action=close")
        assert status(browser) != 200
        assert state_of(closing_desk["codes"]["resolved"]) == "resolved"


class TestWorkflowEndpoint:
    def test_only_supervisors_close_through_workflow(self, closing_desk, rest_factory):
        url = f"/requests/{closing_desk['codes']['resolved']}/@workflow/close"
        for user in ("expert-a", "test-member"):
            assert rest_factory(user).post(url).status_code >= 400, user
            assert state_of(closing_desk["codes"]["resolved"]) == "resolved"
        assert rest_factory("test-supervisor").post(url).status_code == 200
        assert state_of(closing_desk["codes"]["resolved"]) == "closed"


def cartable(browser, closing_desk, **params):
    browser.open(f"{closing_desk['portal'].absolute_url()}/@@cartable?{urlencode(params)}")
    return browser


class TestCartable:
    def test_the_resolved_tab_and_bulk_close(self, closing_desk, browser_factory):
        codes = closing_desk["codes"]
        browser = cartable(
            browser_factory("test-supervisor", language="en"), closing_desk, tab="resolved"
        )
        assert status(browser) == 200
        tabs = browser.contents.split('class="nav nav-tabs"')[1].split("</ul>")[0]
        assert re.search(r"tab=resolved[^>]*>\s*<span>Resolved</span><span[^>]*>1</span>", tabs)
        listed = re.findall(r'name="codes:list"[^>]*value="(\d+)"', browser.contents)
        assert listed == [codes["resolved"]]
        # resolved requests are only ever closed: the one action offered
        assert browser.getControl(name="bulk_action").options == ["close"]
        browser.getControl(name="codes:list").value = [codes["resolved"]]
        browser.getControl(name="form.buttons.bulk").click()
        assert "servicedesk-result-done" in browser.contents
        assert state_of(codes["resolved"]) == "closed"
        cartable(browser, closing_desk, tab="resolved")
        assert re.findall(r'name="codes:list"[^>]*value="(\d+)"', browser.contents) == []

    def test_persian_tab_title(self, closing_desk, browser_factory):
        browser = cartable(browser_factory("test-supervisor"), closing_desk, tab="resolved")
        assert "حل‌شده" in browser.contents.split('class="nav nav-tabs"')[1].split("</ul>")[0]

    def test_experts_have_no_resolved_tab(self, closing_desk, browser_factory, rest_factory):
        browser = cartable(browser_factory("expert-a"), closing_desk)
        assert "tab=resolved" not in browser.contents
        browser = cartable(browser_factory("expert-a"), closing_desk, tab="resolved")
        assert closing_desk["codes"]["resolved"] not in browser.contents
        response = rest_factory("expert-a").get("/@cartable?tab=resolved")
        assert response.status_code in (401, 403)

    def test_rest_tab_and_bulk_close(self, closing_desk, rest_factory):
        codes = closing_desk["codes"]
        supervisor = rest_factory("test-supervisor")
        data = supervisor.get("/@cartable?tab=resolved").json()
        assert [item["tracking_code"] for item in data["items"]] == [codes["resolved"]]
        assert {t["id"]: t["count"] for t in data["tabs"]}["resolved"] == 1
        # the expert's bulk close is refused request by request
        refused = (
            rest_factory("expert-a")
            .post("/@cartable", json={"action": "close", "codes": [codes["resolved"]]})
            .json()
        )
        assert refused["done"] == 0 and refused["refused"] == 1
        assert state_of(codes["resolved"]) == "resolved"
        answer = supervisor.post(
            "/@cartable",
            json={
                "action": "close",
                "codes": [codes["resolved"], codes["working"]],
                "note": "پایان",
            },
        )
        assert answer.status_code == 200
        results = {r["code"]: r["status"] for r in answer.json()["results"]}
        assert results == {codes["resolved"]: "done", codes["working"]: "refused"}
        assert state_of(codes["resolved"]) == "closed"
        assert state_of(codes["working"]) == "in_progress"

    def test_bad_bulk_input(self, closing_desk, rest_factory):
        supervisor = rest_factory("test-supervisor")
        assert (
            supervisor.post("/@cartable", json={"action": "close", "codes": []}).status_code == 400
        )
        assert (
            supervisor.post("/@cartable", json={"action": "close", "codes": "x"}).status_code == 400
        )
        answer = supervisor.post("/@cartable", json={"action": "close", "codes": ["123"]}).json()
        assert answer["refused"] == 1
        assert state_of(closing_desk["codes"]["resolved"]) == "resolved"
