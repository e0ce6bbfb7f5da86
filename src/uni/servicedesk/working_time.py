"""The one grammar of working time that service levels and appointment calendars share.

What staff type: working periods (``08:00-12:00 13:00-16:00``), weekly hours by day
(``sat 08:00-12:00`` / ``شنبه ۸:۰۰-۱۲:۰۰``) and holidays or closures as Jalali dates (a day,
a range, a day of every year, a range of every year). And Iran's official holidays, lunar
ones included, from the maintained ``holidays`` library. Plain Python (no Plone): the SLA's
business time (``api.sla.calendar``), the settings' checks and the appointment calendars
(``content.appointment_calendar``, ``api.appointments``) all read their text through it.
"""

from functools import lru_cache
from types import MappingProxyType
from uni.servicedesk.localization import DATE_PATTERN
from uni.servicedesk.localization import JALALI_MONTH_DAYS
from uni.servicedesk.localization import MONTH_DAY_PATTERN
from uni.servicedesk.localization import normalize_digits
from uni.servicedesk.localization import normalize_text
from uni.servicedesk.localization import parse_jalali_date
from uni.servicedesk.localization import parse_jalali_month_day

import itertools
import datetime
import holidays
import re

ONE_DAY = datetime.timedelta(days=1)

# Python's weekday() numbers by the names people type, Latin and Persian (as
# ``normalize_text`` leaves them: a zero-width joiner becomes a space).
WEEKDAYS = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "دوشنبه": 0,
    "سه شنبه": 1,
    "سهشنبه": 1,
    "چهارشنبه": 2,
    "پنجشنبه": 3,
    "پنج شنبه": 3,
    "جمعه": 4,
    "شنبه": 5,
    "یکشنبه": 6,
    "یک شنبه": 6,
}

# Iran's official holidays: the library's country code, and its names' languages
# ("fa" alone silently gives English names).
OFFICIAL_COUNTRY = "IR"
OFFICIAL_LANGUAGES = {"fa": "fa_IR", "en": "en_US"}

_PERIOD = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")
_PERIOD_SEPARATOR = re.compile(r"[\s,،;]+")
_RANGE = r"\s*[-–]\s*"
# A date, a day of every year, or a range of either at the start of the line, not running
# on into more digits; any note after it is free text.
_HOLIDAY = re.compile(
    rf"\s*(?:(?P<first>{DATE_PATTERN})(?:{_RANGE}(?P<last>{DATE_PATTERN}))?"
    rf"|(?P<yearly_first>{MONTH_DAY_PATTERN})(?:{_RANGE}(?P<yearly_last>{MONTH_DAY_PATTERN}))?)"
    r"(?![\d/]|\.\d)"
)


# -- working hours -------------------------------------------------------------------------


def parse_hours(text):
    """``08:00-12:00 13:00-16:00`` (Persian digits welcome) -> sorted ((time, time), ...).

    Periods may be separated by spaces or commas. Raises ValueError naming the text when it
    cannot be read, or the period that is reversed, impossible or overlaps another.
    """
    normalized = normalize_digits(text or "").strip()
    matches = list(_PERIOD.finditer(normalized))
    if not matches or not _only_separators_between(normalized, matches):
        raise ValueError(text)
    periods = []
    for match in matches:
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        try:
            periods.append((datetime.time(h1, m1), datetime.time(h2, m2), match.group(0)))
        except ValueError:
            raise ValueError(match.group(0)) from None
    return checked_periods(periods)


def parse_weekly_hours(lines):
    """``sat 08:00-12:00 13:00-15:00`` lines -> {weekday: ((start, end), ...)}.

    A line is a day's name (Latin or Persian) and its periods, read as ``parse_hours``
    reads them; a day may have several lines. Blank lines are skipped. Raises ValueError
    naming the line that cannot be read, or whose periods overlap the day's others.
    """
    hours = {}
    for line in lines or ():
        text = normalize_text(line or "").strip()
        if not text:
            continue
        first = _PERIOD.search(text)
        name = text[: first.start()].strip().lower() if first else text.lower()
        if first is None or name not in WEEKDAYS:
            raise ValueError(line)
        day = WEEKDAYS[name]
        try:
            periods = parse_hours(text[first.start() :])
            hours[day] = checked_periods(hours.get(day, ()) + periods)
        except ValueError:
            raise ValueError(line) from None
    return hours


