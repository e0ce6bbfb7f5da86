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
