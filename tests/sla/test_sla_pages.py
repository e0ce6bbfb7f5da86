"""The SLA control panel through the publisher: holidays typed or imported, bad lines
refused with nothing saved, and who may not."""

from lxml import html
from plone import api
from uni.servicedesk.api import sla
from uni.servicedesk.localization import format_date
from uni.servicedesk.localization import JALALI_MONTHS_FA
from uni.servicedesk.working_time import official_holidays

import datetime
import io
import pytest
import transaction

RECORD = "uni.servicedesk.sla.holidays"


def panel(functional):
    return functional["portal"].absolute_url() + "/@@servicedesk-sla"


def test_import_holidays_file(functional, browser_factory):
    api.portal.set_registry_record(RECORD, ["01/01-01/04 نوروز", "07/08 روز دانشگاه"])
    transaction.commit()
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    before = api.portal.get_registry_record(RECORD)
    lines = "۱۴۰۵/۰۱/۰۲ تاسوعا\n1405/01/03,عاشورا\n\n01/01-01/04 نوروز\n".encode()
    browser.getControl(name="form.widgets.holidays_file").add_file(
        io.BytesIO(lines), "text/plain", "holidays-1405.txt"
    )
    browser.getControl(name="form.buttons.save").click()
    assert browser.headers["status"].startswith("200")
    transaction.begin()
    after = api.portal.get_registry_record(RECORD)
    assert after[: len(before)] == before
    assert after[len(before) :] == ["۱۴۰۵/۰۱/۰۲ تاسوعا", "1405/01/03"]  # no duplicate Nowruz


def test_bad_file_refused_nothing_saved(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    before = api.portal.get_registry_record(RECORD)
    browser.getControl(name="form.widgets.holidays_file").add_file(
        io.BytesIO(b"1405/01/02\n1405/13/40 nonsense\n"), "text/plain", "h.txt"
    )
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


def official_rows(browser):
    """(date, name) of each row of the panel's list of official holidays."""
    page = html.fromstring(browser.contents)
    return [
        tuple(cell.text_content().strip() for cell in row.findall("td"))
        for row in page.cssselect(".servicedesk-official-holidays-list tbody tr")
    ]


def test_coming_official_holidays(functional, browser_factory):
    """Whatever today is, the coming year holds a Nowruz and an Ashura; dates are Jalali."""
    browser = browser_factory("test-siteadmin")
    browser.open(panel(functional))
    assert "تعطیلات رسمی ایران در یک سال آینده" in browser.contents
    assert "موعدها این روزها را حساب نمی‌کنند" in browser.contents
    rows = official_rows(browser)
    names = [name for _date, name in rows]
    assert any("نوروز" in name for name in names)
    assert any(name.startswith("عاشورای حسینی") for name in names)
    today = sla.now_local().date()
    coming = official_holidays(today, today + datetime.timedelta(days=365))
    assert rows == [(format_date(day, "fa"), name) for day, name in coming]
    assert any(month in rows[0][0] for month in JALALI_MONTHS_FA)  # a Jalali date


def test_official_holidays_not_observed(functional, browser_factory):
    api.portal.set_registry_record("uni.servicedesk.sla.official_holidays", False)
    transaction.commit()
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    assert "Not observed: due dates count these days as working days." in browser.contents
    assert any(name.startswith("Ashura") for _date, name in official_rows(browser))
    browser.getControl(name="form.widgets.official_holidays:list").value = ["selected"]
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert api.portal.get_registry_record("uni.servicedesk.sla.official_holidays") is True


@pytest.mark.parametrize(
    "user", [None, "test-member", "test-editor", "test-agent", "test-supervisor"]
)
def test_others_may_not(functional, browser_factory, user):
    browser = browser_factory(user, language="en")
    browser.open(panel(functional))
    assert "form.widgets.holidays" not in browser.contents


class TestOnTheRequestPage:
    @pytest.fixture
    def request_obj(self, functional, service_catalog):
        from plone.app.testing import logout
        from tests.helpers import APPLICANT
        from tests.helpers import make_service
        from tests.helpers import Upload
        from uni.servicedesk.api import requests as desk_api

        with api.env.adopt_roles(["Manager"]):
            service = make_service(
                service_catalog,
                code="EDU-101",
                allow_anonymous=True,
                required_documents=["کارت ملی"],
            )
        transaction.commit()
        logout()
        request = desk_api.submit(
            dict(APPLICANT, kind="request"), service=service, documents={0: Upload()}
        )
        transaction.commit()
        return request

    def test_supervisor_sees_the_clock_and_escalates(self, request_obj, browser_factory):
        browser = browser_factory("test-supervisor", language="en")
        browser.open(request_obj.absolute_url())
        assert "servicedesk-sla-on_time" in browser.contents
        assert "of working time left" in browser.contents
        from urllib.parse import urlencode

        def escalate(reason):
            token = browser.getControl(name="_authenticator", index=0).value
            browser.post(
                request_obj.absolute_url(),
                urlencode({
                    "action": "escalate",
                    "text": reason,
                    "_authenticator": token,
                    "form.buttons.escalate": "1",
                }),
            )

        assert "form.buttons.escalate" in browser.contents
        escalate("")
        assert "Say why you escalate the request." in browser.contents
        transaction.begin()
        assert request_obj.escalation_level == 0
        escalate("متقاضی سه بار تماس گرفته")
        transaction.begin()
        assert request_obj.escalation_level == 1
        assert request_obj.timeline[-1]["event"] == "escalated"

    def test_the_applicant_sees_no_clock_nor_escalation(self, request_obj, browser_factory):
        from uni.servicedesk.api import requests as desk_api

        browser = browser_factory(None, language="en")
        browser.open(desk_api.tracking_url(request_obj))
        assert "servicedesk-sla" not in browser.contents
        assert "form.buttons.escalate" not in browser.contents


@pytest.mark.parametrize("user", ["test-agent", "test-member"])
def test_escalation_refused_to_others_through_the_page(
    functional, service_catalog, browser_factory, user
):
    from plone.app.testing import logout
    from tests.helpers import APPLICANT
    from tests.helpers import make_service
    from tests.helpers import Upload
    from uni.servicedesk.api import requests as desk_api
    from urllib.parse import urlencode

    with api.env.adopt_roles(["Manager"]):
        service = make_service(
            service_catalog, code="EDU-101", allow_anonymous=True, required_documents=["کارت ملی"]
        )
    transaction.commit()
    logout()
    with api.env.adopt_user(username="test-member"):
        request = desk_api.submit(
            dict(APPLICANT, kind="request"), service=service, documents={0: Upload()}
        )
    with api.env.adopt_roles(["Manager"]):
        request.manage_setLocalRoles("test-agent", ["Request Handler"])
        request.reindexObjectSecurity()
    transaction.commit()
    browser = browser_factory(user, language="en")
    browser.open(request.absolute_url())
    assert "form.buttons.escalate" not in browser.contents
    token = browser.getControl(name="_authenticator", index=0).value
    browser.post(
        request.absolute_url(),
        urlencode({"action": "escalate", "text": "x", "_authenticator": token}),
    )
    transaction.begin()
    assert request.escalation_level == 0
