"""Tracking codes (کد رهگیری): numeric, random, with a Verhoeff check digit.

Verhoeff catches every mistyped digit and every swap of two neighbouring digits, the two
mistakes people make reading a code over the phone. Codes are unique across requests and
appointments: they are looked up in the catalog's ``tracking_code`` index and asked of every
holder of codes (``ITrackingCodeHolder`` utilities), so that holders need not know each other.
"""

from plone import api
from stdnum import verhoeff
from uni.servicedesk.api import throttle
from uni.servicedesk.api import validation
from uni.servicedesk.api.events import ITrackingCodeHolder
from uni.servicedesk.localization import normalize_digits
from zope.component import getUtilitiesFor

import contextlib
import hmac
import re
import secrets

CODE_DIGITS = 10  # nine random digits and the check digit: one in 10^9 to guess


def new_code(exists=None):
    """A fresh code; ``exists(code)`` says whether one is taken (default: the catalog)."""
    exists = exists or code_in_use
    while True:
        # No leading zero: codes are read aloud and typed into numeric fields.
        body = str(secrets.randbelow(9 * 10 ** (CODE_DIGITS - 2)) + 10 ** (CODE_DIGITS - 2))
        code = body + verhoeff.calc_check_digit(body)
        if not exists(code):
            return code


def normalize_code(value):
    """What a person typed (Persian digits, spaces, dashes) -> the code, or None if invalid."""
    code = re.sub(r"[\s\-_.]", "", normalize_digits(str(value or "")))
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", code):
        return None
    try:
        verhoeff.validate(code)
    except Exception:
        return None
    return code


def code_in_use(code):
    """Is ``code`` given to anything: indexed in the catalog or found by a holder?"""
    catalog = api.portal.get_tool("portal_catalog")
    if catalog.unrestrictedSearchResults(tracking_code=code):
        return True
    return any(
        holder.find(code) is not None for _name, holder in getUtilitiesFor(ITrackingCodeHolder)
    )


def new_secret():
    """The secret of a tracking link (sent in notifications, shown on the receipt)."""
    return secrets.token_urlsafe(18)


def same_secret(given, expected):
    if not given or not expected:
        return False
    return hmac.compare_digest(str(given).encode("utf-8"), str(expected).encode("utf-8"))


TooManyAttempts = throttle.TooManyAttempts


def verify(code, verifier, find, client="", counters=None):
    """What ``find(code)`` returns (a request, an appointment) if ``verifier`` — the mobile,
    email or link secret it holds — matches; None for any mismatch, without saying which
    half was wrong.

    The private link (the secret) always gets through. Otherwise a client throttled for
    this code (``throttle.lookup_blocked``) gets ``TooManyAttempts`` before anything is
    compared; a client that is not gets the holder when the pair matches, however many
    failures others made on the code. Each failure is counted per client and per code in
    the database (``counters``: the site's by default), committed on its own.
    """
    normalized = normalize_code(code)
    found = find(normalized) if normalized else None
    if found is not None and same_secret(
        (verifier or "").strip(), getattr(found, "tracking_secret", None)
    ):
        return found
    tree = counters if counters is not None else throttle.get_counters()
    with throttle.SharedCounters(tree) as shared:
        if throttle.lookup_blocked(shared, client, normalized):
            raise TooManyAttempts()
        if found is not None and verifier_matches(found, verifier):
            return found
        throttle.lookup_failed(shared, client, normalized)
    return None


def verifier_matches(holder, verifier):
    """``verifier`` is the holder's link secret, mobile or email (typed in any form)."""
    verifier = (verifier or "").strip()
    if not verifier:
        return False
    if same_secret(verifier, getattr(holder, "tracking_secret", None)):
        return True
    for attribute, normalize in (
        ("applicant_mobile", validation.mobile),
        ("applicant_email", validation.email),
    ):
        expected = getattr(holder, attribute, None)
        if not expected:
            continue
        with contextlib.suppress(validation.InputError):
            if same_secret(normalize(verifier), expected):
                return True
    return False
