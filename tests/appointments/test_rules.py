"""Slots, closures, booking, cancelling, moving, check-in and blocking (the domain API)."""

from AccessControl import Unauthorized
from plone import api
from tests.appointments.conftest import BOOKER
from tests.appointments.conftest import NOW
from tests.appointments.conftest import SATURDAY
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.working_time import parse_holidays
from uni.servicedesk.working_time import parse_weekly_hours

import datetime
import pytest


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute))


class TestSlots:
    def test_periods_in_latin_and_persian(self, calendar):
        slots = booking_api.day_slots(calendar, SATURDAY, at=NOW)
        assert [s.start.strftime("%H:%M") for s in slots] == [
            "08:00",
            "08:30",
            "09:00",
            "09:30",
            "13:00",
            "13:30",
            "15:00",
            "15:30",
        ]
        assert all(s.free == 2 for s in slots)

    def test_days_without_hours_are_empty(self, calendar):
        assert booking_api.day_slots(calendar, SATURDAY + datetime.timedelta(days=1), at=NOW) == []

    def test_minimum_notice_and_past(self, calendar):
        slots = booking_api.day_slots(calendar, SATURDAY, at=at(SATURDAY, 7, 30))
        assert slots[0].start == at(SATURDAY, 9, 30)  # two hours' notice

    def test_horizon(self, calendar):
        calendar.horizon_days = 2
        assert booking_api.day_slots(calendar, SATURDAY, at=NOW) == []

    def test_one_off_closure_a_range_and_yearly_new_year(self, calendar):
        # 1405/09/14 is Saturday 5 December 2026; Nowruz 1406 starts on Saturday 21 March 2027.
        calendar.closures = [
            "1405/09/14 تعطیل رسمی",
            "۱۴۰۵/۰۹/۲۰-۱۴۰۵/۰۹/۲۱",
            "01/01 نوروز",
            "01/02",
            "01/03",
            "01/04",
        ]
        assert booking_api.is_closed(calendar, SATURDAY)
        assert booking_api.day_slots(calendar, SATURDAY, at=NOW) == []
        assert booking_api.is_closed(calendar, datetime.date(2026, 12, 11))
        assert booking_api.is_closed(calendar, datetime.date(2027, 3, 21))
        assert booking_api.is_closed(calendar, datetime.date(2027, 3, 24))
        assert not booking_api.is_closed(calendar, datetime.date(2027, 3, 25))
        assert booking_api.is_closed(calendar, datetime.date(2026, 12, 12))
        assert not booking_api.is_closed(calendar, datetime.date(2026, 12, 13))

    @pytest.mark.parametrize(
        "line", ["sat", "xyz 08:00-09:00", "sat 10:00-09:00", "sat 25:00-26:00"]
    )
    def test_unreadable_hours(self, line):
        with pytest.raises(ValueError):
            parse_weekly_hours([line])

    @pytest.mark.parametrize("line", ["tomorrow", "1405/13/01", "1405/01/05-1405/01/01"])
    def test_unreadable_closures(self, line):
        with pytest.raises(ValueError):
            parse_holidays([line])

    def test_free_slots_and_bookable_days(self, calendar):
        free = booking_api.free_slots(
            calendar, SATURDAY, SATURDAY + datetime.timedelta(days=2), at=NOW
        )
        assert len(free) == 8 + 2  # Saturday and Monday
        days = dict(booking_api.bookable_days(calendar, at=NOW))
        assert days[SATURDAY] == 16 and days[SATURDAY + datetime.timedelta(days=1)] == 0


