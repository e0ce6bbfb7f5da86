"""What staff do with a request: refer, hand back, reply, note, ask for documents,
deliver, resolve."""

from DateTime import DateTime
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import validation
from uni.servicedesk.api.requests import subtasks
from uni.servicedesk.api.requests.records import HANDLER_ROLE
from uni.servicedesk.api.requests.records import REFER
from uni.servicedesk.api.requests.records import WORK
from uni.servicedesk.api.requests.records import attach
from uni.servicedesk.api.requests.records import grant_handler
from uni.servicedesk.api.requests.records import require
from uni.servicedesk.api.requests.records import revoke_handler
from uni.servicedesk.api.requests.records import roles_changed
from uni.servicedesk.api.requests.records import state
from uni.servicedesk.api.requests.timeline import log_event
from uni.servicedesk.api.requests.workflow import fire
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.vocabularies import ORG_UNIT_PREFIX

AGENT_ROLE = "Service Desk Agent"


def valid_expert(user_id):
    user = api.user.get(userid=user_id)
    if user is None or AGENT_ROLE not in api.user.get_roles(user=user):
        raise InputError("expert", _("Choose an expert from the list."))
    return user


def valid_unit(group_id):
    if not group_id.startswith(ORG_UNIT_PREFIX) or api.group.get(groupname=group_id) is None:
        raise InputError("unit", _("Choose a unit from the list."))
    return group_id


def refer(request, unit=None, expert=None, note=""):
    """Refer to a unit and/or an expert: they (and only they) get to work on it."""
    require(REFER, request)
    if not unit and not expert:
        raise InputError("unit", _("Choose a unit or an expert."))
    unit = valid_unit(unit) if unit else None
    expert_user = valid_expert(expert) if expert else None
    release_handlers(request)
    for principal in filter(None, (unit, expert)):
        grant_handler(request, principal)
    request.referred_unit = unit
    request.referred_expert = expert
    unit_title = api.group.get(groupname=unit).getProperty("title") if unit else ""
    expert_name = expert_user.getProperty("fullname") or expert if expert_user else ""
    # The applicant sees where it went; the note stays internal.
    log_event(
        request,
        "referred",
        public=True,
        unit=unit or "",
        unit_title=unit_title or "",
        expert=expert or "",
        expert_name=expert_name,
    )
    if note:
        log_event(request, "note", public=False, text=note)
    subtasks.restore_roles(request)  # assignees of open sub-tasks keep working on it
    if state(request) == "submitted":
        fire(request, "assign")
    roles_changed(request)
    request.reindexObject()


def release_handlers(request):
    """Nobody handles the request any more (its unit and expert lose their local role)."""
    for principal, roles in list(request.get_local_roles()):
        if HANDLER_ROLE in roles:
            revoke_handler(request, principal)
    request.referred_unit = None
    request.referred_expert = None
    roles_changed(request)


def hand_back(request, note=""):
    """The expert or unit gives the request back to the supervisors, unassigned.

    The handlers are released by the transition's subscriber (workflows/timeline.py), so
    a hand-back through any channel does the same.
    """
    require(REFER, request)
    fire(request, "hand_back")  # the note is internal: not the public comment
    if note:
        log_event(request, "note", public=False, text=note)
    request.reindexObject()


def reply(request, text, uploads=()):
    """A public answer to the applicant (optionally with files)."""
    require(WORK, request)
    text = (text or "").strip()
    if not text:
        raise InputError("text", _("Write the reply."))
    files = [validation.upload(u, "files") for u in uploads or () if getattr(u, "filename", None)]
    ids = [attach(request, "result", name, payload) for name, payload in files]
    log_event(request, "reply", public=True, text=text, attachments=ids)
    if state(request) == "assigned":
        fire(request, "start", quiet=True)
    request.reindexObject()


def note(request, text):
    """An internal note: never shown to the applicant."""
    require(WORK, request)
    text = (text or "").strip()
    if not text:
        raise InputError("text", _("Write the note."))
    log_event(request, "note", public=False, text=text)


def request_documents(request, documents, text=""):
    """Ask the applicant for documents; the request waits for them."""
    require(WORK, request)
    wanted = [d.strip() for d in documents or () if d and d.strip()]
    if not wanted:
        raise InputError("documents", _("Name at least one document."))
    if state(request) == "assigned":
        fire(request, "start", quiet=True)
    request.requested_documents = wanted
    log_event(request, "documents_requested", public=True, text=text, documents=wanted)
    fire(request, "ask_applicant")
    request.reindexObject()


def deliver(request, uploads, text=""):
    """Deliver the service's result electronically (files the applicant downloads)."""
    require(WORK, request)
    files = [validation.upload(u, "files") for u in uploads or () if getattr(u, "filename", None)]
    if not files:
        raise InputError("files", _("Attach the result to deliver."))
    ids = [attach(request, "result", name, payload) for name, payload in files]
    log_event(request, "delivered", public=True, text=text, attachments=ids)
    request.reindexObject()


def resolve(request, text="", override=False, reason=""):
    """Resolve; refused while required sub-tasks are open unless a supervisor overrides
    with a reason (recorded)."""
    require(WORK, request)
    overridden = subtasks.override_needed(request, override, reason)
    if state(request) == "assigned":
        fire(request, "start", quiet=True)
    if overridden:
        subtasks.record_override(request, overridden, reason)
    fire(request, "resolve", text)
    request.resolved_at = DateTime()
    request.reindexObject()
