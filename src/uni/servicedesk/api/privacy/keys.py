"""The keys one person is found by: keyed hashes of their national code, mobile and email.

A key is HMAC-SHA256, with a secret of the site (kept in its annotations, never in the
registry that REST reads), of the normalised value and its kind; nothing in the catalog or
in the bookings' index is clear personal data, and nobody without the secret can work out
the key of a national code to look it up. Requests carry their keys in the catalog index
``privacy_keys`` (a ``PrivacyKeyIndex``, which answers only those who may manage personal
data); bookings, which are not cataloged, in a B-tree of (key, booking code) ->
calendar UID in the site's annotations, written when the booking is made.
"""

from BTrees.OOBTree import OOBTree
from plone import api
from plone.indexer import indexer
from uni.servicedesk.api import validation
from uni.servicedesk.content.service_request import IServiceRequest
from zope.annotation.interfaces import IAnnotations

import contextlib
import hashlib
import hmac
import secrets

HMAC_ANNOTATION = "uni.servicedesk.privacy.secret"
BOOKINGS_KEY = "uni.servicedesk.privacy.bookings"
INDEX = "privacy_keys"
DIGEST_LENGTH = 32  # hex digits kept of each key: 128 bits
KINDS = (
    ("national_code", "applicant_national_code", validation.national_code),
    ("mobile", "applicant_mobile", validation.mobile),
    ("email", "applicant_email", validation.email),
)


def site_secret(portal=None, create=True):
    """The site's secret (bytes); made at install, or on first use where it is missing."""
    portal = portal if portal is not None else api.portal.get()
    annotations = IAnnotations(portal)
    secret = annotations.get(HMAC_ANNOTATION)
    if secret is None and create:
        secret = annotations[HMAC_ANNOTATION] = secrets.token_bytes(32)
    return secret


def normalized(kind, value):
    """``value`` as the desk stores it (Persian digits, +98, upper case… all alike), or
    "" when empty; a value that does not pass the check is kept as typed, trimmed."""
    value = str(value or "").strip()
    if not value:
        return ""
    check = {name: function for name, _attribute, function in KINDS}[kind]
    with contextlib.suppress(validation.InputError):
        return check(value, kind)
    return value.lower()


def key(kind, value, secret):
    """The key of one normalised value of one kind ("" for no value)."""
    if not value:
        return ""
    message = f"{kind}:{value}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:DIGEST_LENGTH]


def keys_of(holder, secret=None):
    """The keys of a request or a booking: one per national code, mobile and email it has."""
    secret = secret or site_secret()
    found = []
    for kind, attribute, _check in KINDS:
        value = normalized(kind, getattr(holder, attribute, None))
        if value:
            found.append(key(kind, value, secret))
    return found


@indexer(IServiceRequest)
def request_keys(obj):
    """For the catalog's ``privacy_keys``: an anonymised request has none."""
    return keys_of(obj)


# -- bookings ----------------------------------------------------------------------------


def booking_index(portal=None, create=True):
    """(key, booking code) -> calendar UID, for every booking with contact details."""
    portal = portal if portal is not None else api.portal.get()
    annotations = IAnnotations(portal)
    index = annotations.get(BOOKINGS_KEY)
    if index is None and create:
        index = annotations[BOOKINGS_KEY] = OOBTree()
    return index


def index_booking(booking, portal=None):
    """Keep the booking's keys (inserts only: concurrent bookings merge in the B-tree)."""
    index = booking_index(portal)
    for found in keys_of(booking, site_secret(portal)):
        index[(found, booking.tracking_code)] = booking.calendar_uid


def unindex_booking(booking, keys, portal=None):
    """Forget the booking under ``keys`` (before its details are erased)."""
    index = booking_index(portal, create=False)
    if index is None:
        return
    for found in keys:
        index.pop((found, booking.tracking_code), None)


def booked_under(keys, portal=None):
    """{booking code: calendar UID} of the bookings indexed under any of ``keys``."""
    index = booking_index(portal, create=False)
    result = {}
    if index is None:
        return result
    for found in keys:
        for (_key, code), calendar_uid in index.items(min=(found, ""), max=(found, "\uffff")):
            result[code] = calendar_uid
    return result


def on_booking(event):
    """Subscriber: a new booking is indexed by its keys in the same transaction."""
    if event.change == "booked":
        index_booking(event.object)
