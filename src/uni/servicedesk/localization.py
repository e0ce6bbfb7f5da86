"""Persian-first text helpers: digits, Arabic/Persian letters, Jalali dates.

The one place where a date people type is read (``parse_jalali_date``, and
``parse_jalali_month_day`` for a day of every year) and where a date is shown to them
(``format_date``).
"""

from functools import lru_cache
from persiantools import digits as persian_digits
from persiantools.jdatetime import JalaliDate
from uni.servicedesk import _

import datetime
import re

# Arabic letters that Persian keyboards (and pasted text) use interchangeably with
# the Persian ones; searching and unique codes must not depend on which was typed.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": " "})

# The languages the desk speaks to people in (notification texts are written in these).
DESK_LANGUAGES = ("fa", "en")

JALALI_MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# The longest each Jalali month can be (Esfand has 30 days in leap years): a day of every
# year (``12/30``) has no year to ask JalaliDate about.
JALALI_MONTH_DAYS = (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30, 30)

# A year from this one on is Gregorian: the English pages show Gregorian dates (and ISO
# dates travel in links), and no Jalali year in use is that large.
FIRST_GREGORIAN_YEAR = 1700

# What a date and a day of every year look like in a longer text (a holiday line); "-" does
# not separate a month and a day: there it marks a range (01/01-01/04).
_SEPARATOR = r"\s*[/\-.]\s*"
DATE_PATTERN = rf"\d{{4}}{_SEPARATOR}\d{{1,2}}{_SEPARATOR}\d{{1,2}}"
MONTH_DAY_PATTERN = r"\d{1,2}\s*[/.]\s*\d{1,2}"
_DATE = re.compile(rf"(\d{{4}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{1,2}})")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[/.]\s*(\d{1,2})")


def normalize_digits(text):
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; other text unchanged."""
    if not text:
        return text
    return persian_digits.fa_to_en(persian_digits.ar_to_fa(text))


def normalize_text(text):
    """Text for matching: ASCII digits, Persian letter forms, no zero-width joiners."""
    if not text:
        return ""
    return normalize_digits(text).translate(_LETTERS)


def localize_digits(value, language):
    """Show a number (or text with digits) with Persian digits in the fa UI."""
    text = "" if value is None else str(value)
    if language == "fa":
        return persian_digits.en_to_fa(text)
    return text


def format_number(value, language):
    """A grouped integer (1,250,000 / ۱٬۲۵۰٬۰۰۰)."""
    if value is None:
        return ""
    text = f"{int(value):,}"
    if language == "fa":
        return persian_digits.en_to_fa(text).replace(",", "٬")
    return text


def format_date(value, language):
    """A date for people: Jalali with the month name in fa, ISO-like Gregorian otherwise."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    elif not isinstance(value, datetime.date):
        # Zope DateTime (catalog metadata, Dublin Core dates)
        value = datetime.date(value.year(), value.month(), value.day())
    if language == "fa":
        jalali = JalaliDate(value)
        text = f"{jalali.day} {JALALI_MONTHS_FA[jalali.month - 1]} {jalali.year}"
        return persian_digits.en_to_fa(text)
    return value.strftime("%d %b %Y")


def format_datetime(value, language):
    """A date and time of day for people: "۱۵ فروردین ۱۴۰۵، ساعت ۰۹:۳۰" in fa."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        value = value.asdatetime()  # Zope DateTime
    hour = localize_digits(value.strftime("%H:%M"), language)
    if language == "fa":
        return f"{format_date(value, language)}، ساعت {hour}"
    return f"{format_date(value, language)}, {hour}"


def parse_jalali_date(text):
    """``1405/01/15``, ``۱۴۰۵-۱-۱۵`` or ``١٤٠٥.١.١٥`` -> the Gregorian ``datetime.date``.

    Persian, Arabic-Indic or Latin digits; ``/``, ``-`` or ``.`` between year, month and day.
    A year from 1700 on is read as Gregorian (``2026-03-21``). Raises ValueError for
    anything else, a day that does not exist included (``1405/13/01``, ``1404/12/30``);
    ``date_error(text)`` is the message to show people.
    """
    match = _DATE.fullmatch(normalize_digits(str(text if text is not None else "")).strip())
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    try:
        if year >= FIRST_GREGORIAN_YEAR:
            return datetime.date(year, month, day)
        return JalaliDate(year, month, day).to_gregorian()
    except ValueError:
        raise ValueError(text) from None


def parse_jalali_month_day(text):
    """``01/15`` or ``۱۲.۳۰`` -> (month, day) of every Jalali year; ValueError if impossible.

    ``12/30`` is valid: it exists in leap years.
    """
    match = _MONTH_DAY.fullmatch(normalize_digits(str(text if text is not None else "")).strip())
    if not match:
        raise ValueError(text)
    month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12 or not 1 <= day <= JALALI_MONTH_DAYS[month - 1]:
        raise ValueError(text)
    return month, day


@lru_cache(maxsize=4096)
def jalali_month_day(value):
    """The Jalali (month, day) of a Gregorian date (asked for every day a calendar looks at)."""
    jalali = JalaliDate(value)
    return jalali.month, jalali.day


def date_error(text):
    """What to tell people who typed ``text`` where a date was expected (translatable)."""
    return _(
        "“${text}” is not a date. Write year/month/day, for example 1405/01/15.",
        mapping={"text": str(text if text is not None else "").strip()},
    )


def desk_language(*preferred):
    """The first of ``preferred`` (e.g. "fa-IR", "en") the desk speaks, else its first."""
    for language in preferred:
        language = (language or "").split("-")[0].lower()
        if language in DESK_LANGUAGES:
            return language
    return DESK_LANGUAGES[0]
