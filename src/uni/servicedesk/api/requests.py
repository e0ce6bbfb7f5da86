"""The life of a request: submit, refer, work, reply, ask for documents, deliver, close.

Every channel calls these functions. Each checks who may do it (Zope permissions on the
request, or a verified tracking code for an anonymous applicant), validates its input
completely before changing anything, and writes its step on the timeline.
"""
from AccessControl import Unauthorized
from DateTime import DateTime
from plone import api
from plone.dexterity.utils import createContent
from plone.namedfile.file import NamedBlobFile
from uni.servicedesk import _
from uni.servicedesk.api import notify as notifications
from uni.servicedesk.api import sla
from uni.servicedesk.api import tracking
from uni.servicedesk.api import validation
from uni.servicedesk.api.services import request_availability
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.localization import normalize_digits
from uni.servicedesk.content.service_request import KINDS_FOR_A_SERVICE
from uni.servicedesk.content.service_request import KINDS_OF_FEEDBACK
from uni.servicedesk.vocabularies import ORG_UNIT_PREFIX
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.globalrequest import getRequest
from zope.lifecycleevent import ObjectAddedEvent

import contextlib
import uuid

REQUESTS_FOLDER_ID = "requests"
HANDLER_ROLE = "Request Handler"
REFER = "uni.servicedesk: Refer request"
WORK = "uni.servicedesk: Work on request"
AS_APPLICANT = "uni.servicedesk: Act as applicant"
INTERNAL = "uni.servicedesk: View internal notes"
ACTIVE_STATES = ("submitted", "assigned", "in_progress", "awaiting_applicant")
KINDS = KINDS_FOR_A_SERVICE + KINDS_OF_FEEDBACK


class SubmissionError(ValueError):
    """The submission was refused; ``errors`` maps each bad field to a message."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


# -- where requests live ---------------------------------------------------------------


def requests_folder():
    portal = api.portal.get()
    return portal[REQUESTS_FOLDER_ID]


def find_by_code(code):
    """The request with this tracking code, whoever asks (callers check access)."""
    code = tracking.normalize_code(code)
    if code is None:
        return None
    folder = requests_folder()
    return folder._getOb(code, None)


# -- submission ------------------------------------------------------------------------


def check_applicant(data, errors, kind, user):
    """The applicant's details, checked; each problem goes into ``errors``."""
    applicant = {
        "applicant_name": (data.get("applicant_name") or "").strip()[:200],
        "applicant_number": normalize_digits(data.get("applicant_number") or "").strip()[:40],
    }
    if not applicant["applicant_name"]:
        errors["applicant_name"] = _("Please give your name.")
    checks = (
        ("applicant_national_code", validation.national_code),
        ("applicant_email", validation.email),
        ("applicant_mobile", validation.mobile),
    )
    for field, check in checks:
        value = (data.get(field) or "").strip()
        applicant[field] = ""
        if value:
            try:
                applicant[field] = check(value, field)
            except InputError as error:
                errors[field] = error.message
    if kind == "request" and not data.get("applicant_national_code") and user is None:
        errors.setdefault("applicant_national_code", _("Please give your national code."))
    if not (data.get("applicant_email") or data.get("applicant_mobile")):
        # One of them verifies the applicant on the tracking page.
        errors.setdefault(
            "applicant_mobile", _("Give a mobile number or an email address to follow your request.")
        )
    channels = [c for c in (data.get("notify_channels") or []) if c in ("email", "sms")]
    if "email" in channels and not data.get("applicant_email"):
        errors.setdefault("applicant_email", _("Give an email address to be notified by email."))
    if "sms" in channels and not data.get("applicant_mobile"):
        errors.setdefault("applicant_mobile", _("Give a mobile number to be notified by SMS."))
    applicant["notify_channels"] = channels
    return applicant


def _documents(service, kind, documents, extra_documents, form_files, errors):
    """Validated uploads as (label, filename, data); a required slot left empty is an error.

    A form built by an editor (``form_files`` given) asks for its own files, with its own
    required fields: the service's document slots are not asked for again.
    """
    checked = []
    required = list(getattr(service, "required_documents", None) or []) if kind == "request" else []
    if form_files is not None:
        required = []
    for field, label, upload in form_files or ():
        try:
            filename, payload = validation.upload(upload, field)
        except InputError as error:
            errors[error.field] = error.message
            continue
        checked.append((label, filename, payload))
    documents = documents or {}
    for index, label in enumerate(required):
        upload = documents.get(index)
        if not upload or not getattr(upload, "filename", None):
            errors[f"document-{index}"] = _("Please attach: ${document}", mapping={"document": label})
            continue
        try:
            filename, payload = validation.upload(upload, f"document-{index}")
        except InputError as error:
            errors[error.field] = error.message
            continue
        checked.append((label, filename, payload))
    for upload in extra_documents or ():
        if not upload or not getattr(upload, "filename", None):
            continue
        try:
            filename, payload = validation.upload(upload, "extra_documents")
        except InputError as error:
            errors[error.field] = error.message
            continue
        checked.append(("", filename, payload))
    return checked


