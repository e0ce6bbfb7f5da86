"""Schema fields that accept what Persian users type.

Both channels reach ``fromUnicode``: plone.restapi's deserializer calls it for strings,
and z3c.form's converters (browser/converters.py) do the same, so the digit rule lives
here once.
"""

from plone import api
from plone.uuid.interfaces import IUUID
from uni.servicedesk import _
from uni.servicedesk.localization import normalize_digits
from uni.servicedesk.localization import normalize_text
from zope import schema
from zope.interface import implementer
from zope.schema.interfaces import IInt
from zope.schema.interfaces import ITextLine
from zope.schema.interfaces import ValidationError

import re

SERVICE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")


class ILocalizedInt(IInt):
    """An integer field that accepts Persian and Arabic-Indic digits."""


class IServiceCodeField(ITextLine):
    """The unique service code."""


class InvalidNumber(ValidationError):
    __doc__ = _("Enter a whole number, in Persian or Latin digits.")


class InvalidServiceCode(ValidationError):
    __doc__ = _(
        "A service code is up to 32 Latin letters, digits, dots, dashes or "
        "underscores, for example EDU-101."
    )


class DuplicateServiceCode(ValidationError):
    __doc__ = _("Another service already uses this service code; service codes are unique.")


@implementer(ILocalizedInt)
class LocalizedInt(schema.Int):
    def fromUnicode(self, value):
        text = normalize_digits(value or "").strip().replace(",", "").replace("٬", "")
        if not text:
            return self.missing_value
        try:
            number = int(text)
        except ValueError:
            raise InvalidNumber(value).with_field_and_value(self, value) from None
        self.validate(number)
        return number


@implementer(IServiceCodeField)
class ServiceCodeField(schema.TextLine):
    """Normalised to upper-case ASCII; unique across the site (checked by the domain API)."""

    def fromUnicode(self, value):
        # Only the form of the code here: z3c.form converts with the unbound field, so
        # uniqueness (which needs to know which service is being edited) is left to
        # validate(), which both forms and the REST API call on the bound field.
        code = normalize_text(value or "").strip().upper()
        self._check_form(code)
        return code

    def _check_form(self, value):
        if not SERVICE_CODE_PATTERN.match(value or ""):
            raise InvalidServiceCode(value).with_field_and_value(self, value)

    def _validate(self, value):
        super()._validate(value)
        self._check_form(value)
        if service_code_in_use(value, exclude=self.context):
            raise DuplicateServiceCode(value).with_field_and_value(self, value)


def service_code_in_use(code, exclude=None):
    """True when a service other than ``exclude`` already has ``code``.

    Searched unrestricted: a private service's code is taken too.
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type="Service", service_code=code)
    own_uid = IUUID(exclude, None) if exclude is not None else None
    return any(own_uid != brain.UID for brain in brains)
