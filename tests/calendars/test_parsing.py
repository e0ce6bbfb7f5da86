"""One Jalali date parser, one grammar of hours and holidays, Iran's official holidays
(plain Python: no site needed)."""

from uni.servicedesk.api.sla.calendar import add_business_days
from uni.servicedesk.api.sla.calendar import FRIDAY
from uni.servicedesk.api.sla.calendar import TEHRAN
from uni.servicedesk.api.sla.calendar import WorkingCalendar
from uni.servicedesk.localization import parse_jalali_date
from uni.servicedesk.localization import parse_jalali_month_day
from uni.servicedesk.working_time import is_official_holiday
from uni.servicedesk.working_time import official_holidays
from uni.servicedesk.working_time import parse_holidays
from uni.servicedesk.working_time import parse_weekly_hours

import datetime
import pytest

time = datetime.time
FARVARDIN_15_1405 = datetime.date(2026, 4, 4)
NOWRUZ_1405 = [datetime.date(2026, 3, day) for day in (21, 22, 23, 24)]
EID_AL_FITR_2026 = datetime.date(2026, 3, 21)
TASUA_1405, ASHURA_1405 = datetime.date(2026, 6, 24), datetime.date(2026, 6, 25)


class TestJalaliDate:
    @pytest.mark.parametrize(
        "text",
        [
            "۱۴۰۵/۰۱/۱۵",
            "1405-1-15",
            "١٤٠٥.١.١٥",
            " 1405/01/15 ",
            "1405 / 1 / 15",
            "2026-04-04",
        ],
    )
    def test_forms_of_one_day(self, text):
        assert parse_jalali_date(text) == FARVARDIN_15_1405

    def test_leap_year(self):
        assert parse_jalali_date("1403/12/30") == datetime.date(2025, 3, 20)

    @pytest.mark.parametrize(
        "text",
        [
            "1405/13/01",
            "۱۴۰۵/۱۳/۰۱",
            "1404/12/30",
            "1405/00/10",
            "1405/01/32",
            "2026-02-30",
            "1405/01",
            "01/15",
            "1405/01/15/2",
            "1405/01/15 x",
            "tomorrow",
            "",
            None,
        ],
    )
    def test_not_a_date(self, text):
        with pytest.raises(ValueError):
            parse_jalali_date(text)

    def test_month_day(self):
        assert parse_jalali_month_day("۰۱/۱۵") == (1, 15)
        assert parse_jalali_month_day("12.30") == (12, 30)  # in leap years
        for bad in ("13/01", "07/31", "01-15", "1405/01/15"):
            with pytest.raises(ValueError):
                parse_jalali_month_day(bad)


class TestGrammar:
    def test_holiday_dates_read_by_the_one_parser(self):
        one_off, yearly = parse_holidays(["۱۴۰۵.۰۱.۱۵", "1405-01-20 - 1405-01-21 note"])
        assert one_off == {FARVARDIN_15_1405, datetime.date(2026, 4, 9), datetime.date(2026, 4, 10)}
        assert yearly == set()

    def test_weekly_hours_by_day_name(self):
        hours = parse_weekly_hours([
            "sat 08:00-12:00",
            "شنبه ۱۳:۰۰-۱۵:۰۰",
            "سه‌شنبه ۰۸:۰۰-۰۹:۰۰",
            "Sunday 9:00 – 10:00",
            "",
        ])
        assert hours == {
            5: ((time(8), time(12)), (time(13), time(15))),
            1: ((time(8), time(9)),),
            6: ((time(9), time(10)),),
        }

    @pytest.mark.parametrize(
        "lines",
        [
            ["sat 08:00-12:00", "شنبه ۱۱:۰۰-۱۳:۰۰"],  # overlaps the day's other line
            ["sat 08:00-12:00 junk"],
            ["sat 08:00-12:00, 11:00-12:30"],
        ],
    )
    def test_weekly_hours_refused(self, lines):
        with pytest.raises(ValueError) as error:
            parse_weekly_hours(lines)
        assert str(error.value) == lines[-1]


class TestOfficialHolidays:
    def test_solar_and_lunar_with_persian_names(self):
        found = dict(official_holidays(datetime.date(2026, 3, 19), datetime.date(2026, 6, 30)))
        assert "نوروز" in found[NOWRUZ_1405[0]] and "عید سعید فطر" in found[EID_AL_FITR_2026]
        assert all("نوروز" in found[day] for day in NOWRUZ_1405)
        assert found[TASUA_1405] == "تاسوعای حسینی"
        assert found[ASHURA_1405] == "عاشورای حسینی"
        assert datetime.date(2026, 3, 25) not in found

    def test_english_names(self):
        found = dict(official_holidays(ASHURA_1405, ASHURA_1405, "en"))
        assert found == {ASHURA_1405: "Ashura"}

    def test_across_years(self):
        days = [
            day
            for day, _name in official_holidays(
                datetime.date(2026, 12, 1), datetime.date(2027, 3, 31)
            )
        ]
        assert days == sorted(days) and days[0].year == 2026 and days[-1].year == 2027
        assert datetime.date(2027, 3, 21) in days  # Nowruz 1406

    def test_is_official_holiday(self):
        for day in NOWRUZ_1405 + [TASUA_1405, ASHURA_1405]:
            assert is_official_holiday(day)
        assert not is_official_holiday(datetime.date(2026, 6, 23))


class TestWorkingCalendar:
    """Business time with Iran's official holidays, on fixed dates (not today's)."""

    @pytest.mark.parametrize(
        "official, due",
        [
            (True, datetime.date(2026, 6, 27)),  # Tasua, Ashura, then Friday
            (False, datetime.date(2026, 6, 24)),
        ],
    )
    def test_tasua_and_ashura(self, official, due):
        calendar = WorkingCalendar(
            days_off={FRIDAY}, hours=((time(8), time(16)),), official_holidays=official
        )
        start = datetime.datetime(2026, 6, 23, 10, tzinfo=TEHRAN)
        assert add_business_days(calendar, start, 1).date() == due
        assert calendar.is_holiday(ASHURA_1405) is official

    def test_own_holidays_whatever_the_official_ones(self):
        calendar = WorkingCalendar(
            days_off={FRIDAY}, hours=((time(8), time(16)),), holidays={datetime.date(2026, 6, 23)}
        )
        assert calendar.is_holiday(datetime.date(2026, 6, 23))
        assert not calendar.is_holiday(ASHURA_1405)
        assert not calendar.is_holiday(
            datetime.date(2026, 6, 26)
        )  # a Friday is a day off, not a holiday
        assert not calendar.is_working_day(datetime.date(2026, 6, 26))