def anonymous_may_request(service):
    """Visitors who are not logged in may request ``service`` online only where it says so."""
    return bool(getattr(service, "allow_anonymous", False))


def account_details(user=None):
    """What the applicant's account says of them: filled in for a logged-in applicant."""
    user = user or current_user()
    if user is None:
        return {}
    return {
        "applicant_name": user.getProperty("fullname", "") or "",
        "applicant_email": user.getProperty("email", "") or "",
    }


def why_not_requestable(service, user):
    """Why ``user`` (None: a visitor not logged in) may not request ``service`` online
    now, or None when they may."""
    availability = request_availability(service, user=user)
    if not availability.allowed:
        return availability.reason
    if user is None and not anonymous_may_request(service):
        return _("Log in to request this service.")
    return None


def current_user():
    return None if api.user.is_anonymous() else api.user.get_current()


def submit(data, service=None, documents=None, extra_documents=None, channel="web",
           form_answers=None, form_files=None):
    """Check everything, then create the request; returns it.

    ``data``: kind, subject, body, priority, target_unit and the applicant's fields
    (applicant_name, applicant_national_code, applicant_number, applicant_email,
    applicant_mobile, notify_channels). ``documents`` maps the index of each of the
    service's required documents to an upload; ``extra_documents`` are more uploads.
    From a form built by an editor: ``form_answers``, (label, value) pairs kept on the
    request as they were answered, and ``form_files``, (field, label, upload) triples.
    Raises ``SubmissionError`` and creates nothing when anything is wrong.
    """
    errors = {}
    user = current_user()
    kind = data.get("kind") or ("request" if service is not None else "")
    if kind not in KINDS:
        errors["kind"] = _("Choose what you are sending.")
    if kind in KINDS_FOR_A_SERVICE and service is None:
        errors["service"] = _("Choose the service you are asking for.")
    if service is not None:
        if not api.user.has_permission("View", obj=service):
            raise Unauthorized("service not visible")
        if kind in KINDS_FOR_A_SERVICE:
            reason = why_not_requestable(service, user)
            if reason:
                errors["service"] = reason
    elif user is None and kind in KINDS_OF_FEEDBACK and not api.portal.get_registry_record(
        "uni.servicedesk.anonymous_feedback", default=True
    ):
        errors["kind"] = _("Log in to send this.")
    target_unit = (data.get("target_unit") or "").strip()
    if target_unit and (not target_unit.startswith(ORG_UNIT_PREFIX) or api.group.get(groupname=target_unit) is None):
        errors["target_unit"] = _("Choose a unit from the list.")
    subject = (data.get("subject") or "").strip()[:250]
    if not subject and service is not None:
        subject = service.Title()
    if not subject:
        errors["subject"] = _("Please give a subject.")
    body = (data.get("body") or "").strip()[:20000]
    if kind in KINDS_OF_FEEDBACK and not body:
        errors["body"] = _("Please write your message.")
    priority = data.get("priority") or "normal"
    if priority not in ("low", "normal", "high", "urgent"):
        errors["priority"] = _("Choose a priority from the list.")
    applicant = check_applicant(data, errors, kind, user)
    uploads = _documents(service, kind, documents, extra_documents, form_files, errors)
    if errors:
        raise SubmissionError(errors)
    return _create(kind, service, target_unit, subject, body, priority, applicant, uploads, channel,
                   user, form_answers)


