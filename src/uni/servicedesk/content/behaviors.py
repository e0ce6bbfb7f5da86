"""What several types share, each as one schema (as plone.app.contenttypes does).

Both are schema-only behaviors (behaviors.zcml): their fields are stored on the object
under their own names, so content made before its type had the behavior keeps its values.

- ``IRequestAvailability``: whether, when and by whom something may be asked for online —
  a service (requests) or an appointment calendar (bookings).
- ``IApplicantContact``: who is asking and how to reach them — a request (as a behavior)
  and a booking (a persistent record that implements it).
"""

from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.dexterity.interfaces import IDexterityFTI
from plone.dexterity.utils import resolveDottedName
from plone.supermodel import model
from uni.servicedesk import _
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from z3c.form.widget import ComputedWidgetAttribute
from zope import schema
from zope.component import queryUtility
from zope.interface import Invalid
from zope.interface import invariant
from zope.interface import provider


@provider(IFormFieldProvider)
class IRequestAvailability(model.Schema):
    """Switched on or off, open between two dates, for some audiences, to visitors or not.

    ``uni.servicedesk.api.services.request_availability`` is the rule that reads it.
    """

    model.fieldset(
        "availability",
        label=_("Availability"),
        fields=[
            "available",
            "available_from",
            "available_until",
            "request_audiences",
            "allow_anonymous",
        ],
    )
    available = schema.Bool(
        title=_("Offered"),
        description=_("Uncheck to stop taking requests."),
        default=True,
        required=False,
    )
    available_from = schema.Date(title=_("Requests open on"), required=False)
    available_until = schema.Date(title=_("Requests close after"), required=False)
    directives.widget("request_audiences", CheckBoxFieldWidget)
    request_audiences = schema.List(
        title=_("Who may request it"),
        description=_("Leave empty to let everyone request it."),
        value_type=schema.Choice(vocabulary="uni.servicedesk.Audiences"),
        required=False,
        default=[],
    )
    # A type may offer it to visitors by default: see type_default below.
    allow_anonymous = schema.Bool(
        title=_("Anonymous requests allowed"),
        description=_("Visitors who are not logged in may request it."),
        default=False,
        required=False,
    )

    @invariant
    def availability_dates_in_order(data):
        start = getattr(data, "available_from", None)
        end = getattr(data, "available_until", None)
        if start and end and end < start:
            raise Invalid(_("Requests cannot close before they open."))


@provider(IFormFieldProvider)
class IApplicantContact(model.Schema):
    """Who the applicant is and how to reach them.

    Checked on the way in by ``uni.servicedesk.api.requests.check_applicant``, for
    requests and bookings alike; the mobile or the email also verifies the applicant
    when they follow what they asked for by its tracking code.
    """

    applicant_name = schema.TextLine(title=_("Applicant"))
    applicant_national_code = schema.TextLine(title=_("National code"), required=False)
    applicant_number = schema.TextLine(title=_("Student or personnel number"), required=False)
    applicant_email = schema.TextLine(title=_("Email"), required=False)
    applicant_mobile = schema.TextLine(title=_("Mobile"), required=False)


def type_default(adapter):
    """The default an add form shows for a behavior field: the field's own, unless the
    class of the type being added says otherwise (an attribute of the field's name, which
    is also what content of that type reads before a value is stored)."""
    form = getattr(adapter.view, "parentForm", adapter.view)  # a fieldset is a group form
    fti = queryUtility(IDexterityFTI, name=getattr(form, "portal_type", None) or "")
    klass = resolveDottedName(fti.klass) if fti is not None and fti.klass else None
    return getattr(klass, adapter.field.__name__, adapter.field.default)


allow_anonymous_default = ComputedWidgetAttribute(
    type_default, field=IRequestAvailability["allow_anonymous"]
)
