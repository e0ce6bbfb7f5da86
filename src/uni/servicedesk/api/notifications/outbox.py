"""The transactional outbox: notifications stored with the change that caused them.

A message is added to the site's outbox in the same ZODB transaction as the transition,
reply or referral it tells about: if that transaction is aborted, the message never
existed; once it commits, the message is there even if the process dies a moment later.
The scheduler's delivery job (``api.notifications.delivery``) sends messages after commit.

Exactly once between workers: a worker *claims* a message in a transaction of its own
before sending it. Two workers claiming the same message write the same object, and the
later commit fails with a ConflictError: only one of them sends. A claim is a lease; if
the worker dies after claiming, the message is claimable again when the lease runs out.

Storage: ``messages`` (id -> Message, kept after sending: a request's history), ``queue``
((time of the attempt, id) -> id: a time index of every attempt ever queued), ``dead``
(id -> id, failed for good), ``held`` ((user, created, id) -> id, staff messages waiting
for the daily digest) and ``preferences`` (user -> "immediate" | "digest").

Steps of the desk only ever *insert* into these trees; workers never remove from them on
the way (removing the oldest key of a bucket that a step inserts into is a write conflict
ZODB cannot resolve: measured, it made every notifying step run twice). Workers find due
messages from a cursor of their own (``cursor``: every attempt queued before it is
settled), looking back ``LOOK_BACK`` seconds for transactions that committed late, and
count what waits in a conflict-free ``Length``.
"""

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from plone import api
from Products.CMFCore.utils import getToolByName
from zope.annotation.interfaces import IAnnotations

import time
import uuid

ANNOTATION_KEY = "uni.servicedesk.outbox"
PENDING, SENDING, SENT, DEAD, HELD, DIGESTED, ERASED = (
    "pending",
    "sending",
    "sent",
    "dead",
    "held",
    "digested",
    "erased",
)
LEASE_SECONDS = 300
LOOK_BACK = 600  # a step queues at its start and commits later: look back this far
IMMEDIATE, DIGEST = "immediate", "digest"


class Message(Persistent):
    """One email or SMS to one recipient, rendered when it was queued."""

    state = PENDING
    attempts = 0
    last_error = ""
    claimed_by = ""
    claimed_until = 0.0
    sent_at = None
    reference = ""
    parts = 0  # SMS parts the provider bills (0 for email)
    digest_id = ""  # the daily digest that listed it (staff messages held for one)
    erased = False  # its texts were erased with the personal data of its request

    def __init__(
        self,
        channel,
        recipient,
        body,
        subject="",
        event="",
        request_code="",
        recipient_user="",
        language="fa",
    ):
        self.id = uuid.uuid4().hex
        self.created = time.time()
        self.next_attempt = self.created
        self.channel = channel  # "email" | "sms"
        self.recipient = recipient
        self.recipient_user = recipient_user
        self.subject = subject
        self.body = body
        self.event = event
        self.request_code = request_code
        self.language = language
        self.errors = ()  # (when, error) of every failed attempt

    @property
    def queue_key(self):
        return (self.next_attempt, self.id)

    def claimable(self, now):
        return self.state == PENDING or (self.state == SENDING and self.claimed_until < now)

    def settled(self):
        return self.state in (SENT, DEAD, HELD, DIGESTED, ERASED)


class Cursor(Persistent):
    """Written by workers only (so steps of the desk never conflict with it)."""

    value = 0.0


class Outbox(Persistent):
    def __init__(self):
        self.messages = OOBTree()
        self.queue = OOBTree()
        self.dead = OOBTree()
        self.held = OOBTree()
        self.by_request = OOBTree()  # (tracking code, created, id) -> id
        self.preferences = OOBTree()
        self.sent_count = Length()
        self.pending_count = Length()
        self.cursor = Cursor()
        self.last_digest_day = ""


def site_of(context):
    """The site ``context`` is in, through its own connection: the outbox is written in
    the transaction of the change, and ``getSite()`` may be a site loaded elsewhere."""
    return getToolByName(context, "portal_url").getPortalObject()


def get_outbox(portal=None, create=True):
    portal = portal if portal is not None else api.portal.get()
    annotations = IAnnotations(portal)
    outbox = annotations.get(ANNOTATION_KEY)
    if outbox is None and create:
        outbox = annotations[ANNOTATION_KEY] = Outbox()
    return outbox


def add(message, hold=False, portal=None):
    """Store a message in the current transaction: queued now, or held for a digest."""
    outbox = get_outbox(portal)
    outbox.messages[message.id] = message
    if message.request_code:
        outbox.by_request[(message.request_code, message.created, message.id)] = message.id
    if hold:
        message.state = HELD
        outbox.held[(message.recipient_user, message.created, message.id)] = message.id
    else:
        _enqueue(outbox, message)
    return message


def _enqueue(outbox, message):
    outbox.queue[message.queue_key] = message.id
    outbox.pending_count.change(1)


