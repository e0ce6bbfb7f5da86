"""Division of work: an expert splits a request into sub-tasks for colleagues or units.

A sub-task is a small record kept on the request (``request.subtasks``, a
``PersistentMapping`` like ``request.attachments``), never child content. Its assignee, an
expert (a user with the role *Service Desk Agent*) or a unit (a group ``unit-…``), gets the
local role ``HANDLER_ROLE`` on the request while the sub-task is open, so they can see and
work the request; it is taken back when the sub-task is done or cancelled, unless they are
the request's referred expert or unit or have another open sub-task on it.

Every step is an internal entry on the timeline. Open *required* sub-tasks stop the
request from being resolved (``check_resolvable``) unless a supervisor overrides it with a
reason.
"""

from AccessControl import Unauthorized
from DateTime import DateTime
from persistent.mapping import PersistentMapping
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api.requests import records
from uni.servicedesk.api.requests.records import ACTIVE_STATES
from uni.servicedesk.api.requests.records import WORK
from uni.servicedesk.api.requests.records import actor
from uni.servicedesk.api.requests.records import grant_handler
from uni.servicedesk.api.requests.records import require
from uni.servicedesk.api.requests.records import revoke_handler
from uni.servicedesk.api.requests.records import roles_changed
from uni.servicedesk.api.requests.timeline import log_event
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.vocabularies import ORG_UNIT_PREFIX

import uuid

OVERRIDE = "uni.servicedesk: Override open sub-tasks"
AGENT_ROLE = "Service Desk Agent"
OPEN, DONE, CANCELLED = "open", "done", "cancelled"
STATES = (OPEN, DONE, CANCELLED)
TITLE_LENGTH = 250
TEXT_LENGTH = 5000


# -- reading ------------------------------------------------------------------------------


def _storage(request, create=False):
    store = getattr(request, "subtasks", None)
    if store is None and create:
        store = request.subtasks = PersistentMapping()
    return store


def subtasks(request):
    """The request's sub-tasks, oldest first (copies: change them through this module)."""
    store = _storage(request) or {}
    return sorted((dict(s) for s in store.values()), key=lambda s: s["created"])


def get(request, subtask_id):
    store = _storage(request) or {}
    subtask = store.get(str(subtask_id or ""))
    if subtask is None:
        raise InputError("subtask", _("This sub-task does not exist."))
    return subtask


def open_required(request):
    return [s for s in subtasks(request) if s["state"] == OPEN and s["required"]]


# -- who -----------------------------------------------------------------------------------


def _current_user_id():
    return None if api.user.is_anonymous() else api.user.get_current().getId()


def assignee_info(assignee):
    """(kind, title) of a valid assignee, or raise ``InputError("assignee", …)``.

    kind is "unit" for a group ``unit-…`` and "user" for an expert.
    """
    assignee = (assignee or "").strip()
    if not assignee:
        raise InputError("assignee", _("Choose a colleague or a unit."))
    if assignee.startswith(ORG_UNIT_PREFIX):
        group = api.group.get(groupname=assignee)
        if group is not None:
            return "unit", group.getProperty("title") or assignee
    user = api.user.get(userid=assignee)
    if user is not None and AGENT_ROLE in api.user.get_roles(user=user):
        return "user", user.getProperty("fullname") or assignee
    raise InputError("assignee", _("Choose a colleague or a unit from the list."))


def is_assignee(subtask, user_id=None):
    """Is the current user (or ``user_id``) the sub-task's expert or in its unit?"""
    user_id = user_id or _current_user_id()
    if not user_id:
        return False
    if subtask["assignee_kind"] == "user":
        return subtask["assignee"] == user_id
    user = api.user.get(userid=user_id)
    return user is not None and subtask["assignee"] in (user.getGroups() or ())


def may_complete(request, subtask):
    if subtask["state"] != OPEN:
        return False
    if api.user.has_permission(WORK, obj=request):
        return True
    return is_assignee(subtask) and api.user.has_permission("View", obj=request)


def may_cancel(request, subtask):
    return subtask["state"] == OPEN and api.user.has_permission(WORK, obj=request)


def recipients(subtask):
    """Who is told of a sub-task: its expert, or the members of its unit."""
    if subtask["assignee_kind"] == "user":
        return [subtask["assignee"]]
    return [u.getId() for u in api.user.get_users(groupname=subtask["assignee"])]


# -- local roles ----------------------------------------------------------------------------


def _keeps_role(request, principal):
    """Does ``principal`` handle the request for another reason than a closed sub-task?"""
    if principal in (request.referred_unit, request.referred_expert):
        return True
    return any(s["assignee"] == principal for s in subtasks(request) if s["state"] == OPEN)


def restore_roles(request):
    """Give the assignees of open sub-tasks their role again (e.g. after a new referral,
    which releases every handler)."""
    for subtask in subtasks(request):
        if subtask["state"] == OPEN:
            grant_handler(request, subtask["assignee"])
    roles_changed(request)


# -- changing -------------------------------------------------------------------------------