def checked_periods(periods):
    """Working periods sorted by start; ValueError for empty, reversed or overlapping ones.

    Each period may carry a third item, the text it was read from, used in the error.
    """
    ordered = sorted((tuple(period) for period in periods), key=lambda period: period[0])
    if not ordered:
        raise ValueError("no working hours")
    previous_end = None
    for period in ordered:
        start, end = period[0], period[1]
        label = period[2] if len(period) > 2 else f"{start:%H:%M}-{end:%H:%M}"
        if end <= start or (previous_end is not None and start < previous_end):
            raise ValueError(label)
        previous_end = end
    return tuple((period[0], period[1]) for period in ordered)


def _only_separators_between(text, matches):
    """Whether the periods found are all the text holds, each apart from the next."""
    if matches[0].start() != 0 or matches[-1].end() != len(text):
        return False
    return all(
        _PERIOD_SEPARATOR.fullmatch(text, before.end(), after.start())
        for before, after in itertools.pairwise(matches)
    )


# -- holidays and closures -----------------------------------------------------------------


def parse_holidays(lines):
    """Jalali holiday lines -> (one-off gregorian dates, yearly Jalali (month, day) pairs).

    ``1405/01/01`` one day (``-`` or ``.`` may separate its parts too),
    ``1405/01/01-1405/01/04`` a range, ``01/01`` every year and ``01/01-01/04`` or
    ``01/30-02/02`` a yearly range. A yearly range cannot cross the new year
    (``12/29-01/04``): write it as two lines. Persian or Arabic digits; a note may follow the
    date; blank lines and lines starting with ``#`` are skipped. Raises ValueError(line) for
    the first line that cannot be read, including impossible dates and reversed ranges.
    """
    one_off, yearly = set(), set()
    for line in lines or ():
        text = normalize_digits(line or "").strip()
        if not text or text.startswith("#"):
            continue
        try:
            is_yearly, days = _holiday_days(text)
        except ValueError:
            raise ValueError(line) from None
        (yearly if is_yearly else one_off).update(days)
    return one_off, yearly


@lru_cache(maxsize=256)
def parsed_holidays(lines):
    """``parse_holidays`` of a tuple of lines, as frozensets, remembered (pages ask per day)."""
    one_off, yearly = parse_holidays(lines)
    return frozenset(one_off), frozenset(yearly)


def _holiday_days(text):
    """(yearly?, days): the Jalali (month, day) pairs or gregorian dates of one line."""
    match = _HOLIDAY.match(text)
    if not match or text[match.end() :].lstrip().startswith(("-", "–")):
        raise ValueError(text)
    if match.group("first") is not None:
        first = parse_jalali_date(match.group("first"))
        last = parse_jalali_date(match.group("last")) if match.group("last") else first
        if last < first:
            raise ValueError(f"{first} after {last}")
        return False, [first + ONE_DAY * offset for offset in range((last - first).days + 1)]
    first = parse_jalali_month_day(match.group("yearly_first"))
    last = parse_jalali_month_day(match.group("yearly_last") or match.group("yearly_first"))
    return True, _yearly_range(first, last)


def _yearly_range(first, last):
    # A reversed yearly range could mean "across the new year", but it is far more often
    # a typo that would silently close the office for most of the year.
    if last < first:
        raise ValueError(f"{first} after {last}")
    days, (month, day) = [], first
    while (month, day) <= last:
        days.append((month, day))
        month, day = (month, day + 1) if day < JALALI_MONTH_DAYS[month - 1] else (month + 1, 1)
    return days


# -- Iran's official holidays --------------------------------------------------------------


@lru_cache(maxsize=64)
def _official_year(year, language):
    # One read-only mapping per year and language, built whole before anyone sees it (the
    # library's own object fills years in lazily, which two threads could see half done).
    found = holidays.country_holidays(OFFICIAL_COUNTRY, years=year, language=language)
    return MappingProxyType(dict(found.items()))


def is_official_holiday(day):
    """Whether a date is one of Iran's official holidays (solar and lunar)."""
    return day in _official_year(day.year, OFFICIAL_LANGUAGES["fa"])


def official_holidays(first, last, language="fa"):
    """Iran's official holidays from ``first`` to ``last`` (both included) as sorted
    (date, name) pairs, names in ``language`` (fa or en). Lunar holidays of years the
    government has not announced yet are the library's estimates (its names say so)."""
    language = OFFICIAL_LANGUAGES.get(language, OFFICIAL_LANGUAGES["fa"])
    found = []
    for year in range(first.year, last.year + 1):
        found.extend(
            (day, name)
            for day, name in _official_year(year, language).items()
            if first <= day <= last
        )
    return sorted(found)
