"""Iran's official holidays in the desk's calendar: due dates skip them while the setting
is on (and not when it is off); appointment calendars that follow the desk are closed on
them (the rules, the public booking page and the REST slots). Fixed dates, not today's."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.appointments.conftest import make_calendar
from tests.helpers import APPLICANT
from tests.helpers import make_catalog
from tests.helpers import make_service
from tests.helpers import Upload
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import sla
from zoneinfo import ZoneInfo

import datetime
import pytest
import transaction

TEHRAN = ZoneInfo("Asia/Tehran")
OFFICIAL = "uni.servicedesk.sla.official_holidays"
OWN_HOLIDAYS = "uni.servicedesk.sla.holidays"
EVERY_DAY = [f"{day} 08:00-10:00" for day in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")]
TASUA, ASHURA = datetime.date(2026, 6, 24), datetime.date(2026, 6, 25)
NOWRUZ = [datetime.date(2026, 3, day) for day in (21, 22, 23, 24)]  # 1405/01/01-04
EID_AL_FITR = datetime.date(2026, 3, 21)  # and 22: in Nowruz this year
CLOSED_DAYS = [TASUA, ASHURA, EID_AL_FITR, *NOWRUZ]


def settings(official, own=()):
    api.portal.set_registry_record(OFFICIAL, official)
    api.portal.set_registry_record(OWN_HOLIDAYS, list(own))


def due_after(desk, started):
    """The due date of a request of the desk's service (3 working days) registered then."""
    logout()
    request = desk_api.submit(
        dict(APPLICANT, kind="request", body="لطفا گواهی صادر شود"),
        service=desk["service"],
        documents={0: Upload()},
    )
    sla.start(request, desk["service"], now=started)
    return request.due_date


class TestDueDates:
    # Registered on Tuesday 1405/04/02 10:00; Friday is the only weekly day off.
    TUESDAY = datetime.datetime(2026, 6, 23, 10, tzinfo=TEHRAN)
    # Registered on Wednesday 1404/12/27 10:00: Friday 12/29 is also oil nationalisation day.
    WEDNESDAY = datetime.datetime(2026, 3, 18, 10, tzinfo=TEHRAN)

    def test_the_setting_is_on_by_default(self, desk):
        assert api.portal.get_registry_record(OFFICIAL) is True
        assert api.portal.get_registry_record(OWN_HOLIDAYS) == []

    def test_tasua_and_ashura_skipped(self, desk):
        settings(True)
        # (Wed, Thu holidays, Fri off) Sat, Sun, Mon
        assert due_after(desk, self.TUESDAY) == datetime.datetime(2026, 6, 29, 14, 30)

    def test_tasua_and_ashura_counted_when_off(self, desk):
        settings(False)
        # Wed, Thu, (Fri off) Sat
        assert due_after(desk, self.TUESDAY) == datetime.datetime(2026, 6, 27, 14, 30)

    def test_nowruz_and_eid_al_fitr_skipped(self, desk):
        settings(True)
        # Thu, (Fri off; Sat 1405/01/01 - Tue 01/04 Nowruz and Eid al-Fitr) Wed, Thu
        assert due_after(desk, self.WEDNESDAY) == datetime.datetime(2026, 3, 26, 14, 30)

    def test_nowruz_and_eid_al_fitr_counted_when_off(self, desk):
        settings(False)
        # Thu, (Fri off) Sat, Sun
        assert due_after(desk, self.WEDNESDAY) == datetime.datetime(2026, 3, 22, 14, 30)

    def test_own_holidays_without_the_official_ones(self, desk):
        settings(False, ["1405/04/03 روز دانشگاه"])  # Wednesday 24 June 2026
        # (Wed own holiday) Thu, (Fri off) Sat, Sun
        assert due_after(desk, self.TUESDAY) == datetime.datetime(2026, 6, 28, 14, 30)

    def test_the_calendar_follows_the_setting(self, desk):
        settings(True)
        assert not sla.working_calendar().is_working_day(ASHURA)
        settings(False)
        assert sla.working_calendar().is_working_day(ASHURA)


@pytest.fixture
def appointments(manager):
    service = make_service(make_catalog(manager), code="STU-901")
    return make_calendar(service, weekly_hours=EVERY_DAY, min_notice_hours=0, horizon_days=60)


