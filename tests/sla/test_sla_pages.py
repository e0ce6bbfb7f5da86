"""The SLA control panel through the publisher: holidays typed or imported, bad lines
refused with nothing saved, and who may not."""
from plone import api

import io
import pytest
import transaction

RECORD = "uni.servicedesk.sla.holidays"


def panel(functional):
    return functional["portal"].absolute_url() + "/@@servicedesk-sla"


def test_import_holidays_file(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    before = api.portal.get_registry_record(RECORD)
    assert "01/01-01/04 نوروز" in before
    lines = "۱۴۰۵/۰۱/۰۲ تاسوعا\n1405/01/03,عاشورا\n\n01/01-01/04 نوروز\n".encode("utf-8")
    browser.getControl(name="form.widgets.holidays_file").add_file(
        io.BytesIO(lines), "text/plain", "holidays-1405.txt")
    browser.getControl(name="form.buttons.save").click()
    assert browser.headers["status"].startswith("200")
    transaction.begin()
    after = api.portal.get_registry_record(RECORD)
    assert after[: len(before)] == before
    assert after[len(before):] == ["۱۴۰۵/۰۱/۰۲ تاسوعا", "1405/01/03"]  # no duplicate Nowruz


def test_bad_file_refused_nothing_saved(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    before = api.portal.get_registry_record(RECORD)
    browser.getControl(name="form.widgets.holidays_file").add_file(
        io.BytesIO("1405/01/02\n1405/13/40 nonsense\n".encode()), "text/plain", "h.txt")
    browser.getControl(name="form.widgets.working_hours").value = "08:00-16:00"
    browser.getControl(name="form.buttons.save").click()
    assert "This line is not a Jalali date or range: 1405/13/40 nonsense" in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record(RECORD) == before
    assert api.portal.get_registry_record("uni.servicedesk.sla.working_hours") == "07:30-14:30"


def test_bad_hours_and_lines_refused(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    browser.getControl(name="form.widgets.working_hours").value = "16:00-08:00"
    browser.getControl(name="form.widgets.holidays").value = "01/01\nfoo"
    browser.getControl(name="form.buttons.save").click()
    assert "Write the hours as 07:30-14:30" in browser.contents
    assert "This line is not a Jalali date or range: foo" in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record("uni.servicedesk.sla.working_hours") == "07:30-14:30"


def test_persian_panel(functional, browser_factory):
    browser = browser_factory("test-siteadmin")
    browser.open(panel(functional))
    assert "ساعت کاری" in browser.contents


@pytest.mark.parametrize("user", [None, "test-member", "test-editor", "test-agent", "test-supervisor"])
def test_others_may_not(functional, browser_factory, user):
    browser = browser_factory(user, language="en")
    browser.open(panel(functional))
    assert "form.widgets.holidays" not in browser.contents