class TestBooking:
    def test_book_takes_a_seat(self, calendar):
        booking = booking_api.book(calendar, at(SATURDAY, 8), BOOKER, at=NOW)
        assert booking.state == "booked" and booking.start == at(SATURDAY, 8)
        assert booking_api.find(booking.tracking_code) is booking
        [first] = booking_api.day_slots(calendar, SATURDAY, at=NOW)[:1]
        assert first.taken == 1 and first.free == 1

    def test_full_slot_refused_with_the_next_free(self, calendar):
        for mobile in ("09121111111", "09122222222"):
            booking_api.book(
                calendar, "2026-12-05T08:00", dict(BOOKER, applicant_mobile=mobile), at=NOW
            )
        with pytest.raises(booking_api.BookingError) as raised:
            booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        assert "slot" in raised.value.errors
        assert [s.key for s in raised.value.free][:2] == ["2026-12-05T08:30", "2026-12-05T09:00"]

    @pytest.mark.parametrize(
        "slot", ["2026-12-05T08:15", "2026-12-06T08:00", "nonsense", "", "2026-12-01T08:00"]
    )
    def test_only_offered_times(self, calendar, slot):
        with pytest.raises(booking_api.BookingError) as raised:
            booking_api.book(calendar, slot, BOOKER, at=NOW)
        assert list(raised.value.errors) == ["slot"]
        assert len(calendar.bookings) == 0

    def test_persian_digits_in_the_slot(self, calendar):
        booking = booking_api.book(calendar, "۲۰۲۶-۱۲-۰۵T۰۸:۳۰", BOOKER, at=NOW)
        assert booking.slot == "2026-12-05T08:30"

    def test_bad_contact_details(self, calendar):
        with pytest.raises(booking_api.BookingError) as raised:
            booking_api.book(
                calendar,
                "2026-12-05T08:00",
                {"applicant_name": "", "applicant_mobile": "123"},
                at=NOW,
            )
        assert set(raised.value.errors) == {"applicant_name", "applicant_mobile"}
        assert len(calendar.bookings) == 0

    def test_audience_and_anonymous_rules(self, calendar):
        calendar.allow_anonymous = False
        with api.env.adopt_roles(["Anonymous"]):
            from plone.app.testing import logout

            logout()
            with pytest.raises(booking_api.BookingError) as raised:
                booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        assert "calendar" in raised.value.errors

    def test_blocked_time_not_offered(self, calendar):
        booking_api.block(calendar, "2026-12-05T08:00", "جلسه")
        assert booking_api.day_slots(calendar, SATURDAY, at=NOW)[0].free == 0
        with pytest.raises(booking_api.BookingError):
            booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        booking_api.unblock(calendar, "2026-12-05T08:00")
        assert booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)

    def test_block_needs_a_reason_and_a_real_time(self, calendar):
        with pytest.raises(booking_api.BookingError):
            booking_api.block(calendar, "2026-12-05T08:00", " ")
        with pytest.raises(booking_api.BookingError):
            booking_api.block(calendar, "2026-12-05T11:00", "x")

    def test_linked_request_must_be_the_applicants(self, calendar):
        from tests.helpers import APPLICANT
        from uni.servicedesk.api import requests as desk_api

        request = desk_api.submit(dict(APPLICANT, kind="question", subject="س", body="متن"))
        booking = booking_api.book(
            calendar, "2026-12-05T08:00", dict(BOOKER, request_code=request.tracking_code), at=NOW
        )
        assert booking.request_code == request.tracking_code
        assert request.timeline[-1]["event"] == "appointment"
        with pytest.raises(booking_api.BookingError) as raised:
            booking_api.book(
                calendar,
                "2026-12-05T08:30",
                dict(
                    BOOKER,
                    applicant_mobile="09351112233",
                    applicant_email="",
                    request_code=request.tracking_code,
                ),
                at=NOW,
            )
        assert list(raised.value.errors) == ["request_code"]


class TestAfterBooking:
    def test_cancel_up_to_the_cutoff_frees_the_seat(self, calendar):
        booking = booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        with pytest.raises(booking_api.BookingError):
            booking_api.cancel(booking, at=at(SATURDAY, 7))  # 24 h cut-off
        booking_api.cancel(booking, at=NOW)
        assert booking.state == "cancelled"
        assert booking_api.day_slots(calendar, SATURDAY, at=NOW)[0].free == 2
        with pytest.raises(booking_api.BookingError):
            booking_api.cancel(booking, at=NOW)

    def test_reschedule(self, calendar):
        booking = booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        booking_api.reschedule(booking, "2026-12-05T13:00", at=NOW)
        slots = {s.key: s for s in booking_api.day_slots(calendar, SATURDAY, at=NOW)}
        assert slots["2026-12-05T08:00"].taken == 0 and slots["2026-12-05T13:00"].taken == 1
        with pytest.raises(booking_api.BookingError):
            booking_api.reschedule(booking, "2026-12-05T13:15", at=NOW)
        with pytest.raises(booking_api.BookingError):
            booking_api.reschedule(booking, "2026-12-05T15:00", at=at(SATURDAY, 7))

    def test_staff_cancel_needs_a_reason_and_the_permission(self, calendar):
        from plone.app.testing import login

        booking = booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        with pytest.raises(booking_api.BookingError):
            booking_api.cancel(booking, "", by_staff=True)
        login(api.portal.get(), "test-member")
        with pytest.raises(Unauthorized):
            booking_api.cancel(booking, "بیماری کارشناس", by_staff=True)
        with pytest.raises(Unauthorized):
            booking_api.check_in(booking)
        with pytest.raises(Unauthorized):
            booking_api.block(calendar, "2026-12-05T08:30", "x")
        login(api.portal.get(), "test-agent")
        booking_api.cancel(booking, "بیماری کارشناس", by_staff=True, at=at(SATURDAY, 7))
        assert booking.cancelled_by_staff and booking.cancel_reason == "بیماری کارشناس"

    def test_check_in(self, calendar):
        booking = booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        booking_api.check_in(booking, attended=False)
        assert booking.state == "no_show"
        booking_api.check_in(booking)
        assert booking.state == "attended"

    def test_verify(self, calendar):
        booking = booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        assert booking_api.verify(booking.tracking_code, "۰۹۱۲۱۲۳۴۵۶۷") is booking
        assert booking_api.verify(booking.tracking_code, booking.tracking_secret) is booking
        assert booking_api.verify(booking.tracking_code, "09120000000") is None

    def test_ics(self, calendar):
        from icalendar import Calendar

        api.portal.set_registry_record("plone.portal_timezone", "Asia/Tehran")
        booking = booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)
        [event] = Calendar.from_ical(booking_api.ics(booking)).walk("VEVENT")
        assert str(event["summary"]) == "نوبت مشاوره"
        assert event.decoded("dtstart").isoformat() == "2026-12-05T08:00:00+03:30"
        assert booking.tracking_code in str(event["description"])