def _attempts(outbox, until):
    """(key, message) of the attempts queued from the cursor (less the look-back) on;
    entries of an earlier attempt of a message that was retried are skipped."""
    start = outbox.cursor.value - LOOK_BACK
    for key in outbox.queue.keys(min=(start,), max=(until, "\uffff")):
        message = outbox.messages.get(key[1])
        if message is not None and message.next_attempt == key[0]:
            yield key, message


def due(outbox, now, limit=50):
    """Messages whose time has come (oldest first); moves the cursor past the settled."""
    found, first_open = [], None
    for key, message in _attempts(outbox, now):
        if message.settled():
            continue
        if first_open is None:
            first_open = key[0]
        if message.claimable(now) and len(found) < limit:
            found.append(message)
    cursor = first_open if first_open is not None else now
    if cursor - outbox.cursor.value > 60:  # not a write on every idle pass
        outbox.cursor.value = cursor
    return found


def waiting(outbox, limit=50):
    """Messages not yet settled (due now or later, or being sent), oldest first."""
    rows = []
    for _key, message in _attempts(outbox, float("inf")):
        if not message.settled():
            rows.append(message)
            if len(rows) >= limit:
                break
    return rows


def claim(message, worker, now, lease=LEASE_SECONDS):
    message.state = SENDING
    message.claimed_by = worker
    message.claimed_until = now + lease


def mark_sent(outbox, message, reference="", now=None):
    outbox.pending_count.change(-1)
    message.state = SENT
    message.sent_at = now or time.time()
    message.reference = reference or ""
    message.claimed_by = ""
    outbox.sent_count.change(1)


def retry_delay(attempts, base):
    """Exponential backoff: base, 2·base, 4·base… capped at a day."""
    return min(base * (2 ** max(attempts - 1, 0)), 86400)


def mark_failed(outbox, message, error, permanent, max_attempts, base_delay, now=None):
    """Count the failure; retry later, or move the message to the dead letters."""
    now = now or time.time()
    message.attempts += 1
    message.last_error = str(error)[:500]
    message.errors = tuple(message.errors) + ((now, message.last_error),)
    message.claimed_by = ""
    if permanent or message.attempts >= max_attempts:
        message.state = DEAD
        outbox.pending_count.change(-1)
        outbox.dead[message.id] = message.id
        return
    message.state = PENDING
    message.next_attempt = now + retry_delay(message.attempts, base_delay)
    outbox.queue[message.queue_key] = message.id  # a new attempt; the old key is skipped


def retry(outbox, message_id, now=None):
    """A dead letter goes back to the queue, with a fresh count of attempts."""
    message = outbox.messages.get(message_id)
    if message is None or message.state != DEAD:
        return False
    del outbox.dead[message_id]
    message.state = PENDING
    message.attempts = 0
    message.next_attempt = now or time.time()
    _enqueue(outbox, message)  # at now: never behind the cursor
    return True


def release_held(outbox, user_id):
    """The held messages of a user (oldest first), marked as gone into a digest."""
    keys = list(outbox.held.keys(min=(user_id,), max=(user_id, float("inf"), "\uffff")))
    messages = []
    for key in keys:
        message = outbox.messages.get(outbox.held.pop(key))
        if message is not None:
            message.state = DIGESTED
            messages.append(message)
    return messages


def held_users(outbox):
    users, previous = [], None
    for user_id, _created, _id in outbox.held.keys():
        if user_id != previous:
            users.append(user_id)
            previous = user_id
    return users


def erase(outbox, message, recipient=True):
    """Forget what ``message`` says (and, with ``recipient``, to whom): the personal data of
    its request was erased. One that waits to be sent or for a digest, or that failed for
    good, is never sent (``ERASED``); one being sent now is left to its worker."""
    message.subject = message.body = ""
    if recipient:
        message.recipient = ""
    message.last_error = ""
    message.errors = ()
    message.erased = True
    if message.state == PENDING:
        outbox.pending_count.change(-1)
    elif message.state == HELD:
        outbox.held.pop((message.recipient_user, message.created, message.id), None)
    elif message.state == DEAD:
        outbox.dead.pop(message.id, None)
    else:
        return
    message.state = ERASED


def messages_of_request(outbox, code):
    ids = outbox.by_request.values(min=(code,), max=(code, float("inf"), "\uffff"))
    return [outbox.messages[i] for i in ids if i in outbox.messages]


def preference(outbox, user_id):
    return outbox.preferences.get(user_id, IMMEDIATE)


def set_preference(outbox, user_id, value):
    if value not in (IMMEDIATE, DIGEST):
        raise ValueError(value)
    if preference(outbox, user_id) != value:
        outbox.preferences[user_id] = value


def counts(outbox):
    return {
        "pending": outbox.pending_count(),
        "held": len(outbox.held),
        "dead": len(outbox.dead),
        "sent": outbox.sent_count(),
    }
