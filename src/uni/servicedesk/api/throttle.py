"""Counters of what visitors do, shared by every instance: failed tracking look-ups and
anonymous creations (requests, bookings), each counted per client address and per code or
person.

They are kept in the database, so that several instances (ZEO, RelStorage) count towards
one limit, in one ``OOBTree`` whose keys are ``(counter, time in ms, random token)``: an
event *inserts* a key of its own and never rewrites a shared number, so concurrent events
rarely touch the same bucket, and when they do BTrees resolve inserts of different keys.
Counting is a range scan over one counter's recent keys, stopped at the limit. Expired keys
of a counter go when it is next recorded; the ``counters-prune`` job removes the rest.

Failed look-ups are recorded in a connection and transaction of their own
(``SharedCounters``), committed at once whatever becomes of the page's transaction, and
read from there, so that every look-up sees what every instance recorded up to now.
Creations are recorded in the creating transaction: only what was made counts.

The client address is Zope's ``request.getClientAddr()``: ``X-Forwarded-For`` is used only
when the request came through a proxy named in zope.conf's ``trusted-proxy`` (buildout's
``trusted-proxies``). Nothing here reads that header itself.
"""

from BTrees.OOBTree import OOBTree
from dataclasses import dataclass
from plone.registry.interfaces import IRegistry
from ZODB.POSException import ConflictError
from ZODB.utils import z64
from zope.annotation.interfaces import IAnnotations
from zope.component import queryUtility
from zope.component.hooks import getSite
from zope.globalrequest import getRequest

import logging
import secrets
import time
import transaction

logger = logging.getLogger("uni.servicedesk.throttle")

ANNOTATION_KEY = "uni.servicedesk.counters"
KEEP_SECONDS = 2 * 3600  # longer than any window counted (an hour of creations)
FAR = 2**62  # a time after every event
ATTEMPTS = 5
SETTINGS_PREFIX = "uni.servicedesk.security"


@dataclass
class Limits:
    """The limits in force (``ISecuritySettings``); 0 means no limit."""

    lookup_failures_per_client: int = 10
    lookup_failures_per_code: int = 10
    lookup_window_minutes: int = 15
    creations_per_client_per_hour: int = 20
    creations_per_person_per_hour: int = 5

    @property
    def lookup_window(self):
        return self.lookup_window_minutes * 60


def limits():
    """The site's limits, or the defaults where there is no registry (scripts, tests)."""
    registry = queryUtility(IRegistry)
    found = Limits()
    if registry is None:
        return found
    for name in Limits.__dataclass_fields__:
        value = registry.get(f"{SETTINGS_PREFIX}.{name}")
        if value is not None:
            setattr(found, name, value)
    return found


def client_address(request=None):
    """The address of the client that sent the request being published ("" if none)."""
    request = request if request is not None else getRequest()
    get = getattr(request, "getClientAddr", None)
    return (get() or "") if get is not None else ""


def get_counters(portal=None, create=True):
    """The site's tree of counters (made at install; made here if missing)."""
    portal = portal if portal is not None else getSite()
    annotations = IAnnotations(portal)
    tree = annotations.get(ANNOTATION_KEY)
    if tree is None and create:
        tree = annotations[ANNOTATION_KEY] = OOBTree()
    return tree


def now_ms():
    return int(time.time() * 1000)


def count(tree, counter, seconds, stop=None, at=None):
    """Events of ``counter`` in the last ``seconds``; counting stops at ``stop``."""
    at = at if at is not None else now_ms()
    found = 0
    for _key in tree.keys(min=(counter, at - seconds * 1000), max=(counter, FAR)):
        found += 1
        if stop and found >= stop:
            break
    return found


def add(tree, counter, at=None):
    """One event of ``counter``: a key of its own; the counter's expired keys go."""
    at = at if at is not None else now_ms()
    for key in list(tree.keys(min=(counter, 0), max=(counter, at - KEEP_SECONDS * 1000))):
        del tree[key]
    tree[(counter, at, secrets.token_hex(4))] = 1


def prune(tree, at=None):
    """Remove every expired event; returns how many went."""
    limit = (at if at is not None else now_ms()) - KEEP_SECONDS * 1000
    old = [key for key in tree.keys() if key[1] < limit]
    for key in old:
        del tree[key]
    return len(old)


