"""Requests through forms that editors build (collective.easyform).

The easyform action ("Create service request") is a thin adapter: it hands this module
the form's settings and answers, and this module turns them into one ``submit`` of the
requests API — the same validation, tracking code, workflow and timeline as every
other channel.
"""

from Acquisition import aq_chain
from Acquisition import aq_inner
from decimal import Decimal
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.services import find_service
from uni.servicedesk.api.validation import UploadedBytes
from uni.servicedesk.content.service import IService
from uni.servicedesk.content.service_request import KINDS_FOR_A_SERVICE
from uni.servicedesk.content.service_request import KINDS_OF_FEEDBACK

from zope.i18n import translate

import datetime
import logging

logger = logging.getLogger("uni.servicedesk.forms")

# Setting on the action -> the request's field it fills.
APPLICANT_MAPPINGS = (
    ("name_field", "applicant_name"),
    ("national_code_field", "applicant_national_code"),
    ("number_field", "applicant_number"),
    ("email_field", "applicant_email"),
    ("mobile_field", "applicant_mobile"),
)
TEXT_MAPPINGS = (("subject_field", "subject"), ("body_field", "body"))
MAPPINGS = APPLICANT_MAPPINGS + TEXT_MAPPINGS
FORM_PORTAL_TYPE = "EasyForm"


class FormField:
    """What this module needs to know of one field of a form."""

    def __init__(self, name, title, is_file=False):
        self.name = name
        self.title = title
        self.is_file = is_file


def request_form(service):
    """The form a service names for its requests, if the visitor may open it."""
    uid = getattr(service, "request_form", None)
    if not uid:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(UID=uid, portal_type=FORM_PORTAL_TYPE)
    if not brains:
        return None
    form = brains[0]._unrestrictedGetObject()
    return form if api.user.has_permission("View", obj=form) else None


def service_of_form(form):
    """The service a form belongs to: the one it sits in, else the one that names it."""
    for item in aq_chain(aq_inner(form)):
        if IService.providedBy(item):
            return item
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type="Service", request_form=form.UID())
    return brains[0]._unrestrictedGetObject() if brains else None


def service_for(settings, form):
    """The service requests from this form are for (None if it names none or is gone)."""
    code = getattr(settings, "service_code", None)
    if not code:
        return service_of_form(form)
    return find_service(code=code)


def why_not_open(settings, form):
    """Why the current visitor cannot send this form's request now (None if they can)."""
    kind = getattr(settings, "kind", None) or "request"
    if kind not in KINDS_FOR_A_SERVICE:
        return None
    service = service_for(settings, form)
    if service is None:
        return None  # a configuration problem, told to editors
    return desk_api.why_not_requestable(service, desk_api.current_user())


def configuration_problems(settings, form, fields):
    """What keeps this action from making complete requests, as messages for editors."""
    problems = []
    names = {field.name for field in fields}
    titles = dict([
        (setting, title)
        for setting, title in (
            ("name_field", _("name")),
            ("national_code_field", _("national code")),
            ("number_field", _("student or personnel number")),
            ("email_field", _("email")),
            ("mobile_field", _("mobile")),
            ("subject_field", _("subject")),
            ("body_field", _("description")),
        )
    ])
    for setting, _target in MAPPINGS:
        mapped = getattr(settings, setting, None)
        if mapped and mapped not in names:
            problems.append(
                _(
                    "The field “${field}” chosen for the applicant's ${what} is no longer in the form.",
                    mapping={"field": mapped, "what": titles[setting]},
                )
            )
    if not getattr(settings, "name_field", None):
        problems.append(_("Choose the form field that holds the applicant's name."))
    if not (getattr(settings, "email_field", None) or getattr(settings, "mobile_field", None)):
        problems.append(
            _(
                "Choose the form field that holds the applicant's email or mobile: "
                "applicants follow their requests with it."
            )
        )
    kind = getattr(settings, "kind", None) or "request"
    if kind in KINDS_OF_FEEDBACK and not getattr(settings, "body_field", None):
        problems.append(_("Choose the form field that holds the message."))
    if kind in KINDS_FOR_A_SERVICE:
        service = service_for(settings, form)
        if service is None:
            problems.append(
                _("Choose the service, or put the form in a service or name it on a service.")
            )
        elif (
            kind == "request"
            and desk_api.anonymous_may_request(service)
            and not getattr(settings, "national_code_field", None)
        ):
            problems.append(
                _(
                    "Choose the form field that holds the applicant's national code: visitors "
                    "who are not logged in must give it."
                )
            )
    return problems


def answer_value(value):
    """A form answer as kept on the request: text, a number, yes/no, a date or a list."""
    if isinstance(value, (str, bool, int, float, datetime.date)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "raw"):  # rich text
        return value.raw
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(str(item) for item in value)
    return str(value)


def is_empty(value):
    return (
        value is None
        or value == ""
        or (isinstance(value, (list, tuple, set, frozenset, dict)) and not value)
    )


def submit_form(settings, form, fields, values):
    """Create the request for one filled-in form; returns it.

    ``fields``: the form's fields (``FormField``) in order; ``values``: name -> answer.
    Raises ``desk_api.SubmissionError`` and creates nothing on error; its errors are keyed by
    the form's field names where a field of the form holds the value in question.
    """
    problems = configuration_problems(settings, form, fields)
    if problems:
        logger.error(
            "The form %s cannot create requests: %s",
            form.absolute_url(),
            "; ".join(translate(problem, target_language="en") for problem in problems),
        )
        raise desk_api.SubmissionError({
            "form": _(
                "This form cannot take requests at the moment; the site's editors have been "
                "told. Please try again later or use the other channels of the service."
            )
        })
    data = {"kind": getattr(settings, "kind", None) or "request"}
    mapped = {}
    for setting, target in MAPPINGS:
        name = getattr(settings, setting, None)
        if name:
            mapped[name] = target
            value = values.get(name)
            data[target] = "" if is_empty(value) else str(answer_value(value)).strip()
    for key, value in desk_api.account_details().items():  # what a logged-in applicant left out
        data[key] = data.get(key) or value
    data["notify_channels"] = [
        channel
        for channel, field in (("email", "applicant_email"), ("sms", "applicant_mobile"))
        if data.get(field)
    ]
    answers, files = [], []
    for field in fields:
        value = values.get(field.name)
        if field.name in mapped or is_empty(value):
            continue
        if field.is_file:
            files.append((field.name, field.title, UploadedBytes(value.data, value.filename or "")))
        else:
            answers.append((field.title, answer_value(value)))
    kind = data["kind"]
    service = service_for(settings, form) if kind in KINDS_FOR_A_SERVICE else None
    try:
        return desk_api.submit(
            data, service=service, channel="form", form_answers=answers, form_files=files
        )
    except desk_api.SubmissionError as error:
        field_of = {target: name for name, target in mapped.items()}
        errors = {field_of.get(key, key): message for key, message in error.errors.items()}
        raise desk_api.SubmissionError(errors, too_many=error.too_many) from None
