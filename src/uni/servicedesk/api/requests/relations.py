"""Requests that belong together: a duplicate merged into its main request, related ones.

Requests refer to each other by tracking code (never by path or UID): a code is what
staff type and what the applicant already has. A merged request keeps its own code, its
own data and its own timeline; its applicant follows it as before, and sees its state
(*merged*) and the main request's status, never the main request's data.
"""

from AccessControl import Unauthorized
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import tracking
from uni.servicedesk.api.requests import subtasks as subtasks_api
from uni.servicedesk.api.requests.records import ACTIVE_STATES
from uni.servicedesk.api.requests.records import INTERNAL
from uni.servicedesk.api.requests.records import REFER
from uni.servicedesk.api.requests.records import WORK
from uni.servicedesk.api.requests.records import find_by_code
from uni.servicedesk.api.requests.records import require
from uni.servicedesk.api.requests.records import state
from uni.servicedesk.api.requests.records import state_title
from uni.servicedesk.api.requests.timeline import log_event
from uni.servicedesk.api.requests.workflow import fire
from uni.servicedesk.api.validation import InputError

MERGED = "merged"
MERGEABLE_STATES = ACTIVE_STATES  # the merge transition leaves these


# -- finding the other request -----------------------------------------------------------


def other_request(code, field="code"):
    """The request a member of staff names by its tracking code.

    The same error for a malformed code, an unknown one, and one the user may not see:
    the message says nothing about requests they cannot reach.
    """
    normalized = tracking.normalize_code(code)
    found = find_by_code(normalized) if normalized else None
    if found is None or not api.user.has_permission("View", obj=found):
        raise InputError(field, _("No request you can reach has this tracking code."))
    return found


def merged_into(request):
    return getattr(request, "merged_into", None) or None


def merged_from(request):
    return tuple(getattr(request, "merged_from", None) or ())


def related_codes(request):
    return tuple(getattr(request, "related_codes", None) or ())


# -- merging ----------------------------------------------------------------------------


def _check_merge(duplicate, into):
    if duplicate.tracking_code == into.tracking_code:
        raise InputError("into", _("A request cannot be merged into itself."))
    dup_state = state(duplicate)
    if dup_state not in MERGEABLE_STATES:
        raise InputError(
            "duplicate",
            _(
                "Only a request still being handled can be merged; this one is ${state}.",
                mapping={"state": state_title(dup_state)},
            ),
        )
    into_state = state(into)
    if into_state == MERGED:
        raise InputError(
            "into",
            _(
                "Request ${code} was itself merged into another request: merge into that one.",
                mapping={"code": into.tracking_code},
            ),
        )
    if into_state not in MERGEABLE_STATES:
        raise InputError(
            "into",
            _(
                "Request ${code} is ${state}: merge only into a request still being handled.",
                mapping={"code": into.tracking_code, "state": state_title(into_state)},
            ),
        )
    if merged_from(duplicate):
        raise InputError(
            "duplicate",
            _(
                "Other requests were merged into this one: merge request ${code} into it instead.",
                mapping={"code": into.tracking_code},
            ),
        )


def merge(duplicate, into, note=""):
    """Merge ``duplicate`` into ``into`` (a supervisor: REFER on both).

    The duplicate goes to the final state *merged* and records ``merged_into``; the main
    request lists it in ``merged_from``. Both timelines get an internal entry (the note
    stays internal) and both applicants are told, each about their own request only.
    """
    # Staff who can see both get the clear reasons first (a finished request grants REFER
    # to nobody); then merging itself needs REFER on both.
    for request in (duplicate, into):
        require("View", request)
        require(INTERNAL, request)
    _check_merge(duplicate, into)
    require(REFER, duplicate)
    require(REFER, into)
    note = (note or "").strip()[:5000]
    subtasks_api.cancel_all(duplicate)
    # The public transition entry has no comment: the applicant sees "merged", not the note.
    duplicate.merged_into = into.tracking_code  # the merge transition's guard looks for it
    fire(duplicate, "merge")
    into.merged_from = merged_from(into) + (duplicate.tracking_code,)
    log_event(duplicate, "merged_into", public=False, text=note, merged_into=into.tracking_code)
    log_event(into, "merged_from", public=False, text=note, merged_from=duplicate.tracking_code)
    # Both applicants are told (notifications react to the two entries), each from their
    # own request alone: own code, own private link, no text of the other request.
    duplicate.reindexObject()
    into.reindexObject()


def main_request(request):
    """The request ``request`` was merged into, or None (no permission check: callers
    show only what ``public_info`` gives)."""
    code = merged_into(request)
    return find_by_code(code) if code else None


def public_info(request):
    """What the applicant of a merged request may see of the main one: its state only."""
    main = main_request(request)
    return {
        "merged": state(request) == MERGED,
        "merged_into_state": state(main) if main is not None else None,
    }


# -- related requests -------------------------------------------------------------------


def may_link(request):
    return bool(
        api.user.has_permission(WORK, obj=request) or api.user.has_permission(REFER, obj=request)
    )


def _require_link(request):
    if not may_link(request):
        raise Unauthorized(f"link on {request.getId()}")


def link(a, b, note=""):
    """Mark two requests as related (both ways); WORK or REFER on both."""
    _require_link(a)
    _require_link(b)
    if a.tracking_code == b.tracking_code:
        raise InputError("code", _("A request cannot be related to itself."))
    if b.tracking_code in related_codes(a) and a.tracking_code in related_codes(b):
        raise InputError("code", _("These requests are already related."))
    for one, other in ((a, b), (b, a)):
        if other.tracking_code not in related_codes(one):
            one.related_codes = related_codes(one) + (other.tracking_code,)
        log_event(
            one,
            "linked",
            public=False,
            text=(note or "").strip()[:5000],
            related=other.tracking_code,
        )


def unlink(a, b):
    """They are not related any more (both ways); WORK or REFER on both."""
    _require_link(a)
    _require_link(b)
    if b.tracking_code not in related_codes(a) and a.tracking_code not in related_codes(b):
        raise InputError("code", _("These requests are not related."))
    for one, other in ((a, b), (b, a)):
        one.related_codes = tuple(c for c in related_codes(one) if c != other.tracking_code)
        log_event(one, "unlinked", public=False, related=other.tracking_code)
