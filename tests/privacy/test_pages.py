"""The managers' pages of personal data and of changes to settings, through the publisher;
and, after an erasure, every page and REST answer that showed the person."""

from plone import api
from tests.privacy.conftest import SARA_FILE
from tests.privacy.conftest import leaks
from tests.privacy.conftest import outbox_text
from uni.servicedesk.api import privacy
from uni.servicedesk.api import requests as desk_api
from urllib.parse import urlencode

import io
import pytest
import re
import transaction
import zipfile

OTHERS = ["test-supervisor", "test-agent", "test-editor", "test-reviewer", "test-member", None]


def url(portal, view):
    return f"{portal.absolute_url()}/@@{view}"


def status(browser):
    return int(browser.headers["status"].split()[0])


def refused(browser):
    """Sent to log in, or told they may not (anonymous visitors are redirected)."""
    where = browser.url.split("?")[0].rsplit("/", 1)[-1]
    return where in ("login", "require_login", "insufficient-privileges") or status(browser) in (
        401,
        403,
    )


def find(browser, portal, **fields):
    browser.open(url(portal, "servicedesk-privacy"))
    for name, value in fields.items():
        browser.getControl(name=name).value = value
    browser.getControl("Find").click()
    return browser


class TestFindExportErase:
    def test_find_in_persian_digits(self, people_site, browser_factory):
        portal = people_site["portal"]
        browser = find(
            browser_factory("test-siteadmin", language="en"), portal, mobile="۰۹۱۲۱۲۳۴۵۶۷"
        )
        assert status(browser) == 200
        assert people_site["main"].tracking_code in browser.contents
        assert people_site["complaint"].tracking_code in browser.contents
        assert people_site["sara_booking"].tracking_code in browser.contents
        assert people_site["other"].tracking_code not in browser.contents
        assert "private, no-store" in browser.headers["Cache-Control"]
        # the identifiers went in the body of a POST, not in the address
        assert "0912" not in browser.url and "%DB" not in browser.url

    def test_bad_input_and_nothing_found(self, people_site, browser_factory):
        portal = people_site["portal"]
        browser = find(
            browser_factory("test-siteadmin", language="en"), portal, national_code="1234"
        )
        assert status(browser) == 400
        assert "A national code has 10 digits." in browser.contents
        browser = find(
            browser_factory("test-siteadmin", language="en"), portal, email="x@example.com"
        )
        assert status(browser) == 200 and "Nothing." in browser.contents

    def test_download(self, people_site, browser_factory):
        portal = people_site["portal"]
        browser = find(
            browser_factory("test-siteadmin", language="en"), portal, email="SARA@example.com"
        )
        browser.getControl("Download as ZIP").click()
        assert browser.headers["Content-Type"] == "application/zip"
        assert 'attachment; filename="personal-data-' in browser.headers["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(browser.contents))
        main = people_site["main"].tracking_code
        assert f"requests/{main}/request.json" in archive.namelist()
        assert SARA_FILE in [archive.read(n) for n in archive.namelist() if "/files/" in n]
        assert int(browser.headers["Content-Length"]) == len(browser.contents)

    def test_erase_asks_to_confirm_then_erases(self, people_site, browser_factory):
        portal = people_site["portal"]
        browser = find(
            browser_factory("test-siteadmin", language="en"), portal, national_code="0084575948"
        )
        browser.getControl("Erase").click()
        assert status(browser) == 400
        assert "Tick the box to confirm" in browser.contents
        transaction.begin()
        assert (
            desk_api.find_by_code(people_site["main"].tracking_code).applicant_name == "سارا محمدی"
        )
        browser.getControl(name="confirm").value = ["1"]
        browser.getControl("Erase").click()
        assert status(browser) == 200
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", browser.contents))
        assert (
            "Erased: 2 requests, 1 appointments," in text
            and "1 appointments," in text
            and "2 files." in text
        )
        transaction.begin()
        assert (
            desk_api.find_by_code(people_site["main"].tracking_code).applicant_name
            == privacy.PLACEHOLDER_NAME
        )
        # the erasure log: who and how many, not whose
        log = browser.contents.split("Erasures", 1)[1]
        assert "Erased by a manager" in log and leaks(log) == []

    def test_in_persian(self, people_site, browser_factory):
        portal = people_site["portal"]
        browser = browser_factory("test-siteadmin")
        browser.open(url(portal, "servicedesk-privacy"))
        assert "داده‌های شخصی" in browser.contents
        browser.getControl(name="email").value = "sara@example.com"
        browser.getControl("یافتن").click()
        assert "آنچه یافت شد" in browser.contents
        assert "۱۴۰۵" in browser.contents  # the appointment's Jalali date, in Persian digits
        browser.getControl(name="confirm").value = ["1"]
        browser.getControl("پاک کردن").click()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", browser.contents))
        assert "پاک شد: ۲ درخواست، ۱ نوبت،" in text
        assert "پاک‌شده به دست مدیر" in text

    def test_retention_setting(self, people_site, browser_factory):
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(people_site["portal"], "servicedesk-privacy"))
        browser.getControl(name="retention_years").value = "۵"
        browser.getControl("Save").click()
        assert "Saved." in browser.contents
        transaction.begin()
        assert api.portal.get_registry_record(privacy.RETENTION_SETTING) == 5
        browser.getControl(name="retention_years").value = "five"
        browser.getControl("Save").click()
        assert status(browser) == 400 and "from 0 to 100" in browser.contents
        transaction.begin()
        assert api.portal.get_registry_record(privacy.RETENTION_SETTING) == 5

    @pytest.mark.parametrize("user", OTHERS)
    def test_others_may_not(self, people_site, browser_factory, user):
        portal = people_site["portal"]
        browser = browser_factory(user, language="en")
        browser.open(url(portal, "servicedesk-privacy"))
        assert refused(browser)
        assert 'name="national_code"' not in browser.contents
        for action in ("find", "export", "erase"):
            browser.post(
                url(portal, "servicedesk-privacy"),
                urlencode({"action": action, "mobile": "09121234567", "confirm": "1"}),
            )
            assert refused(browser)
            assert leaks(browser.contents) == []
            assert browser.headers["Content-Type"] != "application/zip"
        transaction.begin()
        assert (
            desk_api.find_by_code(people_site["main"].tracking_code).applicant_name == "سارا محمدی"
        )

    def test_the_configlet_is_for_managers(self, people_site, browser_factory):
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(f"{people_site['portal'].absolute_url()}/@@overview-controlpanel")
        assert "@@servicedesk-privacy" in browser.contents
        assert "@@servicedesk-settings-log" in browser.contents


