"""Persian-first text helpers: digits, Arabic/Persian letters, Jalali dates."""
from persiantools import digits as persian_digits
from persiantools.jdatetime import JalaliDate

import datetime

# Arabic letters that Persian keyboards (and pasted text) use interchangeably with
# the Persian ones; searching and unique codes must not depend on which was typed.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": " "})

# The languages the desk speaks to people in (notification texts are written in these).
DESK_LANGUAGES = ("fa", "en")

JALALI_MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)


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

def desk_language(*preferred):
    """The first of ``preferred`` (e.g. "fa-IR", "en") the desk speaks, else its first."""
    for language in preferred:
        language = (language or "").split("-")[0].lower()
        if language in DESK_LANGUAGES:
            return language
    return DESK_LANGUAGES[0]
