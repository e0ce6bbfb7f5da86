"""The SLA clock: working hours, days off, Jalali holidays, pauses and the holiday parser."""

from persiantools.jdatetime import JalaliDate
from uni.servicedesk.api.sla.calendar import add_business_days
from uni.servicedesk.api.sla.calendar import add_business_time
from uni.servicedesk.api.sla.calendar import business_time_between
from uni.servicedesk.api.sla.calendar import FRIDAY
from uni.servicedesk.api.sla.calendar import TEHRAN
from uni.servicedesk.api.sla.calendar import THURSDAY
from uni.servicedesk.api.sla.calendar import WorkingCalendar
from uni.servicedesk.working_time import parse_holidays
from uni.servicedesk.working_time import parse_hours

import datetime
import pytest
import random

time = datetime.time
UTC = datetime.timezone.utc

# A plain week of 1405 with no fixed holiday: Saturday 2026-05-09 (1405/02/19) to Friday.
SATURDAY = datetime.date(2026, 5, 9)
SUNDAY = SATURDAY + datetime.timedelta(days=1)
WEDNESDAY = SATURDAY + datetime.timedelta(days=4)
THURSDAY_DATE = SATURDAY + datetime.timedelta(days=5)
FRIDAY_DATE = SATURDAY + datetime.timedelta(days=6)
NEXT_SATURDAY = SATURDAY + datetime.timedelta(days=7)
LUNCH_BREAK_HOURS = ((time(8), time(12)), (time(13), time(16)))  # 7 working hours a day
# Iran's official holidays fixed in the solar year, as a calendar's own yearly holidays: the
# arithmetic here does not depend on the holidays library (nor on today's date).
IRAN_SOLAR_HOLIDAYS = frozenset({
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 12),
    (1, 13),
    (3, 14),
    (3, 15),
    (11, 22),
    (12, 29),
})


def at(day, hour, minute=0, tz=TEHRAN):
    return datetime.datetime.combine(day, time(hour, minute), tzinfo=tz)


def hours(count):
    return datetime.timedelta(hours=count)


def minutes(count):
    return datetime.timedelta(minutes=count)


@pytest.fixture
def calendar():
    """A university office: Thursday and Friday off, lunch 12-13, Iran's solar holidays."""
    return WorkingCalendar(
        days_off={THURSDAY, FRIDAY},
        hours=LUNCH_BREAK_HOURS,
        yearly_holidays=IRAN_SOLAR_HOLIDAYS,
    )


@pytest.fixture
def friday_only_calendar():
    return WorkingCalendar(
        days_off={FRIDAY},
        hours=LUNCH_BREAK_HOURS,
        yearly_holidays=IRAN_SOLAR_HOLIDAYS,
    )


def test_the_sample_week_is_what_the_tests_assume():
    assert SATURDAY.strftime("%A") == "Saturday"
    assert WEDNESDAY.strftime("%A") == "Wednesday"
    assert JalaliDate(SATURDAY) == JalaliDate(1405, 2, 19)


class TestWorkingCalendar:
    def test_days_off_and_periods(self, calendar):
        assert calendar.is_working_day(SATURDAY)
        assert not calendar.is_working_day(THURSDAY_DATE)
        assert not calendar.is_working_day(FRIDAY_DATE)
        assert calendar.working_periods(SATURDAY) == [
            (at(SATURDAY, 8), at(SATURDAY, 12)),
            (at(SATURDAY, 13), at(SATURDAY, 16)),
        ]
        assert calendar.working_periods(FRIDAY_DATE) == []

    def test_a_datetime_counts_by_its_local_date(self, calendar):
        # 22:00 UTC on Friday is already 01:30 Saturday in Tehran.
        friday_night_utc = at(FRIDAY_DATE - datetime.timedelta(days=7), 22, tz=UTC)
        assert calendar.is_working_day(friday_night_utc)
        assert calendar.working_periods(friday_night_utc)[0][0] == at(SATURDAY, 8)

    def test_lists_become_frozen_and_hours_sorted(self):
        calendar = WorkingCalendar(days_off=[4], hours=[(time(13), time(16)), (time(8), time(12))])
        assert calendar.days_off == frozenset({4})
        assert calendar.hours == LUNCH_BREAK_HOURS
        assert hash(calendar)

    @pytest.mark.parametrize(
        "days_off, periods",
        [
            (set(range(7)), LUNCH_BREAK_HOURS),
            ({7}, LUNCH_BREAK_HOURS),
            ({4}, ()),
            ({4}, ((time(12), time(8)),)),
            ({4}, ((time(8), time(12)), (time(11), time(16)))),
        ],
    )
    def test_unusable_calendars_are_refused(self, days_off, periods):
        with pytest.raises(ValueError):
            WorkingCalendar(days_off=days_off, hours=periods)

    def test_holidays_all_year_round_fail_instead_of_searching_forever(self):
        _, every_day = parse_holidays(["01/01-12/30"])
        calendar = WorkingCalendar(
            days_off={FRIDAY}, hours=LUNCH_BREAK_HOURS, yearly_holidays=every_day
        )
        with pytest.raises(ValueError):
            add_business_time(calendar, at(SATURDAY, 8), hours(1))
        with pytest.raises(ValueError):
            add_business_days(calendar, at(SATURDAY, 8), 1)