class SharedCounters:
    """The counters as every instance committed them, in a connection of their own.

    ``record`` commits at once (retried after a conflict); the page's own transaction is
    not touched. A tree not yet committed (a site being made) is used in the current
    transaction instead. Use as a context manager: the connection goes back to the pool.
    """

    def __init__(self, tree):
        jar = tree._p_jar
        if jar is not None:
            tree._p_activate()  # a ghost has no serial yet
        self.separate = jar is not None and tree._p_serial != z64
        self.connection = None
        if self.separate:
            self.manager = transaction.TransactionManager()
            self.connection = jar.db().open(transaction_manager=self.manager)
            self.manager.begin()  # see what every instance committed up to now
            self.tree = self.connection.get(tree._p_oid)
        else:
            self.tree = tree

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self.connection is not None:
            self.manager.abort()
            self.connection.close()
            self.connection = None

    def count(self, counter, seconds, stop=None):
        return count(self.tree, counter, seconds, stop)

    def record(self, *counters):
        counters = [c for c in counters if c]
        if not self.separate:
            for counter in counters:
                add(self.tree, counter)
            return
        for attempt in range(ATTEMPTS):
            try:
                for counter in counters:
                    add(self.tree, counter)
                self.manager.commit()
                return
            except ConflictError:
                self.manager.abort()
                self.manager.begin()
        logger.warning("could not record %s after %d conflicts", counters, ATTEMPTS)


# -- tracking look-ups --------------------------------------------------------------------

HOT_CODE_TRIES = 3  # failures a client may make on a code that is under attack


class TooManyAttempts(Exception):
    """Too many wrong look-ups: wait before trying again."""


def lookup_keys(client, code):
    return (
        f"lookup-client:{client}" if client else None,
        f"lookup-code:{code}" if code else None,
        f"lookup-pair:{client}:{code}" if client and code else None,
    )


def lookup_blocked(shared, client, code, rules=None):
    """Is ``client`` throttled, for every code or for ``code``?

    A client is throttled after ``lookup_failures_per_client`` failures in the window. A
    code with ``lookup_failures_per_code`` failures is under attack: then a client that
    already failed ``HOT_CODE_TRIES`` times on it is throttled for it. Failures on a code
    never throttle a client that has not failed on it: the real applicant gets through.
    """
    rules = rules or limits()
    window = rules.lookup_window
    client_key, code_key, pair_key = lookup_keys(client, code)
    per_client = rules.lookup_failures_per_client
    if client_key and per_client and shared.count(client_key, window, per_client) >= per_client:
        return True
    per_code = rules.lookup_failures_per_code
    if pair_key and per_code and shared.count(pair_key, window, HOT_CODE_TRIES) >= HOT_CODE_TRIES:
        return shared.count(code_key, window, per_code) >= per_code
    return False


def lookup_failed(shared, client, code):
    shared.record(*lookup_keys(client, code))


# -- anonymous creations ------------------------------------------------------------------

PERSON_FIELDS = ("applicant_mobile", "applicant_national_code", "applicant_email")


def creation_keys(client, applicant):
    keys = [f"create-client:{client}"] if client else []
    keys += [
        f"create-{field}:{applicant[field]}" for field in PERSON_FIELDS if applicant.get(field)
    ]
    return keys


def creation_refused(client, applicant, tree=None, rules=None):
    """Which limit this anonymous creation would pass: "client", "person" or None.

    ``applicant``: the checked (normalised) mobile, national code and email.
    """
    rules = rules or limits()
    tree = tree if tree is not None else get_counters()
    per_client = rules.creations_per_client_per_hour
    if (
        client
        and per_client
        and count(tree, f"create-client:{client}", 3600, per_client) >= per_client
    ):
        return "client"
    per_person = rules.creations_per_person_per_hour
    if per_person:
        for key in creation_keys("", applicant):
            if count(tree, key, 3600, per_person) >= per_person:
                return "person"
    return None


def creation_made(client, applicant, tree=None):
    """Count one anonymous creation, in the creating transaction."""
    tree = tree if tree is not None else get_counters()
    for key in creation_keys(client, applicant):
        add(tree, key)


class PruneJob:
    """A periodic job: expired events leave the counters."""

    order = 90
    interval = 3600

    def __call__(self, portal):
        tree = get_counters(portal, create=False)
        if tree is None:
            return 0
        removed = prune(tree)
        transaction.commit()
        return removed