def add_subtask(request, title, assignee, required=True, note=""):
    """A sub-task for an expert or a unit; returns its id. Needs WORK on the request."""
    require(WORK, request)
    if records.state(request) not in ACTIVE_STATES:
        raise InputError(
            "subtask", _("Sub-tasks can only be added while the request is being handled.")
        )
    title = " ".join((title or "").split())[:TITLE_LENGTH]
    if not title:
        raise InputError("title", _("Give the sub-task a title."))
    assignee = (assignee or "").strip()
    kind, assignee_title = assignee_info(assignee)
    note = (note or "").strip()[:TEXT_LENGTH]
    actor_id, actor_name = actor()
    subtask_id = uuid.uuid4().hex[:12]
    _storage(request, create=True)[subtask_id] = {
        "id": subtask_id,
        "title": title,
        "assignee": assignee,
        "assignee_kind": kind,
        "assignee_title": assignee_title,
        "required": bool(required),
        "note": note,
        "state": OPEN,
        "created": DateTime(),
        "created_by": actor_id,
        "created_by_name": actor_name,
        "closed": None,
        "closed_by": "",
        "closed_by_name": "",
        "closing_text": "",
    }
    grant_handler(request, assignee)
    roles_changed(request)
    # The assignee is told by email (notifications react to the entry).
    log_event(
        request,
        "subtask_added",
        public=False,
        text=note,
        subtask=subtask_id,
        subtask_title=title,
        assignee=assignee,
        assignee_title=assignee_title,
        assignee_kind=kind,
        required=bool(required),
    )
    return subtask_id


def _close(request, subtask_id, new_state, text, event):
    store = _storage(request)
    subtask = dict(store[subtask_id])
    actor_id, actor_name = actor()
    subtask.update(
        state=new_state,
        closed=DateTime(),
        closed_by=actor_id,
        closed_by_name=actor_name,
        closing_text=text,
    )
    store[subtask_id] = subtask  # a new dict: the mapping sees the change
    if not _keeps_role(request, subtask["assignee"]):
        revoke_handler(request, subtask["assignee"])
        roles_changed(request)
    log_event(
        request,
        event,
        public=False,
        text=text,
        subtask=subtask_id,
        subtask_title=subtask["title"],
        assignee=subtask["assignee"],
        assignee_title=subtask["assignee_title"],
    )


def complete(request, subtask_id, text=""):
    """The assignee (the expert, or a member of the unit) or anyone with WORK marks it done."""
    subtask = get(request, subtask_id)
    if not (
        api.user.has_permission(WORK, obj=request)
        or (is_assignee(subtask) and api.user.has_permission("View", obj=request))
    ):
        raise Unauthorized(f"complete sub-task on {request.getId()}")
    if subtask["state"] != OPEN:
        raise InputError("subtask", _("This sub-task is already finished."))
    _close(request, subtask["id"], DONE, (text or "").strip()[:TEXT_LENGTH], "subtask_done")


def cancel(request, subtask_id, text=""):
    """Those working the request call a sub-task off."""
    require(WORK, request)
    subtask = get(request, subtask_id)
    if subtask["state"] != OPEN:
        raise InputError("subtask", _("This sub-task is already finished."))
    _close(
        request, subtask["id"], CANCELLED, (text or "").strip()[:TEXT_LENGTH], "subtask_cancelled"
    )


def cancel_all(request, text=""):
    """Call off every open sub-task (the request leaves the desk, e.g. merged); no
    permission check of its own: the caller's action has checked."""
    for subtask in subtasks(request):
        if subtask["state"] == OPEN:
            _close(request, subtask["id"], CANCELLED, text, "subtask_cancelled")


# -- resolving ------------------------------------------------------------------------------


def _titles(items):
    language = (api.portal.get_current_language() or "fa").split("-")[0]
    return ("، " if language == "fa" else ", ").join(
        f"«{s['title']}»" if language == "fa" else f'"{s["title"]}"' for s in items
    )


def blocking_message(pending):
    """Why open required sub-tasks stop the request from being resolved."""
    return _(
        "These required sub-tasks are still open: ${subtasks}. Finish or cancel them first.",
        mapping={"subtasks": _titles(pending)},
    )


def override_needed(request, override=False, reason=""):
    """Check that the request may be resolved; returns the open required sub-tasks a
    supervisor overrides ([] when none block). Changes nothing.

    Raises ``InputError("subtasks", …)`` naming them, unless ``override`` is true, the
    current user holds ``OVERRIDE`` (supervisors) and gives a ``reason``. Optional
    sub-tasks never block.
    """
    pending = open_required(request)
    if not pending:
        return []
    if not override:
        raise InputError("subtasks", blocking_message(pending))
    require(WORK, request)
    if not api.user.has_permission(OVERRIDE, obj=request):
        raise InputError(
            "subtasks",
            _(
                "These required sub-tasks are still open: ${subtasks}. Only a supervisor may "
                "resolve the request before they are finished.",
                mapping={"subtasks": _titles(pending)},
            ),
        )
    if not (reason or "").strip():
        raise InputError("reason", _("Give the reason for resolving with open sub-tasks."))
    return pending


def record_override(request, pending, reason):
    """The override on the timeline, just before the resolve transition (whose guard in
    ``workflows/guards.py`` looks for it)."""
    log_event(
        request,
        "subtasks_overridden",
        public=False,
        text=(reason or "").strip()[:TEXT_LENGTH],
        subtasks=[s["id"] for s in pending],
        subtask_titles=[s["title"] for s in pending],
    )


def check_resolvable(request, override=False, reason=""):
    """Check, and write a supervisor's override on the timeline (see ``override_needed``)."""
    pending = override_needed(request, override, reason)
    if pending:
        record_override(request, pending, reason)
