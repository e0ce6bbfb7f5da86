"""Finding one person's records: their requests (by the catalog's ``privacy_keys``) and
bookings (by the bookings' index), from a national code, a mobile number and/or an email.

Every function here checks that the current user may manage personal data: whichever
door calls it (the managers' page, REST, a script), nobody else finds anything.
"""

from AccessControl import Unauthorized
from dataclasses import dataclass
from dataclasses import field
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import validation
from uni.servicedesk.api.privacy import keys as privacy_keys
from uni.servicedesk.api.privacy.index import may_manage
from uni.servicedesk.api.requests import PORTAL_TYPE

# The identifiers a person is found by: (field of the search form, what is checked).
IDENTIFIERS = (
    ("national_code", validation.national_code),
    ("mobile", validation.mobile),
    ("email", validation.email),
)


class PersonError(ValueError):
    """Bad identifiers; ``errors`` maps each bad field to a translatable message."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def require():
    if not may_manage():
        raise Unauthorized("managing personal data")


@dataclass(frozen=True)
class Person:
    """The identifiers one person is searched by (normalised; "" for those not given)."""

    national_code: str = ""
    mobile: str = ""
    email: str = ""

    def identifiers(self):
        return {name: getattr(self, name) for name, _check in IDENTIFIERS if getattr(self, name)}

    def keys(self, secret=None):
        secret = secret or privacy_keys.site_secret()
        return [privacy_keys.key(kind, value, secret) for kind, value in self.identifiers().items()]


def person(data):
    """A ``Person`` from what a manager typed (any digits, +98, upper case…); raises
    ``PersonError`` for a value that is not a national code, mobile or email, or when
    none is given."""
    errors, values = {}, {}
    for name, check in IDENTIFIERS:
        value = str((data or {}).get(name) or "").strip()
        if not value:
            continue
        try:
            values[name] = check(value, name)
        except validation.InputError as error:
            errors[name] = error.message
    if not values and not errors:
        errors["national_code"] = _("Give a national code, a mobile number or an email address.")
    if errors:
        raise PersonError(errors)
    return Person(**values)


@dataclass
class Found:
    """A person's records: requests (objects, oldest first) and bookings, as
    (booking, calendar) pairs."""

    person: Person
    requests: list = field(default_factory=list)
    bookings: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.requests) + len(self.bookings)

    def holders(self):
        """Every request and booking found."""
        return list(self.requests) + [booking for booking, _calendar in self.bookings]


def _calendar(uid, cache):
    if uid not in cache:
        brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=uid)
        cache[uid] = brains[0]._unrestrictedGetObject() if brains else None
    return cache[uid]


def find(person):
    """Everything of ``person``: one catalog query and one range of the bookings' index per
    identifier, whatever the size of the archive."""
    require()
    keys = person.keys()
    found = Found(person)
    if not keys:
        return found
    catalog = api.portal.get_tool("portal_catalog")
    if privacy_keys.INDEX in catalog.indexes():
        brains = catalog.unrestrictedSearchResults(
            portal_type=PORTAL_TYPE,
            privacy_keys={"query": keys, "operator": "or"},
            sort_on="created",
        )
        found.requests = [r for r in (b._unrestrictedGetObject() for b in brains) if r is not None]
    calendars = {}
    for code, calendar_uid in sorted(privacy_keys.booked_under(keys).items()):
        calendar = _calendar(calendar_uid, calendars)
        booking = calendar.bookings.get(code) if calendar is not None else None
        if booking is not None:
            found.bookings.append((booking, calendar))
    found.bookings.sort(key=lambda pair: pair[0].created)
    return found
