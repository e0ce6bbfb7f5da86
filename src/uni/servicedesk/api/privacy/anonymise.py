"""Erasing one person's data: their requests and bookings are anonymised, not deleted.

A request keeps its tracking code, kind, service, state, dates, service level and the
staff's steps — the desk's record of what it did, and what reports count — and loses what
says who asked and what they wrote: the name becomes ``PLACEHOLDER_NAME``; national code,
student number, email, mobile and account are emptied; the subject, description, form
answers and every text the applicant wrote on the timeline become ``ERASED_TEXT``; files
(theirs and the results delivered to them) are removed; texts staff wrote keep their words
but not the person's name, codes or numbers. Bookings likewise. Messages of the person's
requests and bookings lose their subject, body and the person's address; those not sent
yet are never sent. An entry says on each timeline that the data was erased, and the
site's audit log says who erased how many records, when — never whose.
"""

from DateTime import DateTime
from plone import api
from uni.servicedesk.api import tracking
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.privacy import audit
from uni.servicedesk.api.privacy import keys as privacy_keys
from uni.servicedesk.api.privacy import records
from uni.servicedesk.api.requests import log_event
from uni.servicedesk.api.requests import roles_changed
from uni.servicedesk.localization import localize_digits
from uni.servicedesk.localization import normalize_text

import re

PLACEHOLDER_NAME = "متقاضی ناشناس"
ERASED_TEXT = "[حذف شد]"
EVENT = "anonymised"  # the timeline entry of an erasure
IDENTITY_FIELDS = (
    "applicant_national_code",
    "applicant_number",
    "applicant_email",
    "applicant_mobile",
)
# Timeline steps whose text the applicant wrote, and transitions they take.
APPLICANT_EVENTS = ("submitted", "applicant_reply")
APPLICANT_TRANSITIONS = ("withdraw", "reopen", "applicant_responds")
# Keys of a timeline entry that are ours (ids, states), not words of anyone.
STRUCTURAL = (
    "id",
    "event",
    "when",
    "actor",
    "public",
    "transition",
    "from_state",
    "to_state",
    "attachments",
    "quiet",
    "level",
    "people",
    "subtask",
    "merged_into",
    "merged_from",
    "related",
    "files",
)
SHORTEST = 3  # shorter values (a two-letter name) are not searched for in texts


# -- what identifies the person ----------------------------------------------------------


def personal_values(holders, identifiers=()):
    """The strings that identify the person in texts: their names, codes, numbers, emails
    and mobiles on ``holders`` (requests and bookings) and the ``identifiers`` searched
    by, with the digits people write them in (Persian, and mobiles without the 0 or
    with +98)."""
    values = set()
    for holder in holders:
        values.add(getattr(holder, "applicant_name", "") or "")
        for field in IDENTITY_FIELDS:
            values.add(getattr(holder, field, "") or "")
    values.update(identifiers)
    found = set()
    for value in values:
        value = str(value).strip()
        if len(value) < SHORTEST or value == PLACEHOLDER_NAME:
            continue
        found.update({value, normalize_text(value), localize_digits(value, "fa")})
        if re.fullmatch(r"09\d{9}", value):
            found.update({value[1:], "+98" + value[1:], localize_digits(value[1:], "fa")})
    return sorted((v for v in found if len(v) >= SHORTEST), key=len, reverse=True)


def scrub(text, values):
    """``text`` with every value replaced by ``ERASED_TEXT`` (longest first, any case)."""
    if not text or not isinstance(text, str):
        return text
    for value in values:
        text = re.sub(re.escape(value), ERASED_TEXT, text, flags=re.IGNORECASE)
    return text


def _scrub_value(value, values):
    if isinstance(value, str):
        return scrub(value, values)
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub_value(item, values) for item in value)
    return value


# -- requests ----------------------------------------------------------------------------


def _by_applicant(entry, applicant_user):
    if entry.get("event") in APPLICANT_EVENTS:
        return True
    if applicant_user and entry.get("actor") == applicant_user:
        return True
    return entry.get("transition") in APPLICANT_TRANSITIONS and entry.get("actor", "") in (
        "",
        applicant_user,
    )


def _erased_entry(entry, values, applicant_user):
    entry = dict(entry)
    mine = _by_applicant(entry, applicant_user)
    for name, value in list(entry.items()):
        if name in STRUCTURAL:
            continue
        if mine and name == "text":
            entry[name] = ERASED_TEXT if value else value
        elif mine and name == "actor_name":
            entry[name] = PLACEHOLDER_NAME
        else:
            entry[name] = _scrub_value(value, values)
    if applicant_user and entry.get("actor") == applicant_user:
        entry["actor"] = ""
    return entry