class TestAddBusinessTime:
    def test_wednesday_afternoon_continues_on_saturday(self, calendar):
        assert add_business_time(calendar, at(WEDNESDAY, 15), hours(2)) == at(NEXT_SATURDAY, 9)

    def test_lunch_break_does_not_count(self, calendar):
        assert add_business_time(calendar, at(SATURDAY, 11), hours(2)) == at(SATURDAY, 14)

    def test_before_hours_starts_at_opening(self, calendar):
        assert add_business_time(calendar, at(SATURDAY, 6, 30), hours(1)) == at(SATURDAY, 9)

    def test_after_hours_starts_next_working_morning(self, calendar):
        assert add_business_time(calendar, at(SATURDAY, 18), hours(1)) == at(SUNDAY, 9)
        assert add_business_time(calendar, at(WEDNESDAY, 17), hours(1)) == at(NEXT_SATURDAY, 9)

    def test_on_a_holiday_starts_next_working_day(self):
        calendar = WorkingCalendar(
            days_off={THURSDAY, FRIDAY},
            hours=LUNCH_BREAK_HOURS,
            holidays={SUNDAY},
        )
        monday = SUNDAY + datetime.timedelta(days=1)
        assert add_business_time(calendar, at(SUNDAY, 10), hours(3)) == at(monday, 11)

    def test_a_deadline_that_fills_a_period_is_its_end(self, calendar):
        assert add_business_time(calendar, at(SATURDAY, 8), hours(4)) == at(SATURDAY, 12)
        assert add_business_time(calendar, at(SATURDAY, 8), hours(7)) == at(SATURDAY, 16)
        one_minute_more = hours(7) + minutes(1)
        assert add_business_time(calendar, at(SATURDAY, 8), one_minute_more) == at(SUNDAY, 8, 1)

    def test_zero_duration_is_the_next_working_moment(self, calendar):
        assert add_business_time(calendar, at(SATURDAY, 10), hours(0)) == at(SATURDAY, 10)
        assert add_business_time(calendar, at(SATURDAY, 12, 30), hours(0)) == at(SATURDAY, 13)
        assert add_business_time(calendar, at(FRIDAY_DATE, 10), hours(0)) == at(NEXT_SATURDAY, 8)

    def test_several_days(self, calendar):
        # Saturday 10:00 + 3 working days of 7 hours: Sat 10-16 is 5h, Sun, Mon, then 2h on Tue.
        tuesday = SATURDAY + datetime.timedelta(days=3)
        assert add_business_time(calendar, at(SATURDAY, 10), hours(21)) == at(tuesday, 10)

    def test_any_timezone_in_tehran_out(self, calendar):
        start_utc = at(SATURDAY, 10, tz=UTC)  # 13:30 in Tehran
        result = add_business_time(calendar, start_utc, hours(1))
        assert result == at(SATURDAY, 14, 30)
        assert result.tzinfo is TEHRAN

    def test_naive_datetimes_and_negative_durations_are_refused(self, calendar):
        with pytest.raises(ValueError):
            add_business_time(calendar, datetime.datetime(2026, 5, 9, 10), hours(1))
        with pytest.raises(ValueError):
            add_business_time(calendar, at(SATURDAY, 10), hours(-1))

    def test_thirty_business_days_over_nowruz(self, calendar):
        start = at(datetime.date(2027, 3, 1), 9)
        due = add_business_time(calendar, start, hours(7 * 30))
        assert business_time_between(calendar, start, due) == hours(7 * 30)
        # 30 working days from early Esfand 1405, with Nowruz in between, land in Farvardin 1406.
        assert JalaliDate(due.date()) > JalaliDate(1406, 1, 13)


