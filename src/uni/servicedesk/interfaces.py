"""Marker interfaces and the settings schema kept in plone.registry."""

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from plone.schema import JSONField
from uni.servicedesk import _
from uni.servicedesk.api.sla import check_escalation
from uni.servicedesk.vocabularies import TOKEN_PATTERN
from uni.servicedesk.vocabularies import InvalidRows
from uni.servicedesk.vocabularies import check_entries
from zope import schema
from zope.interface import Interface
from zope.interface import Invalid
from zope.publisher.interfaces.browser import IDefaultBrowserLayer
from uni.servicedesk.working_time import parse_holidays
from uni.servicedesk.working_time import parse_hours

import json


class IUniServicedeskLayer(IDefaultBrowserLayer):
    """Browser layer: our views and resources exist only where the add-on is installed."""


# Rows with named columns, kept as JSON in the registry: plain lists and dicts, which
# survive any rename of our code; the JSON schema is checked on every write, the
# constraints (tokens once, units and people that exist) on input (forms, REST).
ENTRY_ROWS = json.dumps({
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "token": {"type": "string", "pattern": TOKEN_PATTERN.pattern},
            "title_fa": {"type": "string", "minLength": 1},
            "title_en": {"type": "string"},
        },
        "required": ["token", "title_fa"],
        "additionalProperties": False,
    },
})
_PEOPLE = {"type": "array", "items": {"type": "string", "minLength": 1}}
ESCALATION_ROWS = json.dumps({
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "unit": {"type": "string", "pattern": r"^(\*|unit-\S+)$"},
            "head": _PEOPLE,
            "supervisors": _PEOPLE,
            "managers": _PEOPLE,
        },
        "required": ["unit"],
        "additionalProperties": False,
    },
})


# Lines of the former pipe-separated settings that the upgrade to rows (profile version 1008)
# could not read, each as "<setting>: <line>"; the control panels show them until forgotten.
UNMIGRATED_RECORD = "uni.servicedesk.unmigrated_lines"


def rows_constraint(json_schema, check):
    """A field constraint: ``check`` (the domain's rules, translated messages) and then the
    JSON schema, both as ``InvalidRows`` that name the row (REST shows the message)."""
    validator = Draft7Validator(json.loads(json_schema))

    def constraint(rows):
        check(rows)
        error = best_match(validator.iter_errors(rows))
        if error is not None:
            path = list(error.absolute_path)
            if path and isinstance(path[0], int):
                raise InvalidRows(
                    _(
                        "Row ${row}: ${problem}",
                        mapping={"row": path[0] + 1, "problem": error.message},
                    )
                )
            raise InvalidRows(
                _("A list of rows is expected: ${problem}", mapping={"problem": error.message})
            )
        return True

    return constraint


def _entries(*rows):
    return [dict(zip(("token", "title_fa", "title_en"), row)) for row in rows]


class IServicedeskSettings(Interface):
    """The editable vocabularies of the service catalog, as rows.

    The token is stored on services and in the catalog, so keep it once services use it;
    titles may change.
    """

    service_categories = JSONField(
        title=_("Service categories"),
        description=_(
            "A token (a-z, 0-9, _ and -), a Persian title and an English title "
            "per category, for example: education, آموزشی, Education."
        ),
        schema=ENTRY_ROWS,
        constraint=rows_constraint(ENTRY_ROWS, check_entries),
        required=False,
        default=_entries(
            ("education", "آموزشی", "Education"),
            ("student_affairs", "امور دانشجویی", "Student affairs"),
            ("welfare", "رفاهی و خوابگاه", "Welfare and dormitory"),
            ("it", "فناوری اطلاعات", "Information technology"),
            ("finance", "مالی", "Finance"),
            ("research", "پژوهشی", "Research"),
        ),
    )

    service_audiences = JSONField(
        title=_("Audiences"),
        description=_(
            "A token, a Persian title and an English title per audience. A logged-in "
            "visitor belongs to an audience when they are a member of the group whose id "
            "is the token; the token 'public' means everyone, anonymous visitors included."
        ),
        schema=ENTRY_ROWS,
        constraint=rows_constraint(ENTRY_ROWS, check_entries),
        required=False,
        default=_entries(
            ("students", "دانشجویان", "Students"),
            ("staff", "کارکنان", "Staff"),
            ("faculty", "اعضای هیئت علمی", "Faculty"),
            ("alumni", "دانش‌آموختگان", "Alumni"),
            ("applicants", "متقاضیان پذیرش", "Applicants"),
            ("public", "عموم مردم", "The public"),
        ),
    )


