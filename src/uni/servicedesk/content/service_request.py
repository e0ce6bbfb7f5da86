"""A request, complaint, suggestion, question… with its tracking code and timeline."""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from DateTime import DateTime
from plone import api
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.supermodel import model
from uni.servicedesk import _
from zope import schema
from zope.interface import implementer

KINDS_FOR_A_SERVICE = ("request", "support", "incident")
KINDS_OF_FEEDBACK = ("complaint", "suggestion", "criticism", "question", "appreciation")
INTERNAL_PERMISSION = "uni.servicedesk.ViewInternalNotes"


class IServiceRequest(model.Schema):
    """What the applicant sent and how the desk is handling it.

    Changed only through ``uni.servicedesk.api.requests``: no edit form, no PATCH.
    """

    tracking_code = schema.TextLine(title=_("Tracking code"), readonly=True)
    kind = schema.Choice(title=_("Kind"), vocabulary="uni.servicedesk.RequestKinds")
    service_uid = schema.TextLine(title=_("Service"), required=False)
    target_unit = schema.TextLine(title=_("Unit concerned"), required=False)
    subject = schema.TextLine(title=_("Subject"))
    body = schema.Text(title=_("Description"), required=False)
    channel = schema.Choice(
        title=_("Channel"), vocabulary="uni.servicedesk.RequestChannels", default="web"
    )
    priority = schema.Choice(
        title=_("Priority"), vocabulary="uni.servicedesk.Priorities", default="normal"
    )
    # The applicant's name, codes, email and mobile: the applicant contact behavior
    # (behaviors.py), shared with bookings.
    applicant_user = schema.TextLine(title=_("User id"), required=False)
    notify_channels = schema.List(
        title=_("Notify me by"),
        value_type=schema.Choice(vocabulary="uni.servicedesk.NotifyChannels"),
        required=False,
        default=[],
    )
    referred_unit = schema.TextLine(title=_("Referred to unit"), required=False)
    referred_expert = schema.TextLine(title=_("Referred to expert"), required=False)
    due_date = schema.Datetime(title=_("Due date"), required=False)
    form_answers = schema.List(
        title=_("Form answers"),
        description=_("The other answers of the form the request came through: (label, value)."),
        value_type=schema.Tuple(),
        required=False,
        readonly=True,
    )
    directives.read_permission(tracking_secret="cmf.ManagePortal")
    tracking_secret = schema.TextLine(title=_("Tracking link secret"), required=False)


@implementer(IServiceRequest)
class ServiceRequest(Item):
    """Timeline and attachments are kept on the object, not as child content."""

    security = ClassSecurityInfo()
    requested_documents = ()
    resolved_at = None
    form_answers = ()
    # SLA (api/sla.py): "on_time" | "at_risk" | "overdue" | "paused" | "met" | "missed";
    # escalation level 0 (with its expert or unit) to 3 (management).
    sla_state = "on_time"
    escalation_level = 0
    sla_risk_at = None
    first_response_due = None
    first_response_at = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeline = PersistentList()
        self.attachments = PersistentMapping()

    def Subject(self):
        """No Dublin Core keywords. Our ``subject`` field (the subject line) is stored
        where Dublin Core keeps keywords: without this every character of it would be a
        keyword — in the catalog's Subject index and the keywords viewlet."""
        return ()

    @security.protected("Modify portal content")
    def addCreator(self, creator=None):
        """The applicant is the request's only creator, whoever works on it.

        Dexterity adds the current user as creator whenever an item without creators is
        reindexed (``notifyModified``): on an anonymous request, the first supervisor or
        expert to act (or anyone whose refused ``@workflow`` call reindexed it) would
        become its author — in the catalog's ``Creator`` and in the byline. Every door
        reindexes, so the rule is kept here: only the logged-in applicant is ever added.
        """
        applicant = getattr(self, "applicant_user", None)
        if applicant and not self.listCreators():
            self.creators = (applicant,)

    @security.public
    def reopen_allowed(self, today=None):
        """Resolved requests may be reopened by the applicant for a set number of days
        (also the workflow's guard of the reopen transition)."""
        if api.content.get_state(self) != "resolved" or self.resolved_at is None:
            return False
        days = api.portal.get_registry_record("uni.servicedesk.reopen_days", default=14)
        return ((today or DateTime()) - self.resolved_at) <= days


InitializeClass(ServiceRequest)