class TestNowruz:
    def test_the_dates_used_here(self):
        assert JalaliDate(1406, 1, 1).to_gregorian() == datetime.date(2027, 3, 21)
        assert JalaliDate(1405, 12, 28).to_gregorian() == datetime.date(2027, 3, 19)
        assert datetime.date(2027, 3, 19).weekday() == FRIDAY
        assert JalaliDate(1406, 1, 12).to_gregorian() == datetime.date(2027, 4, 1)  # a Thursday

    def test_three_business_days_from_the_last_friday_of_1405(self, calendar):
        # Fri 1405/12/28; Sat 12/29 is a holiday, Sun-Wed 1406/01/01-04 Nowruz, Thu-Fri off:
        # the working days are Sat 1406/01/07, Sun 01/08 and Mon 01/09.
        start = at(JalaliDate(1405, 12, 28).to_gregorian(), 10)
        due = add_business_days(calendar, start, 3)
        assert due == at(JalaliDate(1406, 1, 9).to_gregorian(), 16)
        assert add_business_time(calendar, start, hours(3 * 7)) == due

    def test_nowruz_days_are_holidays(self, friday_only_calendar):
        for day in (1, 2, 3, 4, 12, 13):
            assert not friday_only_calendar.is_working_day(JalaliDate(1406, 1, day).to_gregorian())
        assert not friday_only_calendar.is_working_day(JalaliDate(1405, 12, 29).to_gregorian())
        assert friday_only_calendar.is_working_day(JalaliDate(1406, 1, 5).to_gregorian())

    def test_twelfth_and_thirteenth_of_farvardin(self, friday_only_calendar):
        # Wed 1406/01/11 10:00 + one working day: Thu 01/12 and Fri 01/13 are holidays.
        start = at(JalaliDate(1406, 1, 11).to_gregorian(), 10)
        saturday = JalaliDate(1406, 1, 14).to_gregorian()
        assert add_business_days(friday_only_calendar, start, 1) == at(saturday, 16)
        assert add_business_time(friday_only_calendar, start, hours(7)) == at(saturday, 10)

    def test_friday_only_office_opens_on_the_fifth(self, friday_only_calendar):
        start = at(JalaliDate(1405, 12, 28).to_gregorian(), 10)
        fifth = JalaliDate(1406, 1, 5).to_gregorian()
        assert add_business_days(friday_only_calendar, start, 1) == at(fifth, 16)


class TestHolidayKinds:
    def test_yearly_holidays_repeat_one_off_do_not(self):
        one_off, yearly = parse_holidays(["1405/03/10 one-off closure", "03/14", "03/15"])
        calendar = WorkingCalendar(
            days_off={FRIDAY},
            hours=LUNCH_BREAK_HOURS,
            holidays=one_off,
            yearly_holidays=yearly,
        )
        for year in (1405, 1406):
            assert not calendar.is_working_day(JalaliDate(year, 3, 14).to_gregorian())
        assert not calendar.is_working_day(JalaliDate(1405, 3, 10).to_gregorian())
        assert calendar.is_working_day(JalaliDate(1406, 3, 10).to_gregorian())