class IRequestSettings(Interface):
    """Rules of requests that a manager may change."""

    max_upload_mb = schema.Int(
        title=_("Largest upload (MB)"), min=1, max=60, default=10, required=True
    )
    allowed_extensions = schema.List(
        title=_("File types accepted"),
        description=_("File name extensions, one per line."),
        value_type=schema.TextLine(),
        default=["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "zip"],
        required=True,
    )
    reopen_days = schema.Int(
        title=_("Days a resolved request may be reopened"), min=0, default=14, required=True
    )
    autoclose_days = schema.Int(
        title=_("Resolved requests close by themselves after (working days)"),
        description=_(
            "Counted on the working calendar from the day a request was resolved, "
            "if neither the applicant reopens it nor a supervisor closes it; 0: never."
        ),
        min=0,
        default=7,
        required=True,
    )
    anonymous_feedback = schema.Bool(
        title=_("Anonymous complaints, suggestions and questions"),
        description=_("Visitors who are not logged in may send them."),
        default=True,
        required=False,
    )
    default_duration_days = schema.Int(
        title=_("Due in (business days) when the service sets no duration"),
        min=1,
        default=5,
        required=True,
    )
    weekly_days_off = schema.List(
        title=_("Weekly days off"),
        description=_("Monday is 0; Friday, the default, is 4; add 3 for Thursday."),
        value_type=schema.Int(min=0, max=6),
        default=[4],
        required=False,
    )


class IServicedeskControlPanel(IServicedeskSettings, IRequestSettings):
    """Everything the service desk control panel edits (records named uni.servicedesk.*)."""


class INotificationSettings(Interface):
    """How notifications are sent (records named uni.servicedesk.notifications.*).

    Secrets (API keys, passwords) are not here: the registry can be read through REST.
    They are kept in the site's annotations (``api.notifications.delivery.set_secret``).
    """

    sms_gateway = schema.Choice(
        title=_("SMS gateway"),
        description=_("Log only (development), a generic HTTP provider, or Kavenegar."),
        vocabulary="uni.servicedesk.SMSGateways",
        default="log",
        required=True,
    )
    sender = schema.TextLine(
        title=_("SMS sender number"),
        description=_("The line the provider gave you."),
        required=False,
        default="",
    )
    kavenegar_url = schema.TextLine(
        title=_("Kavenegar API address"),
        default="https://api.kavenegar.com/v1",
        required=False,
    )
    http_url = schema.TextLine(
        title=_("HTTP provider: address"),
        description=_("May contain ${to}, ${text}, ${sender}, ${message_id}, ${secret}."),
        required=False,
        default="",
    )
    http_method = schema.Choice(
        title=_("HTTP provider: method"),
        values=("GET", "POST"),
        default="POST",
        required=True,
    )
    http_body = schema.Choice(
        title=_("HTTP provider: body of a POST"),
        values=("form", "json"),
        default="form",
        required=True,
    )
    http_parameters = schema.List(
        title=_("HTTP provider: parameters"),
        description=_("One name=value per line, e.g. to=${to} and text=${text}."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    http_headers = schema.List(
        title=_("HTTP provider: headers"),
        description=_("One Name: value per line; ${secret} is the secret below."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    http_auth = schema.Choice(
        title=_("HTTP provider: authentication"),
        values=("none", "basic", "bearer"),
        default="none",
        required=True,
    )
    http_username = schema.TextLine(title=_("HTTP provider: user name"), required=False, default="")
    http_success_status = schema.TextLine(
        title=_("HTTP provider: success status codes"),
        description=_("e.g. 200-299 or 200,201"),
        required=False,
        default="200-299",
    )
    http_success_text = schema.TextLine(
        title=_("HTTP provider: success text"),
        description=_("A regular expression the answer must match to count as sent (optional)."),
        required=False,
        default="",
    )
    timeout = schema.Int(
        title=_("Seconds to wait for the SMS provider"),
        min=1,
        max=120,
        default=10,
        required=True,
    )
    max_attempts = schema.Int(
        title=_("Attempts before a message is a dead letter"),
        min=1,
        max=30,
        default=6,
        required=True,
    )
    retry_seconds = schema.Int(
        title=_("Seconds before the first retry"),
        description=_("Doubled after each failed attempt."),
        min=1,
        max=86400,
        default=60,
        required=True,
    )
    digest_hour = schema.Int(
        title=_("Hour of the staff's daily digest"),
        min=0,
        max=23,
        default=7,
        required=True,
    )
    sms_max_parts = schema.Int(
        title=_("Most SMS parts a template may take"),
        description=_("The template editor warns above this (a Persian part is 70 letters)."),
        min=1,
        max=10,
        default=2,
        required=True,
    )


class INotificationTemplates(Interface):
    templates = schema.Dict(
        title=_("Notification texts changed by managers"),
        description=_("event/language/part -> text; the rest are the defaults."),
        key_type=schema.TextLine(),
        value_type=schema.Text(),
        required=False,
        default={},
    )


def _holiday_lines(value):
    try:
        parse_holidays(value or ())
    except ValueError as error:
        raise Invalid(
            _("This line is not a Jalali date or range: ${line}", mapping={"line": str(error)})
        )
    return True


def _working_hours(value):
    try:
        parse_hours(value or "")
    except ValueError:
        raise Invalid(_("Write the hours as 07:30-14:30, or 08:00-12:00 13:00-16:00."))
    return True


class ISLASettings(Interface):
    """The working calendar and service levels (records named uni.servicedesk.sla.*).

    The weekly days off are the request settings' ``weekly_days_off``.
    """

    working_hours = schema.TextLine(
        title=_("Working hours"),
        description=_("The same every working day, e.g. 07:30-14:30 or 08:00-12:00 13:00-16:00."),
        default="07:30-14:30",
        constraint=_working_hours,
        required=True,
    )
    official_holidays = schema.Bool(
        title=_("Observe Iran's official holidays"),
        description=_(
            "Due dates skip Iran's official holidays, the lunar ones included (kept "
            "up to date with the holidays library). The list below is for the "
            "university's own days."
        ),
        default=True,
        required=False,
    )
    holidays = schema.List(
        title=_("The university's own holidays"),
        description=_(
            "Jalali, one per line: 1405/01/01 a day, 1405/01/01-1405/01/04 a range, "
            "01/01 every year; a note may follow the date."
        ),
        value_type=schema.TextLine(),
        constraint=_holiday_lines,
        required=False,
        default=[],
    )
    first_response_hours = schema.Int(
        title=_("First answer within (working hours)"),
        description=_("0: no first-response target."),
        min=0,
        max=200,
        default=4,
        required=True,
    )
    risk_percent = schema.Int(
        title=_("At risk when less than this share of the time is left (%)"),
        min=0,
        max=90,
        default=25,
        required=True,
    )
    escalation_levels = JSONField(
        title=_("Escalation levels per unit"),
        description=_(
            "One row per unit: the unit's id (or * for every other unit), then who "
            "sits at each level: the unit head, the supervisors, the managers (user "
            "ids). Without a row: the supervisors, then the site administrators."
        ),
        schema=ESCALATION_ROWS,
        constraint=rows_constraint(ESCALATION_ROWS, check_escalation),
        required=False,
        default=[],
    )
    sweep_minutes = schema.Int(
        title=_("Check service levels every (minutes)"),
        min=1,
        max=1440,
        default=5,
        required=True,
    )


class IPrivacySettings(Interface):
    """Personal data (records named uni.servicedesk.privacy.*; set on the Personal data page)."""

    retention_years = schema.Int(
        title=_("Keep the personal data of ended requests for (years)"),
        description=_(
            "Closed, rejected and withdrawn requests are anonymised this many years "
            "after they ended; 0: kept for ever."
        ),
        min=0,
        max=100,
        default=0,
        required=True,
    )


# Plone's classic UI loads every script from the site (no inline code on our pages or on an
# editor's forms); its patterns compile templates with underscore's _.template (new
# Function), hence 'unsafe-eval'; TinyMCE and the toolbar set inline styles and use
# data:/blob: images.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


class ISecuritySettings(Interface):
    """Limits on what visitors do, and the page policy (records named
    uni.servicedesk.security.*). 0 turns a limit off."""

    lookup_failures_per_client = schema.Int(
        title=_("Wrong tracking look-ups per address"),
        description=_(
            "After this many wrong code and contact pairs in the window, the address "
            "must wait. The private link always works."
        ),
        min=0,
        max=1000,
        default=10,
        required=True,
    )
    lookup_failures_per_code = schema.Int(
        title=_("Wrong look-ups per tracking code"),
        description=_(
            "After this many, from any addresses, an address that failed three times "
            "on that code must wait; others with the right pair still get through."
        ),
        min=0,
        max=1000,
        default=10,
        required=True,
    )
    lookup_window_minutes = schema.Int(
        title=_("Look-up window (minutes)"),
        min=1,
        max=1440,
        default=15,
        required=True,
    )
    creations_per_client_per_hour = schema.Int(
        title=_("Requests and bookings per address per hour (visitors not logged in)"),
        min=0,
        max=10000,
        default=20,
        required=True,
    )
    creations_per_person_per_hour = schema.Int(
        title=_("Requests and bookings per mobile, national code or email per hour"),
        description=_("For visitors who are not logged in."),
        min=0,
        max=1000,
        default=5,
        required=True,
    )
    question_challenge = schema.Bool(
        title=_("Ask visitors a simple sum on forms"),
        description=_(
            "A question in the visitor's language, checked on the server; no outside service."
        ),
        default=False,
        required=False,
    )
    content_security_policy = schema.Text(
        title=_("Content-Security-Policy"),
        description=_("Sent with every page. Empty: none."),
        default=DEFAULT_CSP,
        required=False,
    )
