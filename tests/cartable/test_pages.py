"""@@cartable through the publisher: who gets in, tabs and counts, filters, sorting, pages,
bulk actions with the CSRF token, Persian and English."""

from plone import api
from uni.servicedesk.api import cartable
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.localization import localize_digits
from urllib.parse import urlencode
from zope.i18n import translate

import pytest
import re
import transaction


def page(desk, browser, **params):
    url = f"{desk['portal'].absolute_url()}/@@cartable"
    browser.open(f"{url}?{urlencode(params)}" if params else url)
    return browser


def shown_codes(browser):
    return re.findall(r'name="codes:list"[^>]*value="(\d+)"', browser.contents) or re.findall(
        r'value="(\d+)"[^>]*name="codes:list"', browser.contents
    )


def status(browser):
    return int(browser.headers["status"].split()[0])


class TestWhoGetsIn:
    def test_anonymous_is_sent_to_log_in(self, desk_functional, browser_factory):
        browser = page(desk_functional, browser_factory())
        assert "login" in browser.url or "require_login" in browser.url
        assert desk_functional["codes"]["a1"] not in browser.contents

    @pytest.mark.parametrize("user", ["test-member", "test-editor"])
    def test_others_may_not(self, desk_functional, browser_factory, user):
        browser = page(desk_functional, browser_factory(user))
        assert browser.url.split("?")[0].rsplit("/", 1)[-1] in (
            "login",
            "insufficient-privileges",
            "require_login",
        ) or status(browser) in (401, 403)
        assert 'name="codes:list"' not in browser.contents

    @pytest.mark.parametrize(
        "user, shown",
        [
            ("expert-a", True),
            ("test-supervisor", True),
            ("test-member", False),
            ("test-editor", False),
        ],
    )
    def test_the_user_action_is_for_staff(self, desk_functional, browser_factory, user, shown):
        browser = browser_factory(user)
        browser.open(desk_functional["portal"].absolute_url())
        assert ("/@@cartable" in browser.contents) is shown

    def test_expert_may_not_open_unassigned(self, desk_functional, browser_factory):
        browser = page(desk_functional, browser_factory("expert-a"), tab="unassigned")
        assert desk_functional["codes"]["new"] not in browser.contents


class TestListing:
    def test_expert_in_persian(self, desk_functional, browser_factory):
        codes = desk_functional["codes"]
        browser = page(desk_functional, browser_factory("expert-a"))
        assert status(browser) == 200
        assert sorted(shown_codes(browser)) == sorted([codes["a1"], codes["wait_a"]])
        html = browser.contents
        assert 'dir="rtl"' in html
        assert localize_digits(codes["a1"], "fa") in html  # codes in Persian digits
        assert translate(cartable.TAB_TITLES["mine"], target_language="fa") in html
        assert "unassigned" not in html.split('class="nav nav-tabs"')[1].split("</ul>")[0]
        assert "آذر ۱۴۰۵" in html  # Jalali dates
        assert "کارشناس الف" in html and "واحد الف" in html  # expert and unit by name
        assert "servicedesk-sla-overdue" in html

    def test_tabs_and_counts(self, desk_functional, browser_factory):
        browser = page(desk_functional, browser_factory("test-supervisor", language="en"))
        tabs = browser.contents.split('class="nav nav-tabs"')[1].split("</ul>")[0]
        counts = dict(
            re.findall(r"tab=(\w+)[^>]*>\s*<span>[^<]*</span><span[^>]*>(\d+)</span>", tabs)
        )
        assert counts == {
            "mine": "0",
            "unit": "0",
            "unassigned": "1",
            "sla": "3",
            "awaiting": "2",
            "resolved": "1",
        }
        # the supervisor starts on the requests waiting to be referred
        assert shown_codes(browser) == [desk_functional["codes"]["new"]]
        fa = page(desk_functional, browser_factory("test-supervisor"))
        assert "۳</span>" in fa.contents

    def test_other_units_never_shown(self, desk_functional, browser_factory):
        codes = desk_functional["codes"]
        browser = browser_factory("expert-a")
        for tab in ("mine", "unit", "sla", "awaiting"):
            page(desk_functional, browser, tab=tab)
            assert codes["b1"] not in browser.contents and codes["wait_b"] not in browser.contents

    def test_filters_and_sorting(self, desk_functional, browser_factory):
        codes = desk_functional["codes"]
        browser = browser_factory("test-supervisor", language="en")
        page(desk_functional, browser, tab="sla", priority="urgent")
        assert shown_codes(browser) == [codes["a1"]]
        page(
            desk_functional, browser, tab="sla", created_from="۱۴۰۵/۰۹/۰۱", created_to="۱۴۰۵/۰۹/۱۱"
        )
        assert shown_codes(browser) == [codes["b1"], codes["a1"]]
        assert 'value="۱۴۰۵/۰۹/۰۱"' in browser.contents  # what was typed stays
        page(desk_functional, browser, tab="sla", service=desk_functional["services"]["lib"])
        assert shown_codes(browser) == [codes["b1"]]
        page(desk_functional, browser, tab="sla", sort="priority")
        assert shown_codes(browser) == [codes["a1"], codes["b1"], codes["new"]]
        # the header turns the order round
        thead = browser.contents.split("<thead>")[1].split("</thead>")[0]
        link = re.search(r'href="([^"]*sort=priority[^"]*)"', thead).group(1)
        assert "order=asc" in link
        browser.open(link.replace("&amp;", "&"))
        assert shown_codes(browser) == [codes["new"], codes["b1"], codes["a1"]]

    def test_bad_filter_is_a_clear_error(self, desk_functional, browser_factory):
        browser = page(
            desk_functional,
            browser_factory("test-supervisor", language="en"),
            tab="sla",
            created_from="1405/13/40",
            kind="spam",
        )
        assert status(browser) == 400
        assert "Enter a date like 1405/09/01" in browser.contents
        assert "Choose a kind from the list." in browser.contents
        assert 'value="1405/13/40"' in browser.contents
        assert "Traceback" not in browser.contents
        page(desk_functional, browser, tab="sla", sort="subject")
        assert status(browser) == 400 and "Sort by registration date" in browser.contents