class TestAppointmentCalendars:
    def test_new_calendars_follow_the_desk(self, appointments):
        assert appointments.follow_desk_holidays is True

    @pytest.mark.parametrize("day", CLOSED_DAYS)
    def test_closed_on_official_holidays(self, appointments, day):
        settings(True)
        assert booking_api.is_closed(appointments, day)
        at = datetime.datetime.combine(day - datetime.timedelta(days=7), datetime.time(7))
        assert booking_api.day_slots(appointments, day, at=at) == []

    @pytest.mark.parametrize("day", CLOSED_DAYS)
    def test_open_when_the_desk_does_not_observe_them(self, appointments, day):
        settings(False)
        assert not booking_api.is_closed(appointments, day)
        at = datetime.datetime.combine(day - datetime.timedelta(days=7), datetime.time(7))
        assert len(booking_api.day_slots(appointments, day, at=at)) == 4

    def test_open_when_not_following_the_desk(self, appointments):
        settings(True)
        appointments.follow_desk_holidays = False
        assert not any(booking_api.is_closed(appointments, day) for day in CLOSED_DAYS)

    def test_the_desks_own_holidays_and_the_calendars_closures(self, appointments):
        settings(False, ["1405/04/01"])
        appointments.closures = ["04/02 every year"]
        assert booking_api.is_closed(appointments, datetime.date(2026, 6, 22))  # the desk's
        assert booking_api.is_closed(appointments, datetime.date(2026, 6, 23))  # its own
        assert not booking_api.is_closed(appointments, TASUA)
        appointments.follow_desk_holidays = False
        assert not booking_api.is_closed(appointments, datetime.date(2026, 6, 22))
        assert booking_api.is_closed(appointments, datetime.date(2026, 6, 23))

    def test_booking_a_holiday_refused(self, appointments):
        settings(True)
        at = datetime.datetime(2026, 6, 20, 7)
        with pytest.raises(booking_api.BookingError) as raised:
            booking_api.book(
                appointments, datetime.datetime(2026, 6, 24, 8), dict(APPLICANT), at=at
            )
        assert "slot" in raised.value.errors
        assert booking_api.book(
            appointments, datetime.datetime(2026, 6, 23, 8), dict(APPLICANT), at=at
        )


# -- through the publisher ------------------------------------------------------------------


@pytest.fixture
def office(functional):
    """A published calendar open every day 08:00-10:00 (4 slots), committed."""
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    service = make_service(make_catalog(portal), code="STU-901", allow_anonymous=True)
    calendar = make_calendar(service, weekly_hours=EVERY_DAY, min_notice_hours=0, horizon_days=30)
    logout()
    transaction.commit()
    return calendar


def commit_settings(official):
    api.portal.set_registry_record(OFFICIAL, official)
    transaction.commit()


def slot_days(rest, first, last):
    response = rest.get(f"/services/stu-901/appointments/@slots?from={first}&to={last}")
    assert response.status_code == 200, response.text
    return {datetime.date.fromisoformat(item["slot"][:10]) for item in response.json()["items"]}


def week_of(day):
    return [day + datetime.timedelta(days=offset) for offset in range(-1, 6)]


class TestPages:
    @pytest.mark.parametrize("official", [True, False])
    def test_rest_slots_around_tasua_and_ashura(self, office, rest_factory, frozen_now, official):
        frozen_now(datetime.datetime(2026, 6, 20, 7, 0))
        commit_settings(official)
        days = slot_days(rest_factory(), "1405/04/02", "1405/04/05")  # 23-26 June 2026
        expected = {datetime.date(2026, 6, 23), datetime.date(2026, 6, 26)}
        assert days == (expected if official else expected | {TASUA, ASHURA})

    @pytest.mark.parametrize("official", [True, False])
    def test_rest_slots_around_nowruz_and_eid_al_fitr(
        self, office, rest_factory, frozen_now, official
    ):
        frozen_now(datetime.datetime(2026, 3, 15, 7, 0))
        commit_settings(official)
        days = slot_days(rest_factory(), "2026-03-19", "2026-03-25")
        # Friday 20 March is oil nationalisation day
        holidays = {datetime.date(2026, 3, 20), *NOWRUZ}
        every = {datetime.date(2026, 3, 19) + datetime.timedelta(days=n) for n in range(7)}
        assert days == (every - holidays if official else every)

    @pytest.mark.parametrize("official", [True, False])
    def test_booking_page_around_tasua_and_ashura(
        self, office, browser_factory, frozen_now, official
    ):
        frozen_now(datetime.datetime(2026, 6, 20, 7, 0))
        commit_settings(official)
        browser = browser_factory()
        browser.open(office.absolute_url())
        assert browser.headers["status"].startswith("200")
        for day in (datetime.date(2026, 6, 23), datetime.date(2026, 6, 26)):
            assert f"?day={day.isoformat()}" in browser.contents  # a day people can choose
        for day in (TASUA, ASHURA):
            assert (f"?day={day.isoformat()}" in browser.contents) is not official
        browser.open(f"{office.absolute_url()}?day=1405/04/03")  # Tasua, as people type it
        assert ('value="2026-06-24T08:00"' in browser.contents) is not official
        assert ("تیر" in browser.contents) and ("۳ تیر ۱۴۰۵" in browser.contents)

    def test_booking_page_around_nowruz(self, office, browser_factory, frozen_now):
        frozen_now(datetime.datetime(2026, 3, 15, 7, 0))
        commit_settings(True)
        browser = browser_factory()
        browser.open(office.absolute_url())
        assert "?day=2026-03-19" in browser.contents and "?day=2026-03-25" in browser.contents
        for day in NOWRUZ:
            assert f"?day={day.isoformat()}" not in browser.contents
