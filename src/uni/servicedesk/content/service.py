"""The service identity card (شناسنامه خدمت), after the Iranian standard."""

from plone.app.textfield import RichText
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from uni.servicedesk import _
from uni.servicedesk.content.fields import LocalizedInt
from uni.servicedesk.content.fields import ServiceCodeField
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.interface import implementer

STEP_SEPARATOR = "|"


class IService(model.Schema):
    """A service the university offers, with everything an applicant needs to know."""

    service_code = ServiceCodeField(
        title=_("Service code"),
        description=_("Unique code of the service, for example EDU-101."),
        required=True,
    )
    title_en = schema.TextLine(title=_("English title"), required=False)
    description_en = schema.Text(title=_("English summary"), required=False)
    process_title = schema.TextLine(
        title=_("Process title"),
        description=_("The name of the process that delivers this service."),
        required=False,
    )
    service_type = schema.Choice(
        title=_("Service type"),
        vocabulary="uni.servicedesk.ServiceTypes",
        default="g2c",
        required=True,
    )
    service_category = schema.Choice(
        title=_("Category"),
        vocabulary="uni.servicedesk.Categories",
        required=True,
    )
    directives.widget("service_audiences", CheckBoxFieldWidget)
    service_audiences = schema.List(
        title=_("Audiences"),
        description=_("Who this service is for; used to browse the catalog by audience."),
        value_type=schema.Choice(vocabulary="uni.servicedesk.Audiences"),
        required=False,
        default=[],
    )
    start_trigger = schema.Choice(
        title=_("How the service starts"),
        vocabulary="uni.servicedesk.StartTriggers",
        default="applicant_request",
        required=False,
    )
    procedure = RichText(title=_("Procedure"), required=False)

    model.fieldset(
        "steps",
        label=_("Steps and documents"),
        fields=["steps", "required_documents", "rules"],
    )
    steps = schema.List(
        title=_("Workflow steps"),
        description=_("One step per line, in order: step title | who acts."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    required_documents = schema.List(
        title=_("Required documents"),
        description=_("One document per line."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    rules = RichText(title=_("Rules and regulations"), required=False)

    model.fieldset(
        "delivery",
        label=_("Duration, fee and delivery"),
        fields=[
            "duration_average",
            "duration_max",
            "fee",
            "fee_payment",
            "frequency",
            "in_person_visits",
            "channels",
            "delivery",
        ],
    )
    duration_average = LocalizedInt(
        title=_("Average duration (business days)"), min=0, required=False
    )
    duration_max = LocalizedInt(
        title=_("Maximum duration (business days)"),
        description=_("Drives the due date of requests."),
        min=0,
        required=False,
    )
    fee = LocalizedInt(
        title=_("Fee (rials)"),
        description=_("0 when the service is free."),
        min=0,
        default=0,
        required=False,
    )
    fee_payment = schema.Text(title=_("How to pay"), required=False)
    frequency = schema.Choice(
        title=_("Frequency"), vocabulary="uni.servicedesk.Frequencies", required=False
    )
    in_person_visits = LocalizedInt(
        title=_("In-person visits needed"), min=0, default=0, required=False
    )
    directives.widget("channels", CheckBoxFieldWidget)
    channels = schema.List(
        title=_("Channels"),
        value_type=schema.Choice(vocabulary="uni.servicedesk.Channels"),
        required=False,
        default=[],
    )
    delivery = schema.Choice(
        title=_("Delivery of the result"),
        vocabulary="uni.servicedesk.Delivery",
        required=False,
    )

    model.fieldset(
        "responsibility",
        label=_("Responsibility and contact"),
        fields=[
            "responsible_unit",
            "responsible_person",
            "complaint_procedure",
            "contact",
            "location",
            "hours",
        ],
    )
    responsible_unit = schema.Choice(
        title=_("Responsible unit"), vocabulary="uni.servicedesk.OrgUnits", required=False
    )
    responsible_person = schema.TextLine(title=_("Responsible person"), required=False)
    complaint_procedure = schema.Text(title=_("Complaint and follow-up procedure"), required=False)
    contact = schema.Text(title=_("Contact"), required=False)
    location = schema.TextLine(title=_("In-person location"), required=False)
    hours = schema.TextLine(title=_("Opening hours"), required=False)

    # The rest of this fieldset is the request availability behavior (behaviors.py).
    model.fieldset("availability", label=_("Availability"), fields=["request_form"])
    directives.order_after(request_form="IRequestAvailability.allow_anonymous")
    request_form = schema.Choice(
        title=_("Request form"),
        description=_(
            "A form built for this service (with a “Create service request” action): "
            "“Request this service” opens it instead of the standard form."
        ),
        vocabulary="uni.servicedesk.RequestForms",
        required=False,
    )


def parse_step(line):
    """``title | who acts`` -> (title, actor)."""
    title, _sep, actor = (line or "").partition(STEP_SEPARATOR)
    return title.strip(), actor.strip()


@implementer(IService)
class Service(Container):
    """A service identity card; contains its FAQ items and attachments."""

    def parsed_steps(self):
        return [parse_step(line) for line in (self.steps or []) if line.strip()]