class TestBatching:
    def test_pages(self, desk_functional, browser_factory):
        from tests.cartable.conftest import submit

        transaction.begin()
        service = api.content.get(path="/services/edu-101")
        for index in range(25):
            submit(service, subject=f"درخواست {index}")
        transaction.commit()
        browser = page(
            desk_functional, browser_factory("test-supervisor", language="en"), tab="unassigned"
        )
        first = shown_codes(browser)
        assert len(first) == 20
        assert "Requests: <strong>26</strong>" in browser.contents
        link = re.search(r'href="([^"]*b_start[:=a-z]*=20[^"]*)"', browser.contents).group(1)
        browser.open(link.replace("&amp;", "&"))
        second = shown_codes(browser)
        assert len(second) == 6 and not set(first) & set(second)
        assert "tab=unassigned" in link


class TestBulk:
    def post(self, browser, desk, codes, **fields):
        page(desk, browser, tab=fields.pop("tab", "mine"))
        token = re.search(r'name="_authenticator" value="([^"]+)"', browser.contents).group(1)
        data = [("_authenticator", token), ("tab", fields.pop("list_tab", "sla"))]
        data += [("codes:list", code) for code in codes]
        data += list(fields.items())
        browser.post(f"{desk['portal'].absolute_url()}/@@cartable", urlencode(data))
        return browser

    def test_supervisor_refers_in_bulk(self, desk_functional, browser_factory):
        codes = desk_functional["codes"]
        browser = browser_factory("test-supervisor", language="en")
        self.post(
            browser,
            desk_functional,
            [codes["new"], codes["a1"]],
            tab="unassigned",
            bulk_action="refer",
            unit="unit-b",
            expert="expert-b",
            note="",
        )
        assert status(browser) == 200
        assert browser.contents.count("servicedesk-result-done") == 2
        transaction.begin()
        for name in ("new", "a1"):
            request = desk_api.find_by_code(codes[name])
            assert request.referred_unit == "unit-b" and request.referred_expert == "expert-b"
        assert desk_api.state(desk_api.find_by_code(codes["new"])) == "assigned"

    def test_expert_cannot_refer_and_gets_per_code_results(self, desk_functional, browser_factory):
        codes = desk_functional["codes"]
        browser = browser_factory("expert-a", language="en")
        self.post(browser, desk_functional, [codes["a1"]], bulk_action="refer", unit="unit-b")
        assert status(browser) == 403
        transaction.begin()
        assert desk_api.find_by_code(codes["a1"]).referred_unit == "unit-a"
        self.post(
            browser,
            desk_functional,
            [codes["a1"], codes["wait_a"], codes["b1"]],
            bulk_action="start",
        )
        results = re.findall(r'class="servicedesk-result-(\w+)"', browser.contents)
        assert results == ["done", "refused", "refused"]
        assert "No request you may see has this tracking code." in browser.contents
        transaction.begin()
        assert desk_api.state(desk_api.find_by_code(codes["a1"])) == "in_progress"
        assert desk_api.state(desk_api.find_by_code(codes["b1"])) == "assigned"

    def test_without_the_token_nothing_happens(self, desk_functional, browser_factory):
        codes = desk_functional["codes"]
        browser = browser_factory("expert-a", language="en")
        browser.post(
            f"{desk_functional['portal'].absolute_url()}/@@cartable",
            urlencode([("codes:list", codes["a1"]), ("bulk_action", "start")]),
        )
        assert status(browser) == 403
        transaction.begin()
        assert desk_api.state(desk_api.find_by_code(codes["a1"])) == "assigned"
