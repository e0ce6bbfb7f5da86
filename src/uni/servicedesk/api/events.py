"""The events that join the capabilities of the desk.

A request's life is written on its timeline (``requests.timeline.log_event``); every entry
is announced as a ``TimelineEntryAdded`` event, and the subsystems that react to it — the
SLA clock, notifications, later reports and webhooks — subscribe in ZCML instead of being
called. The SLA clock announces the changes of state that only time causes (at risk,
overdue) as ``SLAStateChanged``. Nothing here imports a capability: each of them imports
this module.
"""

from zope.interface import Attribute
from zope.interface import implementer
from zope.interface import Interface
from zope.interface.interfaces import IObjectEvent
from zope.interface.interfaces import ObjectEvent


class ITimelineEntryAdded(IObjectEvent):
    """A step was written on a request's timeline (``object`` is the request)."""

    entry = Attribute("The timeline entry: a dict with id, event, when, actor, public, text…")


@implementer(ITimelineEntryAdded)
class TimelineEntryAdded(ObjectEvent):
    def __init__(self, request, entry):
        super().__init__(request)
        self.entry = entry


class ISLAStateChanged(IObjectEvent):
    """Time moved a request's service level (``object`` is the request)."""

    old_state = Attribute("The SLA state before")
    new_state = Attribute("The SLA state now: at_risk or overdue")


@implementer(ISLAStateChanged)
class SLAStateChanged(ObjectEvent):
    def __init__(self, request, old_state, new_state):
        super().__init__(request)
        self.old_state = old_state
        self.new_state = new_state


class IPeriodicJob(Interface):
    """Work done every so often on each site, by the scheduler (``api.scheduler``).

    Registered as a named utility; the name is the job's id in logs.
    """

    interval = Attribute(
        "Seconds between two runs on one site (a float, or a callable "
        "returning one, read with the site set)"
    )

    def __call__(portal):
        """Do the job on ``portal`` (the site is set); manage its own transactions."""


class ITrackingCodeHolder(Interface):
    """Something people follow by a tracking code (requests, appointments…).

    Registered as a named utility: tracking codes are unique across all holders, and the
    public tracking page asks each of them, without the holders importing each other.
    """

    def find(code):
        """The object with this normalised tracking code, or None (no access check)."""


class IAppointmentChanged(IObjectEvent):
    """Something happened to a booking (``object``) that its applicant is told of."""

    calendar = Attribute("The appointment calendar")
    change = Attribute("booked, moved, cancelled or reminder")
    by_staff = Attribute("True when staff did it (a cancellation by the office)")


@implementer(IAppointmentChanged)
class AppointmentChanged(ObjectEvent):
    def __init__(self, booking, calendar, change, by_staff=False):
        super().__init__(booking)
        self.calendar = calendar
        self.change = change
        self.by_staff = by_staff
