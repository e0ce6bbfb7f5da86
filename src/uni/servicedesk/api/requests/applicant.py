"""What the applicant does and sees: reply, withdraw, reopen; the public view of a
request, its tracking, the applicant's own list."""

from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import tracking
from uni.servicedesk.api import validation
from uni.servicedesk.api.requests import relations
from uni.servicedesk.api.requests.records import ACTIVE_STATES
from uni.servicedesk.api.requests.records import AS_APPLICANT
from uni.servicedesk.api.requests.records import actor
from uni.servicedesk.api.requests.records import attach
from uni.servicedesk.api.requests.records import attachment_info
from uni.servicedesk.api.requests.records import attachments
from uni.servicedesk.api.requests.records import find_by_code
from uni.servicedesk.api.requests.records import require
from uni.servicedesk.api.requests.records import service_of
from uni.servicedesk.api.requests.records import state
from uni.servicedesk.api.requests.timeline import log_event
from uni.servicedesk.api.requests.timeline import timeline
from uni.servicedesk.api.requests.workflow import check_reopen
from uni.servicedesk.api.requests.workflow import fire
from uni.servicedesk.api.requests.workflow import reopen_allowed
from uni.servicedesk.api.validation import InputError


def applicant_reply(request, text="", uploads=()):
    """The applicant answers (and/or sends documents); a waiting request resumes."""
    require(AS_APPLICANT, request)
    text = (text or "").strip()
    files = [validation.upload(u, "files") for u in uploads or () if getattr(u, "filename", None)]
    if not text and not files:
        raise InputError("text", _("Write a message or attach a file."))
    ids = [attach(request, "applicant", name, payload) for name, payload in files]
    log_event(
        request,
        "applicant_reply",
        public=True,
        text=text,
        attachments=ids,
        actor=actor() if not api.user.is_anonymous() else ("", request.applicant_name),
    )
    if files:
        request.requested_documents = []
    if state(request) == "awaiting_applicant":
        fire(request, "applicant_responds")
    request.reindexObject()


def withdraw(request, reason=""):
    require(AS_APPLICANT, request)
    fire(request, "withdraw", reason)
    request.reindexObject()


def reopen(request, reason=""):
    require(AS_APPLICANT, request)
    check_reopen(request)
    fire(request, "reopen", reason)
    request.reindexObject()


def verify(code, verifier, client=""):
    """The request for ``code`` if ``verifier`` (mobile, email or link secret) matches.

    Returns None for any mismatch, without saying which half was wrong; failures are
    throttled per client and per code.
    """
    return tracking.verify(code, verifier, find_by_code, client)


TooManyAttempts = tracking.TooManyAttempts


STEP_OF_STATE = {"submitted": 0, "assigned": 1, "in_progress": 1, "awaiting_applicant": 1}


def service_steps(request, service=None):
    """The service's steps with the current one marked (done / current / todo)."""
    service = service or service_of(request)
    steps = service.parsed_steps() if service is not None else []
    current_state = state(request)
    if not steps:
        return []
    if current_state in ("resolved", "closed"):
        current = len(steps)
    else:
        current = min(STEP_OF_STATE.get(current_state, 0), len(steps) - 1)
    return [
        {
            "title": title,
            "actor": actor,
            "status": "done" if i < current else "current" if i == current else "todo",
        }
        for i, (title, actor) in enumerate(steps)
    ]


def public_view(request):
    """What the applicant may see: never internal notes or staff-only data."""
    service = service_of(request)
    current = state(request)
    data = {
        "tracking_code": request.tracking_code,
        "kind": request.kind,
        "subject": request.subject,
        "service": service.Title() if service is not None else None,
        "service_title_en": getattr(service, "title_en", None) if service is not None else None,
        "state": current,
        "created": request.created(),
        "due_date": request.due_date,
        "steps": service_steps(request, service),
        "timeline": [
            {
                k: v
                for k, v in entry.items()
                if k
                in (
                    "id",
                    "event",
                    "when",
                    "actor_name",
                    "text",
                    "attachments",
                    "documents",
                    "unit_title",
                    "from_state",
                    "to_state",
                )
            }
            for entry in timeline(request, include_internal=False)
        ],
        "form_answers": [{"label": label, "value": value} for label, value in request.form_answers],
        "requested_documents": list(getattr(request, "requested_documents", None) or []),
        "documents": [attachment_info(a) for a in attachments(request, "applicant")],
        "results": [attachment_info(a) for a in attachments(request, "result")],
        "can_reply": current in ACTIVE_STATES,
        "can_withdraw": current in ACTIVE_STATES,
        "can_reopen": reopen_allowed(request),
    }
    data.update(relations.public_info(request))  # a merged duplicate: the main one's status
    return data


def my_requests(user=None, b_start=0, b_size=20):
    """Catalog brains of the user's own requests, newest first (a lazy, batched result).

    Searched unrestricted on ``applicant_user`` alone: it names the requests this user
    submitted (and owns), and leaving out the usual security and publication filters keeps
    the cost that of the user's own requests, not of every request in the site.
    """
    user = user or api.user.get_current()
    if user is None or api.user.is_anonymous():
        return []
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        applicant_user=user.getId(),
        sort_on="created",
        sort_order="descending",
        b_start=b_start,
        b_size=b_size,
    )
