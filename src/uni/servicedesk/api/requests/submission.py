"""Submission: check everything a channel received, then create the request.

Every channel (the request form, EasyForm forms, REST, later email and SMS) ends in
``submit``; nothing is created when anything is wrong.
"""

from AccessControl import Unauthorized
from plone import api
from plone.dexterity.utils import createContent
from uni.servicedesk import _
from uni.servicedesk.api import throttle
from uni.servicedesk.api import tracking
from uni.servicedesk.api import validation
from uni.servicedesk.api.requests.records import KINDS
from uni.servicedesk.api.requests.records import attach
from uni.servicedesk.api.requests.records import current_user
from uni.servicedesk.api.requests.records import requests_folder
from uni.servicedesk.api.requests.records import roles_changed
from uni.servicedesk.api.requests.timeline import log_event
from uni.servicedesk.api.services import request_availability
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.content.behaviors import IRequestAvailability
from uni.servicedesk.content.service_request import KINDS_FOR_A_SERVICE
from uni.servicedesk.content.service_request import KINDS_OF_FEEDBACK
from uni.servicedesk.localization import normalize_digits
from uni.servicedesk.vocabularies import ORG_UNIT_PREFIX
from zope.event import notify
from zope.lifecycleevent import ObjectAddedEvent


class SubmissionError(ValueError):
    """The submission was refused; ``errors`` maps each bad field to a message.

    ``too_many``: refused by a limit on anonymous creations (REST answers 429)."""

    def __init__(self, errors, too_many=False):
        super().__init__(errors)
        self.errors = errors
        self.too_many = too_many


TOO_MANY = {
    "client": _(
        "Too many requests and bookings were sent from your connection in the last "
        "hour. Please try again later."
    ),
    "person": _(
        "Too many requests and bookings were sent with this mobile, national code or "
        "email in the last hour. Please try again later."
    ),
}


def check_creation_limits(user, applicant):
    """Refuse an anonymous creation over the hourly limits (``throttle``): per client
    address and per mobile, national code and email. Every channel of requests and
    bookings calls this before making anything, and ``count_creation`` after."""
    if user is not None:
        return
    refused = throttle.creation_refused(throttle.client_address(), applicant)
    if refused:
        raise SubmissionError({"form": TOO_MANY[refused]}, too_many=True)


def count_creation(user, applicant):
    """Count an anonymous creation, in the transaction that made it."""
    if user is None:
        throttle.creation_made(throttle.client_address(), applicant)


def check_applicant(data, errors, kind, user):
    """The applicant's contact details (``IApplicantContact``: a request's and a booking's),
    checked and normalised; each problem goes into ``errors``."""
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
            "applicant_mobile",
            _("Give a mobile number or an email address to follow your request."),
        )
    return applicant


def check_notify_channels(data, errors):
    """How a request's applicant wants to be told (email, SMS), each with its address."""
    channels = [c for c in (data.get("notify_channels") or []) if c in ("email", "sms")]
    if "email" in channels and not data.get("applicant_email"):
        errors.setdefault("applicant_email", _("Give an email address to be notified by email."))
    if "sms" in channels and not data.get("applicant_mobile"):
        errors.setdefault("applicant_mobile", _("Give a mobile number to be notified by SMS."))
    return channels


def checked_documents(service, kind, documents, extra_documents, form_files, errors):
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
            errors[f"document-{index}"] = _(
                "Please attach: ${document}", mapping={"document": label}
            )
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
    settings = IRequestAvailability(service, None)
    return settings is not None and bool(settings.allow_anonymous)


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


def submit(
    data,
    service=None,
    documents=None,
    extra_documents=None,
    channel="web",
    form_answers=None,
    form_files=None,
):
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
    elif (
        user is None
        and kind in KINDS_OF_FEEDBACK
        and not api.portal.get_registry_record("uni.servicedesk.anonymous_feedback", default=True)
    ):
        errors["kind"] = _("Log in to send this.")
    target_unit = (data.get("target_unit") or "").strip()
    if target_unit and (
        not target_unit.startswith(ORG_UNIT_PREFIX) or api.group.get(groupname=target_unit) is None
    ):
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
    applicant["notify_channels"] = check_notify_channels(data, errors)
    uploads = checked_documents(service, kind, documents, extra_documents, form_files, errors)
    if errors:
        raise SubmissionError(errors)
    check_creation_limits(user, applicant)
    request = create(
        kind,
        service,
        target_unit,
        subject,
        body,
        priority,
        applicant,
        uploads,
        channel,
        user,
        form_answers,
    )
    count_creation(user, applicant)
    return request


def create(
    kind,
    service,
    target_unit,
    subject,
    body,
    priority,
    applicant,
    uploads,
    channel,
    user,
    form_answers=None,
):
    folder = requests_folder()
    code = tracking.new_code(exists=lambda c: c in folder or tracking.code_in_use(c))
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
    notify(ObjectAddedEvent(request, folder, code))  # the SLA clock starts (api/sla)
    set_applicant_roles(request, user)
    for label, filename, payload in uploads:
        attach(request, "applicant", filename, payload, label)
    log_event(request, "submitted", public=True, text=body if kind in KINDS_OF_FEEDBACK else "")
    request.reindexObject()
    return request


def set_applicant_roles(request, user):
    """Only the applicant owns a request (anonymous applicants reach it by tracking)."""
    owners = [principal for principal, roles in request.get_local_roles() if "Owner" in roles]
    if owners:
        request.manage_delLocalRoles(owners)
    if user is not None:
        request.manage_setLocalRoles(user.getId(), ["Owner"])
        request.changeOwnership(user.getUser() if hasattr(user, "getUser") else user)
        request.creators = (user.getId(),)
    else:
        request.creators = ()
    roles_changed(request)