class TestPauses:
    def test_pause_inside_a_working_period(self, calendar):
        pause = (at(SATURDAY, 9), at(SATURDAY, 10))
        assert add_business_time(calendar, at(SATURDAY, 8), hours(3), [pause]) == at(SATURDAY, 12)

    def test_pause_over_the_weekend(self, calendar):
        # Waiting for the applicant from Wednesday 15:00 until Saturday 10:00.
        pause = (at(WEDNESDAY, 15), at(NEXT_SATURDAY, 10))
        due = add_business_time(calendar, at(WEDNESDAY, 14), hours(4), [pause])
        assert due == at(NEXT_SATURDAY, 14)

    def test_overlapping_pauses_count_once(self, calendar):
        pauses = [(at(SATURDAY, 9, 30), at(SATURDAY, 11)), (at(SATURDAY, 9), at(SATURDAY, 10))]
        assert add_business_time(calendar, at(SATURDAY, 8), hours(2), pauses) == at(SATURDAY, 12)
        elapsed = business_time_between(calendar, at(SATURDAY, 8), at(SATURDAY, 12), pauses)
        assert elapsed == hours(2)

    def test_open_pause_means_no_deadline(self, calendar):
        pause = (at(SATURDAY, 9), None)
        assert add_business_time(calendar, at(SATURDAY, 8), hours(2), [pause]) is None

    def test_open_pause_after_the_deadline_keeps_it(self, calendar):
        pause = (at(SUNDAY, 9), None)
        assert add_business_time(calendar, at(SATURDAY, 8), hours(2), [pause]) == at(SATURDAY, 10)

    def test_open_pause_stops_the_elapsed_time(self, calendar):
        pause = (at(SATURDAY, 9), None)
        elapsed = business_time_between(calendar, at(SATURDAY, 8), at(SUNDAY, 16), [pause])
        assert elapsed == hours(1)

    def test_pause_before_start_is_ignored(self, calendar):
        pause = (at(WEDNESDAY - datetime.timedelta(days=7), 9), at(SATURDAY, 7))
        assert add_business_time(calendar, at(SATURDAY, 8), hours(2), [pause]) == at(SATURDAY, 10)

    def test_pause_in_another_timezone(self, calendar):
        pause = (at(SATURDAY, 5, 30, tz=UTC), at(SATURDAY, 6, 30, tz=UTC))  # 09:00-10:00 Tehran
        assert add_business_time(calendar, at(SATURDAY, 8), hours(2), [pause]) == at(SATURDAY, 11)

    def test_start_inside_a_pause_waits_for_its_end(self, calendar):
        pause = (at(SATURDAY, 7), at(SATURDAY, 9))
        assert add_business_time(calendar, at(SATURDAY, 8), hours(0), [pause]) == at(SATURDAY, 9)

    def test_reversed_pause_is_refused(self, calendar):
        with pytest.raises(ValueError):
            reversed_pause = (at(SATURDAY, 10), at(SATURDAY, 9))
            add_business_time(calendar, at(SATURDAY, 8), hours(1), [reversed_pause])


class TestBusinessTimeBetween:
    def test_nothing_when_end_is_not_after_start(self, calendar):
        assert business_time_between(calendar, at(SATURDAY, 10), at(SATURDAY, 10)) == hours(0)
        assert business_time_between(calendar, at(SATURDAY, 10), at(SATURDAY, 9)) == hours(0)

    def test_over_lunch_and_the_weekend(self, calendar):
        assert business_time_between(calendar, at(SATURDAY, 11), at(SATURDAY, 14)) == hours(2)
        assert business_time_between(calendar, at(WEDNESDAY, 15), at(NEXT_SATURDAY, 9)) == hours(2)
        assert business_time_between(calendar, at(SATURDAY, 0), at(NEXT_SATURDAY, 0)) == hours(35)

    def test_is_the_inverse_of_add_business_time(self, calendar):
        samples = random.Random(1405)
        base = at(datetime.date(2027, 3, 1), 0)  # Esfand 1405 into Farvardin 1406: Nowruz
        for _ in range(300):
            start = base + minutes(samples.randrange(60 * 24 * 60))
            duration = minutes(samples.randrange(0, 30 * 7 * 60))
            pauses = []
            for _ in range(samples.randrange(4)):
                pause_start = start + minutes(samples.randrange(-2000, 20000))
                pauses.append((pause_start, pause_start + minutes(samples.randrange(1, 5000))))
            due = add_business_time(calendar, start, duration, pauses)
            assert business_time_between(calendar, start, due, pauses) == duration, (
                start,
                duration,
                pauses,
            )


