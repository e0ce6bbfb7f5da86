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