class TestNothingLeftAfterErase:
    def test_pages_and_rest(self, people_site, browser_factory, rest_factory):
        portal = people_site["portal"]
        main = people_site["main"]
        code, secret = main.tracking_code, main.tracking_secret
        calendar = people_site["calendar"]
        pages = [
            (f"{main.absolute_url()}", "test-siteadmin"),
            (f"{people_site['complaint'].absolute_url()}", "test-siteadmin"),
            (f"{portal.absolute_url()}/@@cartable?tab=mine", "expert-a"),
            (f"{portal.absolute_url()}/@@cartable?tab=unassigned", "test-supervisor"),
            (f"{portal.absolute_url()}/@@servicedesk-outbox?code={code}", "test-siteadmin"),
            (f"{calendar.absolute_url()}/@@appointments-day?day=2026-12-05", "test-supervisor"),
        ]
        # before: the pages show her (so that the checks below can fail)
        for address, user in pages:
            browser = browser_factory(user, language="en")
            browser.open(address)
            assert leaks(browser.contents), address
        with api.env.adopt_roles(["Manager"]):
            privacy.erase(privacy.person({"email": "sara@example.com"}))
        transaction.commit()
        for address, user in pages:
            browser = browser_factory(user, language="en")
            browser.open(address)
            assert status(browser) == 200, address
            assert leaks(browser.contents) == [], address
        rest = rest_factory("admin")
        answers = [
            rest.get(f"{main.absolute_url()}"),
            rest.get("@search?portal_type=ServiceRequest&metadata_fields=_all&b_size=100"),
            rest.get("@search?portal_type=ServiceRequest&fullobjects=1&b_size=100"),
            rest_factory("expert-a").get("@cartable?tab=mine"),
            rest_factory("test-supervisor").get("@cartable?tab=unassigned"),
            rest.get("@servicedesk-privacy"),
        ]
        for answer in answers:
            assert answer.status_code == 200, answer.url
            assert leaks(answer.text) == [], answer.url
        # her tracking link and her mobile open nothing any more
        tracked = rest_factory().post("@track", json={"code": code, "verifier": "09121234567"})
        assert tracked.status_code == 404
        browser = browser_factory(language="en")
        browser.open(f"{portal.absolute_url()}/@@track?code={code}&token={secret}")
        assert leaks(browser.contents) == []
        transaction.begin()
        assert leaks(outbox_text(portal)) == []
        found = rest.post("@servicedesk-privacy/find", json={"mobile": "09121234567"})
        assert found.json()["items_total"] == 0


class TestSettingsLog:
    def test_a_change_is_shown_with_who_and_what(self, functional, browser_factory):
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(functional["portal"], "servicedesk-settings"))
        browser.getControl(name="form.widgets.reopen_days").value = "21"
        browser.getControl(name="form.buttons.save").click()
        browser.open(url(functional["portal"], "servicedesk-settings-log"))
        assert status(browser) == 200
        row = browser.contents.split("<tbody>", 1)[1].split("</tr>", 1)[0]
        assert "uni.servicedesk.reopen_days" in row
        assert "Days a resolved request may be reopened" in row
        assert "test-siteadmin" in row
        assert ">14<" in row and ">21<" in row
        assert "private, no-store" in browser.headers["Cache-Control"]

    def test_a_secret_is_logged_but_never_shown(self, functional, browser_factory):
        secret = "kave-SECRET-1b2c3d"
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(functional["portal"], "servicedesk-notifications"))
        browser.getControl(name="form.widgets.kavenegar_api_key").value = secret
        browser.getControl(name="form.buttons.save").click()
        browser.open(url(functional["portal"], "servicedesk-settings-log"))
        assert "uni.servicedesk.notifications.kavenegar_api_key" in browser.contents
        assert "Changed (a secret: not shown)" in browser.contents
        assert secret not in browser.contents
        transaction.begin()
        assert secret not in repr(privacy.settings_changes())

    @pytest.mark.parametrize(
        "user", ["test-supervisor", "test-agent", "test-editor", "test-member", None]
    )
    def test_others_may_not(self, functional, browser_factory, user):
        browser = browser_factory(user, language="en")
        browser.open(url(functional["portal"], "servicedesk-settings-log"))
        assert refused(browser)
        assert "settings-changes" not in browser.contents