class TestAddBusinessDays:
    def test_zero_is_the_end_of_today(self, calendar):
        assert add_business_days(calendar, at(SATURDAY, 10), 0) == at(SATURDAY, 16)
        assert add_business_days(calendar, at(SATURDAY, 6), 0) == at(SATURDAY, 16)

    def test_zero_after_closing_or_on_a_day_off_is_the_next_working_day(self, calendar):
        assert add_business_days(calendar, at(WEDNESDAY, 17), 0) == at(NEXT_SATURDAY, 16)
        assert add_business_days(calendar, at(FRIDAY_DATE, 10), 0) == at(NEXT_SATURDAY, 16)

    def test_one_is_the_next_working_day(self, calendar):
        assert add_business_days(calendar, at(SATURDAY, 10), 1) == at(SUNDAY, 16)
        assert add_business_days(calendar, at(WEDNESDAY, 10), 1) == at(NEXT_SATURDAY, 16)
        assert add_business_days(calendar, at(FRIDAY_DATE, 10), 1) == at(NEXT_SATURDAY, 16)

    def test_n_skips_days_off(self, calendar):
        assert add_business_days(calendar, at(SATURDAY, 10), 5) == at(NEXT_SATURDAY, 16)
        assert add_business_days(calendar, at(SATURDAY, 10), 10) == at(
            NEXT_SATURDAY + datetime.timedelta(days=7), 16
        )

    def test_negative_days_are_refused(self, calendar):
        with pytest.raises(ValueError):
            add_business_days(calendar, at(SATURDAY, 10), -1)


class TestParseHolidays:
    def test_all_forms(self):
        one_off, yearly = parse_holidays([
            "# closures of 1405",
            "",
            "   ",
            "1405/02/10",
            "1405/01/01-1405/01/03 Nowruz",
            "1405/05/30 - 1405/06/01",
            "01/12",
            "03/14-03/15",
            "06/30-07/01 across months",
            "۱۴۰۵/۰۸/۰۵ تعطیلی دانشگاه",
            "١٤٠٥/٠٨/٠٦",
            "۱۱/۲۲ سالگرد",
        ])
        assert one_off == {
            JalaliDate(1405, 2, 10).to_gregorian(),
            *(JalaliDate(1405, 1, day).to_gregorian() for day in (1, 2, 3)),
            JalaliDate(1405, 5, 30).to_gregorian(),
            JalaliDate(1405, 5, 31).to_gregorian(),
            JalaliDate(1405, 6, 1).to_gregorian(),
            JalaliDate(1405, 8, 5).to_gregorian(),
            JalaliDate(1405, 8, 6).to_gregorian(),
        }
        assert yearly == {(1, 12), (3, 14), (3, 15), (6, 30), (6, 31), (7, 1), (11, 22)}

    def test_yearly_range_knows_month_lengths(self):
        assert parse_holidays(["07/29-08/02"])[1] == {(7, 29), (7, 30), (8, 1), (8, 2)}
        assert parse_holidays(["12/30"])[1] == {(12, 30)}  # only in leap years, but valid

    def test_empty(self):
        assert parse_holidays(None) == (set(), set())

    @pytest.mark.parametrize(
        "line",
        [
            "1405/13/01",
            "1405/12/30",  # 1405 is not a leap year
            "1405/01/04-1405/01/01",
            "01/04-01/01",
            "12/29-01/04",
            "01/01-1405/01/04",
            "13/01",
            "07/31",
            "1405/01/01 -",
            "1405/01/01/02",
            "Nowruz 1405/01/01",
            "۱۴۰۵/۱۳/۰۱ تعطیل",
        ],
    )
    def test_unreadable_line_is_named(self, line):
        with pytest.raises(ValueError) as error:
            parse_holidays(["1405/01/01", line, "also bad"])
        assert str(error.value) == line


class TestParseHours:
    def test_periods(self):
        assert parse_hours("08:00-12:00 13:00-16:00") == LUNCH_BREAK_HOURS
        assert parse_hours("8:00 - 16:30") == ((time(8), time(16, 30)),)

    def test_persian_digits_commas_and_any_order(self):
        assert parse_hours("۱۳:۰۰-۱۶:۰۰، ۰۸:۰۰-۱۲:۰۰") == LUNCH_BREAK_HOURS
        assert parse_hours("08:00-12:00, 13:00-16:00") == LUNCH_BREAK_HOURS

    @pytest.mark.parametrize(
        "text",
        [
            "",
            None,
            "8-12",
            "08:00-12:00 junk",
            "from 08:00-12:00",
            "08:00-12:0013:00-16:00",
            "25:00-26:00",
            "08:60-12:00",
            "12:00-08:00",
            "08:00-08:00",
            "08:00-12:00 11:00-14:00",
        ],
    )
    def test_bad_hours_are_refused(self, text):
        with pytest.raises(ValueError):
            parse_hours(text)

    def test_error_names_the_bad_period(self):
        with pytest.raises(ValueError) as error:
            parse_hours("08:00-12:00 11:00-14:00")
        assert str(error.value) == "11:00-14:00"