def _create(kind, service, target_unit, subject, body, priority, applicant, uploads, channel, user,
            form_answers=None):
    folder = requests_folder()
    code = tracking.new_code(exists=lambda c: c in folder or _taken_elsewhere(c))
    request = createContent(
        "ServiceRequest",
        kind=kind,
        service_uid=service.UID() if service is not None else None,
        target_unit=target_unit or None,
        subject=subject,
        body=body,
        channel=channel,
        priority=priority,
        applicant_user=user.getId() if user is not None else None,
        tracking_secret=tracking.new_secret(),
        **applicant,
    )
    request.title = subject
    if service is not None:
        request.service_path = "/".join(service.getPhysicalPath())
    sla.start(request, service)  # due date and first-response target in business time
    # Notifications speak the language the applicant used to submit.
    request.notify_language = api.portal.get_current_language() or "fa"
    if form_answers:
        request.form_answers = tuple((str(label), value) for label, value in form_answers)
    request.tracking_code = code
    request.id = code
    # Our own id on an unordered BTree folder: no name chooser, no list of ids. The added
    # event is sent without the container-modified one: that would rewrite (and reindex)
    # the folder on every submission, a write conflict between concurrent submissions.
    folder._setObject(code, request, suppress_events=True)
    request = folder._getOb(code)
    notify(ObjectAddedEvent(request, folder, code))
    _set_applicant_roles(request, user)
    for label, filename, payload in uploads:
        _attach(request, "applicant", filename, payload, label)
    log_event(request, "submitted", public=True, text=body if kind in KINDS_OF_FEEDBACK else "")
    request.reindexObject()
    return request


def _taken_elsewhere(code):
    """A code in the catalog or given to an appointment: one tracking page finds either."""
    from uni.servicedesk.api import appointments

    return tracking.code_in_use(code) or appointments.find(code) is not None


def _reindex_security(request):
    """Reindex who may see the request. A request has no children, so this is CMF's
    reindexObjectSecurity without its path search: that search intersects the sets of
    every object under the site and under the requests folder, a cost that grows with
    the archive."""
    request.reindexObject(idxs=["allowedRolesAndUsers"])


def _forget_cached_local_roles():
    """borg.localrole caches roles per HTTP request: drop them after changing local roles."""
    http_request = getRequest()
    if http_request is None:
        return
    annotations = IAnnotations(http_request)
    for key in [k for k in annotations.keys() if str(k).startswith("borg.localrole")]:
        del annotations[key]


def _set_applicant_roles(request, user):
    """Only the applicant owns a request (anonymous applicants reach it by tracking)."""
    owners = [
        principal for principal, roles in request.get_local_roles() if "Owner" in roles
    ]
    if owners:
        request.manage_delLocalRoles(owners)
    if user is not None:
        request.manage_setLocalRoles(user.getId(), ["Owner"])
        request.changeOwnership(user.getUser() if hasattr(user, "getUser") else user)
        request.creators = (user.getId(),)
    else:
        request.creators = ()
    _forget_cached_local_roles()
    _reindex_security(request)


# -- the timeline ----------------------------------------------------------------------


def _actor():
    if api.user.is_anonymous():
        return "", ""
    user = api.user.get_current()
    return user.getId(), user.getProperty("fullname") or user.getId()


def log_event(request, event, public, text="", actor=None, **details):
    """One step on the timeline: who, when, what; ``public`` ones reach the applicant."""
    actor_id, actor_name = actor or _actor()
    entry = {
        "id": uuid.uuid4().hex[:12],
        "event": event,
        "when": DateTime(),
        "actor": actor_id,
        "actor_name": actor_name,
        "public": bool(public),
        "text": text or "",
    }
    entry.update(details)
    request.timeline.append(entry)
    sla.on_timeline(request, entry)  # the clock: pauses, first response, met or missed
    notifications.on_timeline(request, entry)  # queued in this transaction, sent after it
    return entry


def timeline(request, include_internal=None):
    """The entries the current user may see (internal notes only with the permission)."""
    if include_internal is None:
        include_internal = bool(api.user.has_permission(INTERNAL, obj=request))
    return [dict(e) for e in request.timeline if e["public"] or include_internal]


def _attach(request, kind, filename, payload, label=""):
    attachment_id = uuid.uuid4().hex[:12]
    request.attachments[attachment_id] = {
        "id": attachment_id,
        "kind": kind,  # applicant | result
        "label": label,
        "file": NamedBlobFile(data=payload, filename=filename),
        "when": DateTime(),
    }
    return attachment_id


def attachments(request, kind=None):
    items = sorted(request.attachments.values(), key=lambda a: a["when"])
    return [a for a in items if kind is None or a["kind"] == kind]


# -- permissions and transitions -------------------------------------------------------


def _require(permission, request):
    if not api.user.has_permission(permission, obj=request):
        raise Unauthorized(f"{permission} on {request.getId()}")


@contextlib.contextmanager
def as_applicant(request):
    """Act with the applicant's rights (after the tracking code and verifier matched)."""
    with api.env.adopt_roles(["Owner", "Authenticated"] if not api.user.is_anonymous() else ["Owner"]):
        yield