def _answer(value):
    return ERASED_TEXT if value not in (None, "", (), [], False) else value


def anonymise_request(request, values):
    """Anonymise one request in place (no permission check: callers check); returns the
    number of files removed."""
    applicant_user = getattr(request, "applicant_user", None) or ""
    request.applicant_name = PLACEHOLDER_NAME
    for field in IDENTITY_FIELDS:
        setattr(request, field, "")
    request.applicant_user = None
    request.notify_channels = []
    if request.subject:
        request.subject = ERASED_TEXT
        request.title = ERASED_TEXT
    if request.body:
        request.body = ERASED_TEXT
    request.form_answers = tuple((label, _answer(value)) for label, value in request.form_answers)
    request.tracking_secret = tracking.new_secret()  # links already sent open nothing
    files = len(request.attachments)
    request.attachments.clear()
    for index, entry in enumerate(list(request.timeline)):
        erased = _erased_entry(entry, values, applicant_user)
        if erased != entry:
            request.timeline[index] = erased
    for subtask_id, subtask in list((getattr(request, "subtasks", None) or {}).items()):
        request.subtasks[subtask_id] = {k: _scrub_value(v, values) for k, v in subtask.items()}
    if getattr(request, "requested_documents", None):
        request.requested_documents = [scrub(d, values) for d in request.requested_documents]
    # Nobody owns it any more: not in anyone's "My requests", no Owner role, no creator.
    owners = [principal for principal, roles in request.get_local_roles() if "Owner" in roles]
    if owners:
        request.manage_delLocalRoles(owners)
    request.creators = ()
    if "_owner" in request.__dict__:
        del request._owner  # the folder's owner (the site's), not the applicant's account
    request.anonymised_at = DateTime()
    log_event(request, EVENT, public=False, files=files)
    request.setModificationDate(request.anonymised_at)
    # Every index and the metadata, naming the indexes: a plain reindexObject() would
    # make whoever erases it a creator of the request (CMF's notifyModified).
    request.reindexObject(idxs=api.portal.get_tool("portal_catalog").indexes())
    roles_changed(request)
    return files


# -- bookings ----------------------------------------------------------------------------


def anonymise_booking(booking, values, portal=None):
    """Anonymise one booking in place and take it out of the bookings' index."""
    privacy_keys.unindex_booking(booking, privacy_keys.keys_of(booking), portal)
    booking.applicant_name = PLACEHOLDER_NAME
    for field in IDENTITY_FIELDS:
        setattr(booking, field, "")
    booking.applicant_user = None
    booking.tracking_secret = tracking.new_secret()
    if booking.cancel_reason:
        booking.cancel_reason = scrub(booking.cancel_reason, values)
    booking.anonymised_at = DateTime()


# -- messages ----------------------------------------------------------------------------


def _digest_line(message):
    first = (message.body or "").strip().splitlines()[:1]
    return f"- {message.subject}" + (f"\n  {first[0]}" if first else "")


def erase_messages(code, values, portal=None):
    """The messages about the request or booking ``code``: texts and the person's address
    removed, those not sent never sent; the daily digests that listed them lose their line.
    Returns how many messages."""
    box = outbox_api.get_outbox(portal, create=False)
    if box is None:
        return 0
    messages = outbox_api.messages_of_request(box, code)
    for message in messages:
        digest = box.messages.get(getattr(message, "digest_id", "") or "")
        if digest is not None:
            digest.body = scrub(
                digest.body.replace(_digest_line(message), f"- {ERASED_TEXT}"), values
            )
        outbox_api.erase(box, message, recipient=not message.recipient_user)
    return len(messages)


# -- one person --------------------------------------------------------------------------


def erase(person):
    """Erase everything of ``person`` (a ``records.Person``); returns how many requests,
    bookings, messages and files. Only those who may manage personal data."""
    found = records.find(person)  # checks the permission
    values = personal_values(found.holders(), person.identifiers().values())
    counts = {
        "requests": len(found.requests),
        "bookings": len(found.bookings),
        "messages": 0,
        "files": 0,
    }
    for request in found.requests:
        counts["files"] += anonymise_request(request, values)
        counts["messages"] += erase_messages(request.tracking_code, values)
    for booking, _calendar in found.bookings:
        anonymise_booking(booking, values)
        counts["messages"] += erase_messages(booking.tracking_code, values)
    if found.total:
        audit.log_erasure("erase", counts)
    return counts
