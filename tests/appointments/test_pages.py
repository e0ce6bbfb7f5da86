"""Booking, following and the staff's day through the publisher (pages and REST)."""

from concurrent.futures import ThreadPoolExecutor
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.appointments.conftest import BOOKER
from tests.appointments.conftest import make_calendar
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api import appointments as booking_api

import datetime
import pytest
import requests
import transaction

EVERY_DAY = [f"{day} 08:00-18:00" for day in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")]


@pytest.fixture
def desk_calendar(functional):
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    service = make_service(make_catalog(portal), code="STU-901", allow_anonymous=True)
    calendar = make_calendar(
        service, weekly_hours=EVERY_DAY, min_notice_hours=0, cancel_cutoff_hours=1, capacity=5
    )
    logout()
    transaction.commit()
    return calendar


def first_free(calendar):
    transaction.begin()
    return booking_api.next_free(calendar, limit=1)[0]


def book_in_browser(browser, calendar, slot, **changes):
    browser.open(f"{calendar.absolute_url()}?day={slot.start.date().isoformat()}")
    browser.getControl(name="slot").value = [slot.key]
    for name, value in dict(BOOKER, **changes).items():
        browser.getControl(name=name).value = value
    browser.getControl(name="form.buttons.book").click()
    return browser


def movable_free(calendar):
    """The first free time beyond the cancel/move cut-off (with a margin), so that the
    tests that cancel or move pass at any time of day."""
    transaction.begin()
    margin = datetime.timedelta(hours=calendar.cancel_cutoff_hours + 6)
    return [
        s
        for s in booking_api.next_free(calendar, limit=500)
        if s.start > booking_api.now() + margin
    ][0]


def book_one(calendar, browser_factory):
    """An anonymous visitor books a free time that may still be cancelled or moved."""
    slot = movable_free(calendar)
    book_in_browser(browser_factory(), calendar, slot)
    [booking] = bookings(calendar)
    return slot, booking


def bookings(calendar):
    transaction.begin()
    return list(calendar.bookings.values())


class TestBookingPage:
    def test_anonymous_books_and_gets_the_receipt(self, desk_calendar, browser_factory):
        slot = first_free(desk_calendar)
        browser = book_in_browser(browser_factory(), desk_calendar, slot)
        [booking] = bookings(desk_calendar)
        assert booking.start == slot.start and booking.applicant_user is None
        assert "نوبت شما ثبت شد" in browser.contents
        digits = booking.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert digits in browser.contents
        browser.getLink(url="@@appointment-ics").click()
        assert browser.headers["content-type"].startswith("text/calendar")
        assert "BEGIN:VEVENT" in browser.contents

    def test_page_shows_a_jalali_month_grid(self, desk_calendar, browser_factory):
        browser = browser_factory()
        browser.open(desk_calendar.absolute_url())
        assert "servicedesk-calendar" in browser.contents
        assert any(
            month in browser.contents
            for month in (
                "آذر",
                "دی",
                "بهمن",
                "اسفند",
                "فروردین",
                "اردیبهشت",
                "خرداد",
                "تیر",
                "مرداد",
                "شهریور",
                "مهر",
                "آبان",
            )
        )

    def test_bad_input_kept_and_nothing_booked(self, desk_calendar, browser_factory):
        slot = first_free(desk_calendar)
        browser = book_in_browser(browser_factory(), desk_calendar, slot, applicant_mobile="123")
        assert browser.headers["status"].startswith("400")
        assert "شماره همراه ایرانی وارد کنید" in browser.contents
        assert browser.getControl(name="applicant_mobile").value == "123"
        assert bookings(desk_calendar) == []

    def test_members_only_calendar(self, desk_calendar, browser_factory):
        desk_calendar.allow_anonymous = False
        transaction.commit()
        browser = browser_factory()
        browser.open(desk_calendar.absolute_url())
        assert "servicedesk-unavailable" in browser.contents
        assert "form.buttons.book" not in browser.contents
        slot = first_free(desk_calendar)
        book_in_browser(browser_factory("test-member"), desk_calendar, slot)
        [booking] = bookings(desk_calendar)
        assert booking.applicant_user == "test-member"


class TestFollowing:
    def test_follow_cancel_with_code_and_mobile(self, desk_calendar, browser_factory):
        slot, booking = book_one(desk_calendar, browser_factory)
        browser = browser_factory()
        browser.open(f"{desk_calendar.portal_url()}/@@appointment")
        browser.getControl(name="code").value = booking.tracking_code
        browser.getControl(name="verifier").value = "۰۹۱۲۱۲۳۴۵۶۷"
        browser.getControl(name="form.buttons.show").click()
        assert "نوبت مشاوره" in browser.contents
        browser.getControl(name="form.buttons.cancel").click()
        transaction.begin()
        assert booking.state == "cancelled"
        assert "نوبت شما لغو شد" in browser.contents

    def test_move_with_the_private_link(self, desk_calendar, browser_factory):
        slot, booking = book_one(desk_calendar, browser_factory)
        browser = browser_factory()
        browser.open(booking_api.tracking_url(booking))
        control = browser.getControl(name="slot")
        target = [v for v in control.options if v != booking.slot][0]
        control.value = [target]
        browser.getControl(name="form.buttons.move").click()
        transaction.begin()
        assert booking.slot == target

    def test_wrong_verifier_reveals_nothing(self, desk_calendar, browser_factory):
        slot, booking = book_one(desk_calendar, browser_factory)
        browser = browser_factory()
        browser.open(
            f"{desk_calendar.portal_url()}/@@appointment?code={booking.tracking_code}&token=nope"
        )
        assert browser.headers["status"].startswith("404")
        assert "نوبت مشاوره" not in browser.contents
        browser.open(
            f"{desk_calendar.portal_url()}/@@appointment-ics?code={booking.tracking_code}&token=nope"
        )
        assert browser.headers["status"].startswith("404")


class TestStaff:
    def test_day_view_check_in_and_block(self, desk_calendar, browser_factory):
        slot, booking = book_one(desk_calendar, browser_factory)
        browser = browser_factory("test-agent")
        browser.open(
            f"{desk_calendar.absolute_url()}/@@appointments-day?day={slot.start.date().isoformat()}"
        )
        assert BOOKER["applicant_name"] in browser.contents
        browser.getControl(name="form.buttons.attended").click()
        transaction.begin()
        assert booking.state == "attended"
        browser.getControl(name="reason", index=1).value = "جلسه شورا"
        browser.getControl(name="form.buttons.block", index=1).click()
        transaction.begin()
        blocked = [
            s
            for s in booking_api.day_slots(desk_calendar, slot.start.date(), bookable_only=False)
            if s.blocked
        ]
        assert [s.blocked for s in blocked] == ["جلسه شورا"]
        browser.open(f"{desk_calendar.absolute_url()}/@@appointments-week")
        assert browser.headers["status"].startswith("200")

    @pytest.mark.parametrize("user", [None, "test-member", "test-editor"])
    def test_others_may_not_see_the_day(self, desk_calendar, browser_factory, user):
        slot = first_free(desk_calendar)
        book_in_browser(browser_factory(), desk_calendar, slot)
        browser = browser_factory(user)
        browser.open(
            f"{desk_calendar.absolute_url()}/@@appointments-day?day={slot.start.date().isoformat()}"
        )
        assert BOOKER["applicant_name"] not in browser.contents
        assert browser.url.split("?")[0].rsplit("/", 1)[-1] in ("login", "insufficient-privileges")


class TestRest:
    def test_slots_book_follow_cancel(self, desk_calendar, rest_factory):
        rest = rest_factory()
        slots = rest.get("/services/stu-901/appointments/@slots").json()["items"]
        assert slots and slots[0]["free"] == 5
        movable = movable_free(desk_calendar).key  # beyond the cut-off: it may be cancelled
        assert movable in [s["slot"] for s in slots]
        response = rest.post(
            "/services/stu-901/appointments/@book", json=dict(BOOKER, slot=movable)
        )
        assert response.status_code == 201, response.text
        code = response.json()["tracking_code"]
        view = rest.post("/@appointment", json={"code": code, "verifier": "sara@example.com"})
        assert view.status_code == 200 and view.json()["state"] == "booked"
        cancelled = rest.post(
            "/@appointment",
            json={"code": code, "verifier": "09121234567", "cancel": "دیگر لازم نیست"},
        )
        assert cancelled.json()["state"] == "cancelled"
        assert rest.post("/@appointment", json={"code": code, "verifier": "x"}).status_code == 404

    def test_bad_booking(self, desk_calendar, rest_factory):
        rest = rest_factory()
        response = rest.post(
            "/services/stu-901/appointments/@book",
            json=dict(BOOKER, slot="2020-01-01T08:00", applicant_name=""),
        )
        assert response.status_code == 400
        error = response.json()["error"]  # plone.restapi's error shape, as all our endpoints
        assert error["type"] == "BadRequest" and error["message"]
        assert {e["field"] for e in error["errors"]} == {"slot", "applicant_name"}
        assert rest.post("/services/stu-901/appointments/@book", data="nope").status_code == 400
        assert bookings(desk_calendar) == []


def test_twenty_people_for_five_seats(desk_calendar, functional):
    """20 threads book one slot of capacity 5 through the publisher: exactly 5 succeed."""
    slot = first_free(desk_calendar)
    url = f"{desk_calendar.absolute_url()}/@book"

    def attempt(index):
        body = dict(
            BOOKER,
            slot=slot.key,
            applicant_mobile=f"0912{index:07d}",
            applicant_email=f"person{index}@example.com",
        )  # 20 people
        return requests.post(url, json=body, headers={"Accept": "application/json"}, timeout=60)

    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(attempt, range(20)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 5 + [409] * 15, [
        r.text[:200] for r in responses if r.status_code >= 500
    ]
    codes = {r.json()["tracking_code"] for r in responses if r.status_code == 201}
    transaction.begin()
    assert set(desk_calendar.slots[slot.key].codes) == codes
    assert {b.tracking_code for b in desk_calendar.bookings.values()} == codes
    losers = [r.json() for r in responses if r.status_code == 409]
    assert all(loser["free"] and loser["free"][0]["slot"] != slot.key for loser in losers)