def _fire(request, transition, comment=""):
    """A workflow transition; the guard checks the current user's permission."""
    workflow = api.portal.get_tool("portal_workflow")
    available = [t["id"] for t in workflow.getTransitionsFor(request)]
    if transition not in available:
        raise Unauthorized(f"{transition} not available on {request.getId()}")
    workflow.doActionFor(request, transition, comment=comment)


def transition(request, name, comment=""):
    """Fire a workflow transition by name, under the rules of ``TRANSITION_RULES``."""
    rule = TRANSITION_RULES.get(name)
    if rule is not None:
        rule(request)
    _fire(request, name, comment)
    request.reindexObject()


def state(request):
    return api.content.get_state(request)


def reopen_allowed(request, today=None):
    """Resolved requests may be reopened by the applicant for a set number of days."""
    if state(request) != "resolved":
        return False
    days = api.portal.get_registry_record("uni.servicedesk.reopen_days", default=14)
    resolved = getattr(request, "resolved_at", None)
    if resolved is None:
        return False
    now = today or DateTime()
    return (now - resolved) <= days


def _check_reopen(request):
    if not reopen_allowed(request):
        raise InputError("reopen", _("This request can no longer be reopened; please send a new one."))


TRANSITION_RULES = {"reopen": _check_reopen}


# -- staff actions ---------------------------------------------------------------------


def _valid_expert(user_id):
    user = api.user.get(userid=user_id)
    if user is None or "Service Desk Agent" not in api.user.get_roles(user=user):
        raise InputError("expert", _("Choose an expert from the list."))
    return user


def _valid_unit(group_id):
    if not group_id.startswith(ORG_UNIT_PREFIX) or api.group.get(groupname=group_id) is None:
        raise InputError("unit", _("Choose a unit from the list."))
    return group_id


def refer(request, unit=None, expert=None, note=""):
    """Refer to a unit and/or an expert: they (and only they) get to work on it."""
    _require(REFER, request)
    if not unit and not expert:
        raise InputError("unit", _("Choose a unit or an expert."))
    unit = _valid_unit(unit) if unit else None
    expert_user = _valid_expert(expert) if expert else None
    release_handlers(request)
    for principal in filter(None, (unit, expert)):
        roles = set(dict(request.get_local_roles()).get(principal, ()))
        request.manage_setLocalRoles(principal, sorted(roles | {HANDLER_ROLE}))
    request.referred_unit = unit
    request.referred_expert = expert
    unit_title = api.group.get(groupname=unit).getProperty("title") if unit else ""
    expert_name = expert_user.getProperty("fullname") or expert if expert_user else ""
    # The applicant sees where it went; the note stays internal.
    log_event(request, "referred", public=True, unit=unit or "", unit_title=unit_title or "",
         expert=expert or "", expert_name=expert_name)
    if note:
        log_event(request, "note", public=False, text=note)
    from uni.servicedesk.api import subtasks

    subtasks.restore_roles(request)  # assignees of open sub-tasks keep working on it
    _forget_cached_local_roles()
    if state(request) == "submitted":
        _fire(request, "assign")
    _reindex_security(request)
    request.reindexObject()


def release_handlers(request):
    """Nobody handles the request any more (its unit and expert lose their local role)."""
    for principal, roles in list(request.get_local_roles()):
        if HANDLER_ROLE in roles:
            rest = [r for r in roles if r != HANDLER_ROLE]
            if rest:
                request.manage_setLocalRoles(principal, rest)
            else:
                request.manage_delLocalRoles([principal])
    request.referred_unit = None
    request.referred_expert = None
    _forget_cached_local_roles()
    _reindex_security(request)


def hand_back(request, note=""):
    """The expert or unit gives the request back to the supervisors, unassigned.

    The handlers are released by the transition's subscriber (workflows/timeline.py), so
    a hand-back through any channel does the same.
    """
    _require(REFER, request)
    _fire(request, "hand_back")  # the note is internal: not the public comment
    if note:
        log_event(request, "note", public=False, text=note)
    request.reindexObject()


def reply(request, text, uploads=()):
    """A public answer to the applicant (optionally with files)."""
    _require(WORK, request)
    text = (text or "").strip()
    if not text:
        raise InputError("text", _("Write the reply."))
    files = [validation.upload(u, "files") for u in uploads or () if getattr(u, "filename", None)]
    ids = [_attach(request, "result", name, payload) for name, payload in files]
    log_event(request, "reply", public=True, text=text, attachments=ids)
    if state(request) == "assigned":
        _fire(request, "start")
    request.reindexObject()


