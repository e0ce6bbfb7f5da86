"""Idempotency keys of REST creations: a POST sent again gets the first answer, not a twin.

A client that sends ``Idempotency-Key: <key>`` with a creation (``POST /requests``,
``POST <calendar>/@book``) and sends it again — the connection dropped before the answer,
a timeout, a double click — gets the first call's answer back (the same status and body,
and the header ``Idempotent-Replayed: true``) instead of a second request or booking. The
same key with a different body is a mistake of the client: 422, nothing created. A key
belongs to whoever sent it (the user; for callers not logged in, the client's address) and
to the endpoint, and is kept for ``TTL`` (24 hours, as Stripe does).

Only creations are remembered, in the very transaction that creates: a refused call (bad
input, a time already taken) keeps nothing, and the client may correct it and send it
again with the same key. Two calls with one key at once both write the same entry: one
of them conflicts when it commits, is run again (``transactions.committed``) and then
finds the other's answer.

The store is written once per keyed creation and never on a read. It sits in the site's
annotations: a B-tree of periods (``TTL`` long) each holding a B-tree of entries by digest
(a hash: keys spread over the buckets, and concurrent writers of different keys in one
bucket are merged by the B-tree's conflict resolution). Entries expire by their timestamp;
a period older than the previous one holds only expired entries and is dropped whole the
first time a later period is written — pruning is one write a day, not a sweep.
"""

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from dataclasses import dataclass
from dataclasses import field
from plone import api
from uni.servicedesk import _
from zope.annotation.interfaces import IAnnotations

import hashlib
import json
import re
import time

ANNOTATION_KEY = "uni.servicedesk.idempotency"
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = 24 * 60 * 60  # seconds a key is kept
MAX_LENGTH = 255
_VALID = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")  # visible ASCII, inner spaces


class InvalidKey(ValueError):
    """The header is there but is no usable key."""

    message = _("The Idempotency-Key header must be 1 to 255 visible ASCII characters.")


class KeyReused(ValueError):
    """The key was used before with another body."""

    message = _(
        "This Idempotency-Key was used with a different request body; use a new key "
        "for a new request."
    )


@dataclass
class Answer:
    """What an endpoint answered: status, JSON body, headers."""

    status: int
    body: dict
    headers: dict = field(default_factory=dict)
    replayed: bool = False


@dataclass(frozen=True)
class Key:
    """One idempotency key of one caller at one endpoint, and the body it came with."""

    digest: str
    fingerprint: str


def key_from(http_request, endpoint, data):
    """The ``Key`` of this call, or None when it sends no ``Idempotency-Key`` header.

    ``endpoint`` names what is created (``requests``, a calendar's booking); ``data`` is the
    JSON body as parsed. Raises ``InvalidKey`` for a header that is empty, too long or not
    visible ASCII."""
    raw = http_request.getHeader(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_LENGTH or not _VALID.fullmatch(key):
        raise InvalidKey(key)
    scope = caller(http_request)
    digest = hashlib.sha256(f"{scope}\n{endpoint}\n{key}".encode()).hexdigest()
    return Key(digest, fingerprint(data))


def caller(http_request):
    """Whose keys these are: the logged-in user, else the client's address."""
    if not api.user.is_anonymous():
        return "user:" + api.user.get_current().getId()
    return "client:" + (http_request.getClientAddr() or "")


def fingerprint(data):
    """The body, independent of the order of its keys and of whitespace."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- the store ---------------------------------------------------------------------------------


def get_store(portal=None, create=True):
    """The site's store: period number -> B-tree of entries (None if not made yet and
    ``create`` is False)."""
    portal = portal if portal is not None else api.portal.get()
    annotations = IAnnotations(portal)
    store = annotations.get(ANNOTATION_KEY)
    if store is None and create:
        store = annotations[ANNOTATION_KEY] = IOBTree()
    return store


def _period(moment):
    return int(moment // TTL)


def lookup(key, now=None, portal=None):
    """The answer first given for ``key`` if it is still kept, else None; ``KeyReused``
    when that answer was for another body. Reads only."""
    now = time.time() if now is None else now
    store = get_store(portal, create=False)
    if store is None:
        return None
    current = _period(now)
    for period in (current, current - 1):
        entries = store.get(period)
        entry = entries.get(key.digest) if entries is not None else None
        if entry is None:
            continue
        created, fingerprint_, status, body, headers = entry
        if now - created >= TTL:
            return None  # expired: the key may be used again
        if fingerprint_ != key.fingerprint:
            raise KeyReused(key.digest)
        return Answer(status, json.loads(body), dict(headers), replayed=True)
    return None


def remember(key, answer, now=None, portal=None):
    """Keep ``answer`` for ``key`` (in the current transaction)."""
    now = time.time() if now is None else now
    store = get_store(portal)
    period = _period(now)
    entries = store.get(period)
    if entries is None:
        # The first write of a new period: older ones hold only expired keys.
        for old in list(store.keys(max=period - 2)):
            del store[old]
        entries = store[period] = OOBTree()
    entries[key.digest] = (
        now,
        key.fingerprint,
        int(answer.status),
        json.dumps(answer.body, ensure_ascii=False),
        tuple(sorted(answer.headers.items())),
    )


def once(key, create, now=None):
    """A change for ``transactions.committed``: the answer kept for ``key``, or
    ``create()``'s (an ``Answer``) kept for it in the same transaction. Without a key
    (None), just ``create()``."""

    def change():
        if key is None:
            return create()
        replay = lookup(key, now)
        if replay is not None:
            return replay
        answer = create()
        remember(key, answer, now)
        return answer

    return change


def respond(http_request, answer):
    """Set the answer's status and headers on the response; its body, to return."""
    response = http_request.response
    response.setStatus(answer.status)
    for name, value in answer.headers.items():
        response.setHeader(name, value)
    if answer.replayed:
        response.setHeader(REPLAYED_HEADER, "true")
    return answer.body
