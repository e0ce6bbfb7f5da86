"""Marker interfaces and the settings schema kept in plone.registry."""
from uni.servicedesk import _
from uni.servicedesk.vocabularies import parse_entry
from zope import schema
from zope.interface import Interface
from zope.schema.interfaces import ValidationError
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IUniServicedeskLayer(IDefaultBrowserLayer):
    """Browser layer: our views and resources exist only where the add-on is installed."""


class InvalidEntry(ValidationError):
    __doc__ = _(
        "Write each line as token|Persian title|English title; the token uses only "
        "a-z, 0-9, _ and -."
    )


def valid_entries(lines):
    for line in lines or ():
        if parse_entry(line) is None:
            raise InvalidEntry(line)
    return True


class IServicedeskSettings(Interface):
    """The editable vocabularies of the service catalog.

    One entry per line: ``token|Persian title|English title``. The token is stored on
    services and in the catalog, so keep it once services use it; titles may change.
    """

    categories = schema.List(
        title=_("Service categories"),
        description=_(
            "One category per line: token|Persian title|English title, "
            "for example: education|آموزشی|Education"
        ),
        value_type=schema.TextLine(),
        constraint=valid_entries,
        required=False,
        default=[],
    )

    audiences = schema.List(
        title=_("Audiences"),
        description=_(
            "One audience per line: token|Persian title|English title. A logged-in "
            "visitor belongs to an audience when they are a member of the group whose id "
            "is the token; the token 'public' means everyone, anonymous visitors included."
        ),
        value_type=schema.TextLine(),
        constraint=valid_entries,
        required=False,
        default=[],
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
    anonymous_feedback = schema.Bool(
        title=_("Anonymous complaints, suggestions and questions"),
        description=_("Visitors who are not logged in may send them."),
        default=True,
        required=False,
    )
    default_duration_days = schema.Int(
        title=_("Due in (business days) when the service sets no duration"),
        min=1, default=5, required=True,
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
    They are kept in the site's annotations (``api.delivery.set_secret``).
    """

    sms_gateway = schema.Choice(
        title=_("SMS gateway"),
        description=_("Log only (development), a generic HTTP provider, or Kavenegar."),
        vocabulary="uni.servicedesk.SMSGateways",
        default="log",
        required=True,
    )
    sender = schema.TextLine(
        title=_("SMS sender number"), description=_("The line the provider gave you."),
        required=False, default="",
    )
    kavenegar_url = schema.TextLine(
        title=_("Kavenegar API address"), default="https://api.kavenegar.com/v1", required=False,
    )
    http_url = schema.TextLine(
        title=_("HTTP provider: address"),
        description=_("May contain ${to}, ${text}, ${sender}, ${message_id}, ${secret}."),
        required=False, default="",
    )
    http_method = schema.Choice(
        title=_("HTTP provider: method"), values=("GET", "POST"), default="POST", required=True,
    )
    http_body = schema.Choice(
        title=_("HTTP provider: body of a POST"), values=("form", "json"), default="form",
        required=True,
    )
    http_parameters = schema.List(
        title=_("HTTP provider: parameters"),
        description=_("One name=value per line, e.g. to=${to} and text=${text}."),
        value_type=schema.TextLine(), required=False, default=[],
    )
    http_headers = schema.List(
        title=_("HTTP provider: headers"),
        description=_("One Name: value per line; ${secret} is the secret below."),
        value_type=schema.TextLine(), required=False, default=[],
    )
    http_auth = schema.Choice(
        title=_("HTTP provider: authentication"), values=("none", "basic", "bearer"),
        default="none", required=True,
    )
    http_username = schema.TextLine(title=_("HTTP provider: user name"), required=False, default="")
    http_success_status = schema.TextLine(
        title=_("HTTP provider: success status codes"), description=_("e.g. 200-299 or 200,201"),
        required=False, default="200-299",
    )
    http_success_text = schema.TextLine(
        title=_("HTTP provider: success text"),
        description=_("A regular expression the answer must match to count as sent (optional)."),
        required=False, default="",
    )
    timeout = schema.Int(
        title=_("Seconds to wait for the SMS provider"), min=1, max=120, default=10, required=True,
    )
    max_attempts = schema.Int(
        title=_("Attempts before a message is a dead letter"), min=1, max=30, default=6,
        required=True,
    )
    retry_seconds = schema.Int(
        title=_("Seconds before the first retry"),
        description=_("Doubled after each failed attempt."),
        min=1, max=86400, default=60, required=True,
    )
    digest_hour = schema.Int(
        title=_("Hour of the staff's daily digest"), min=0, max=23, default=7, required=True,
    )
    sms_max_parts = schema.Int(
        title=_("Most SMS parts a template may take"),
        description=_("The template editor warns above this (a Persian part is 70 letters)."),
        min=1, max=10, default=2, required=True,
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