def note(request, text):
    """An internal note: never shown to the applicant."""
    _require(WORK, request)
    text = (text or "").strip()
    if not text:
        raise InputError("text", _("Write the note."))
    log_event(request, "note", public=False, text=text)


def request_documents(request, documents, text=""):
    """Ask the applicant for documents; the request waits for them."""
    _require(WORK, request)
    wanted = [d.strip() for d in documents or () if d and d.strip()]
    if not wanted:
        raise InputError("documents", _("Name at least one document."))
    if state(request) == "assigned":
        _fire(request, "start")
    request.requested_documents = wanted
    log_event(request, "documents_requested", public=True, text=text, documents=wanted)
    _fire(request, "ask_applicant")
    request.reindexObject()


def deliver(request, uploads, text=""):
    """Deliver the service's result electronically (files the applicant downloads)."""
    _require(WORK, request)
    files = [validation.upload(u, "files") for u in uploads or () if getattr(u, "filename", None)]
    if not files:
        raise InputError("files", _("Attach the result to deliver."))
    ids = [_attach(request, "result", name, payload) for name, payload in files]
    log_event(request, "delivered", public=True, text=text, attachments=ids)
    request.reindexObject()


def resolve(request, text="", override=False, reason=""):
    """Resolve; refused while required sub-tasks are open unless a supervisor overrides
    with a reason (recorded)."""
    _require(WORK, request)
    from uni.servicedesk.api import subtasks  # (it builds on this module)

    subtasks.check_resolvable(request, override, reason)
    if state(request) == "assigned":
        _fire(request, "start")
    _fire(request, "resolve", text)
    request.resolved_at = DateTime()
    request.reindexObject()


# -- applicant actions -----------------------------------------------------------------


def applicant_reply(request, text="", uploads=()):
    """The applicant answers (and/or sends documents); a waiting request resumes."""
    _require(AS_APPLICANT, request)
    text = (text or "").strip()
    files = [validation.upload(u, "files") for u in uploads or () if getattr(u, "filename", None)]
    if not text and not files:
        raise InputError("text", _("Write a message or attach a file."))
    ids = [_attach(request, "applicant", name, payload) for name, payload in files]
    log_event(request, "applicant_reply", public=True, text=text, attachments=ids,
         actor=_actor() if not api.user.is_anonymous() else ("", request.applicant_name))
    if files:
        request.requested_documents = []
    if state(request) == "awaiting_applicant":
        _fire(request, "applicant_responds")
    request.reindexObject()


def withdraw(request, reason=""):
    _require(AS_APPLICANT, request)
    _fire(request, "withdraw", reason)
    request.reindexObject()


def reopen(request, reason=""):
    _require(AS_APPLICANT, request)
    _check_reopen(request)
    _fire(request, "reopen", reason)
    request.reindexObject()


# -- what an applicant sees ------------------------------------------------------------


def verify(code, verifier, client=""):
    """The request for ``code`` if ``verifier`` (mobile, email or link secret) matches.

    Returns None for any mismatch, without saying which half was wrong; failures are
    throttled per client and per code.
    """
    return tracking.verify(code, verifier, find_by_code, client)


TooManyAttempts = tracking.TooManyAttempts


def tracking_url(request):
    portal_url = api.portal.get().absolute_url()
    return f"{portal_url}/@@track?code={request.tracking_code}&token={request.tracking_secret}"


def service_of(request):
    """The request's service: by the path kept at submission, else by UID in the catalog
    (a catalog search also runs the pending reindexing of the step in progress: a second
    indexing of the request within the step)."""
    if not request.service_uid:
        return None
    path = getattr(request, "service_path", None)
    if path:
        service = request.unrestrictedTraverse(path, None)
        if service is not None and getattr(service, "UID", lambda: None)() == request.service_uid:
            return service
    brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        UID=request.service_uid
    )
    return brains[0]._unrestrictedGetObject() if brains else None


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
        {"title": title, "actor": actor,
         "status": "done" if i < current else "current" if i == current else "todo"}
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
            {k: v for k, v in entry.items() if k in (
                "id", "event", "when", "actor_name", "text", "attachments", "documents",
                "unit_title", "from_state", "to_state")}
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
    from uni.servicedesk.api import relations

    data.update(relations.public_info(request))  # a merged duplicate: the main one's status
    return data


def attachment_info(attachment):
    return {
        "id": attachment["id"],
        "label": attachment["label"],
        "filename": attachment["file"].filename,
        "size": attachment["file"].getSize(),
        "when": attachment["when"],
    }


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
