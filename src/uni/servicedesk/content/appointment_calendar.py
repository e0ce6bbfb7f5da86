"""An appointment calendar (نوبت‌دهی) of a service or an office: its hours, slots and bookings.

Bookings are kept on the calendar, not as content: one persistent ``Slot`` per time that
has bookings (two people taking its last seat write the same object, a conflict the
booking retries), and the bookings by tracking code.
"""

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from plone.dexterity.content import Item
from plone.supermodel import model
from uni.servicedesk import _
from uni.servicedesk.content.behaviors import IApplicantContact
from uni.servicedesk.content.fields import LocalizedInt
from uni.servicedesk.working_time import parse_holidays
from uni.servicedesk.working_time import parse_weekly_hours
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant

DEFAULT_HOURS = [
    "sat 08:00-12:00 13:00-15:00",
    "sun 08:00-12:00 13:00-15:00",
    "mon 08:00-12:00 13:00-15:00",
    "tue 08:00-12:00 13:00-15:00",
    "wed 08:00-12:00",
]


class IAppointmentCalendar(model.Schema):
    """When a service or office receives people, and how many at a time."""

    weekly_hours = schema.List(
        title=_("Weekly hours"),
        description=_(
            "One line per day: the day, then its periods, for example "
            "“sat 08:00-12:00 13:00-15:00” or “شنبه ۸:۰۰-۱۲:۰۰”."
        ),
        value_type=schema.TextLine(),
        default=list(DEFAULT_HOURS),
        required=True,
    )
    slot_minutes = LocalizedInt(title=_("Slot length (minutes)"), min=5, max=480, default=30)
    capacity = LocalizedInt(title=_("People per slot"), min=1, max=500, default=1)
    horizon_days = LocalizedInt(
        title=_("Booking horizon (days)"),
        description=_("How far ahead people may book."),
        min=1,
        max=365,
        default=30,
    )
    min_notice_hours = LocalizedInt(
        title=_("Minimum notice (hours)"),
        description=_("No booking closer to its time than this."),
        min=0,
        max=720,
        default=2,
    )
    cancel_cutoff_hours = LocalizedInt(
        title=_("Cancel or move up to (hours before)"),
        min=0,
        max=720,
        default=2,
    )
    follow_desk_holidays = schema.Bool(
        title=_("Closed on the desk's holidays"),
        description=_(
            "The holidays of the working calendar in the site's settings (Iran's official "
            "holidays when observed, and the university's own) close this calendar too; "
            "add its own closures below."
        ),
        default=True,
        required=False,
    )
    closures = schema.List(
        title=_("Closures and holidays"),
        description=_(
            "One per line, Jalali: a day (1405/01/13), a range (1405/01/01-1405/01/04) or a "
            "day every year (01/01); a note may follow."
        ),
        value_type=schema.TextLine(),
        default=[],
        required=False,
    )
    location = schema.TextLine(title=_("Where"), required=False)
    # Who may book, and when: the request availability behavior (behaviors.py).

    @invariant
    def readable_hours_and_closures(data):
        try:
            parse_weekly_hours(getattr(data, "weekly_hours", None))
        except ValueError as error:
            raise Invalid(
                _(
                    "This line of the weekly hours cannot be read: ${line}",
                    mapping={"line": str(error)},
                )
            ) from None
        try:
            parse_holidays(getattr(data, "closures", None))
        except ValueError as error:
            raise Invalid(
                _("This line of the closures cannot be read: ${line}", mapping={"line": str(error)})
            ) from None


class Slot(Persistent):
    """The bookings of one time of one calendar; written by every booking of that time."""

    blocked = None  # the reason, when staff closed the slot

    def __init__(self):
        self.codes = ()


@implementer(IApplicantContact)
class Booking(Persistent):
    """One appointment, followed by its tracking code; the applicant's contact details
    are checked as a request's are (``api.requests.check_applicant``)."""

    state = "booked"  # booked, cancelled, attended, no_show
    request_code = None
    cancel_reason = ""
    cancelled_by_staff = False
    notify_language = None  # the language the applicant booked in (their messages speak it)
    reminded = False  # the day-before reminder was queued

    def __init__(self, **fields):
        for key, value in fields.items():
            setattr(self, key, value)


@implementer(IAppointmentCalendar)
class AppointmentCalendar(Item):
    # Unlike a service, a calendar is open to visitors unless it says otherwise: what
    # calendars read before a value is stored, and what their add form offers.
    allow_anonymous = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = OOBTree()  # "YYYY-MM-DDTHH:MM" -> Slot
        self.bookings = OOBTree()  # tracking code -> Booking
