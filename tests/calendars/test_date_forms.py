"""Every form that takes a date reads it with the one parser: ۱۴۰۵/۰۱/۱۵, 1405-1-15 and
١٤٠٥.١.١٥ are the same day, and 1405/13/01 is refused with a translated message (the
booking page, the staff's day and week, the REST slots, the SLA settings and their import,
the appointment calendar's closures). Who may not see the staff's pages is not told more."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.appointments.conftest import make_calendar
from tests.helpers import make_catalog
from tests.helpers import make_service

from urllib.parse import quote

import datetime
import io
import pytest
import transaction

SAME_DAY = ["۱۴۰۵/۰۱/۱۵", "1405-1-15", "١٤٠٥.١.١٥"]  # Saturday 4 April 2026
BAD = "1405/13/01"
# the message for a text that is not a date, in Persian and in English
NOT_A_DATE_FA = "«1405/13/01» تاریخ درستی نیست. به صورت سال/ماه/روز بنویسید"
NOT_A_DATE_EN = "“1405/13/01” is not a date. Write year/month/day, for example 1405/01/15."
NOT_A_LINE_FA = "این سطر تاریخ یا بازه شمسی نیست: 1405/13/01"
EVERY_DAY = [f"{day} 08:00-10:00" for day in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")]


@pytest.fixture
def office(functional, frozen_now):
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    service = make_service(make_catalog(portal), code="STU-901", allow_anonymous=True)
    calendar = make_calendar(service, weekly_hours=EVERY_DAY, min_notice_hours=0, horizon_days=30)
    logout()
    transaction.commit()
    frozen_now(datetime.datetime(2026, 4, 1, 7, 0))
    return calendar


class TestBookingPage:
    @pytest.mark.parametrize("text", SAME_DAY)
    def test_the_day_in_any_digits(self, office, browser_factory, text):
        browser = browser_factory()
        browser.open(f"{office.absolute_url()}?day={quote(text)}")
        assert browser.headers["status"].startswith("200")
        assert "۱۵ فروردین ۱۴۰۵" in browser.contents
        assert 'value="2026-04-04T08:00"' in browser.contents

    @pytest.mark.parametrize("language, message", [("fa", NOT_A_DATE_FA), ("en", NOT_A_DATE_EN)])
    def test_not_a_date(self, office, browser_factory, language, message):
        browser = browser_factory(language=language)
        browser.open(f"{office.absolute_url()}?day={BAD}")
        assert browser.headers["status"].startswith("400")
        assert message in browser.contents


class TestStaffPages:
    @pytest.mark.parametrize("text", SAME_DAY)
    def test_the_day_in_any_digits(self, office, browser_factory, text):
        browser = browser_factory("test-siteadmin")
        browser.open(f"{office.absolute_url()}/@@appointments-day?day={quote(text)}")
        assert browser.headers["status"].startswith("200")
        assert "۱۵ فروردین ۱۴۰۵" in browser.contents
        browser.open(f"{office.absolute_url()}/@@appointments-week?start={quote(text)}")
        assert browser.headers["status"].startswith("200")
        assert "۱۵ فروردین ۱۴۰۵" in browser.contents

    @pytest.mark.parametrize(
        "view, name", [("appointments-day", "day"), ("appointments-week", "start")]
    )
    def test_not_a_date(self, office, browser_factory, view, name):
        browser = browser_factory("test-siteadmin")
        browser.open(f"{office.absolute_url()}/@@{view}?{name}={BAD}")
        assert browser.headers["status"].startswith("400")
        assert NOT_A_DATE_FA in browser.contents

    @pytest.mark.parametrize("user", [None, "test-member"])
    def test_others_may_not(self, office, browser_factory, user):
        browser = browser_factory(user)
        browser.open(f"{office.absolute_url()}/@@appointments-day?day={BAD}")
        assert NOT_A_DATE_FA not in browser.contents
        assert "servicedesk-appointments-day" not in browser.contents


class TestRestSlots:
    @pytest.mark.parametrize("text", SAME_DAY)
    def test_the_day_in_any_digits(self, office, rest_factory, text):
        response = rest_factory().get(
            f"/services/stu-901/appointments/@slots?from={text}&to={text}"
        )
        assert response.status_code == 200, response.text
        assert [item["slot"] for item in response.json()["items"]] == [
            "2026-04-04T08:00",
            "2026-04-04T08:30",
            "2026-04-04T09:00",
            "2026-04-04T09:30",
        ]

    @pytest.mark.parametrize("query", [f"from={BAD}", f"to={BAD}", f"from=1405/01/15&to={BAD}"])
    def test_not_a_date(self, office, rest_factory, query):
        response = rest_factory().get(f"/services/stu-901/appointments/@slots?{query}")
        assert response.status_code == 400
        assert response.json()["error"]["message"].startswith(NOT_A_DATE_FA)

    def test_reversed(self, office, rest_factory):
        response = rest_factory().get(
            "/services/stu-901/appointments/@slots?from=1405/01/15&to=1405/01/14"
        )
        assert response.status_code == 400
        assert "«از» باید پیش از «تا»" in response.json()["error"]["message"]


class TestSettings:
    def panel(self, functional, browser_factory):
        browser = browser_factory("test-siteadmin")
        browser.open(functional["portal"].absolute_url() + "/@@servicedesk-sla")
        return browser

    def test_holidays_in_any_digits(self, functional, browser_factory):
        browser = self.panel(functional, browser_factory)
        browser.getControl(name="form.widgets.holidays").value = "\n".join(SAME_DAY)
        browser.getControl(name="form.buttons.save").click()
        transaction.begin()
        assert api.portal.get_registry_record("uni.servicedesk.sla.holidays") == SAME_DAY

    def test_holidays_not_a_date(self, functional, browser_factory):
        browser = self.panel(functional, browser_factory)
        browser.getControl(name="form.widgets.holidays").value = f"1405/01/15\n{BAD}"
        browser.getControl(name="form.buttons.save").click()
        assert NOT_A_LINE_FA in browser.contents
        transaction.begin()
        assert api.portal.get_registry_record("uni.servicedesk.sla.holidays") == []

    def test_holidays_file_not_a_date(self, functional, browser_factory):
        browser = self.panel(functional, browser_factory)
        browser.getControl(name="form.widgets.holidays_file").add_file(
            io.BytesIO(f"{SAME_DAY[0]}\n{BAD}\n".encode()), "text/plain", "h.txt"
        )
        browser.getControl(name="form.buttons.save").click()
        assert NOT_A_LINE_FA in browser.contents
        transaction.begin()
        assert api.portal.get_registry_record("uni.servicedesk.sla.holidays") == []

    def test_calendar_closures(self, office, browser_factory):
        browser = browser_factory("test-siteadmin")
        browser.open(f"{office.absolute_url()}/@@edit")
        browser.getControl(name="form.widgets.closures").value = f"{SAME_DAY[1]}\n{BAD}"
        browser.getControl(name="form.buttons.save").click()
        assert "این سطر تعطیلات خوانا نیست: 1405/13/01" in browser.contents
        transaction.begin()
        assert office.closures == []
        browser.getControl(name="form.widgets.closures").value = "\n".join(SAME_DAY)
        browser.getControl(name="form.buttons.save").click()
        transaction.begin()
        assert office.closures == SAME_DAY
        assert api.content.get_state(office) == "published"
