"""Appointments (نوبت‌دهی): free slots, booking, cancelling, moving, check-in, blocking.

Times are the portal's local time (Asia/Tehran on the demo), kept naive. A booking and the
capacity check are one transaction: every booking of a time writes that time's ``Slot``, so
two people taking its last seat conflict, and ``book_and_commit`` retries the loser, who
then finds the seat taken and is offered the next free times.
"""

from AccessControl import Unauthorized
from dataclasses import dataclass
from icalendar import Calendar
from icalendar import Event
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import requests as desk_api  # bookings may name a request
from uni.servicedesk.api import sla  # the desk's holidays
from uni.servicedesk.api import tracking
from uni.servicedesk.api import transactions
from uni.servicedesk.api.events import AppointmentChanged
from uni.servicedesk.content.appointment_calendar import Booking
from uni.servicedesk.content.appointment_calendar import Slot
from uni.servicedesk.localization import jalali_month_day
from uni.servicedesk.localization import normalize_digits
from uni.servicedesk.working_time import parse_weekly_hours
from uni.servicedesk.working_time import parsed_holidays
from ZODB.POSException import ConflictError
from zope.event import notify
from zoneinfo import ZoneInfo

import datetime

MANAGE = "uni.servicedesk: Manage appointments"
CALENDAR_TYPE = "AppointmentCalendar"
SLOT_FORMAT = "%Y-%m-%dT%H:%M"


class BookingError(ValueError):
    """Refused; ``errors`` maps each bad field to a message, nothing was changed."""

    def __init__(self, errors, free=(), taken=False, too_many=False):
        super().__init__(errors)
        self.errors = errors
        self.taken = taken  # the chosen time filled up (a conflict, not bad input)
        self.free = list(free)  # then: the soonest free times
        self.too_many = too_many  # over a limit on anonymous creations (429)


@dataclass
class SlotInfo:
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    taken: int
    blocked: str = None

    @property
    def key(self):
        return self.start.strftime(SLOT_FORMAT)

    @property
    def free(self):
        return 0 if self.blocked else max(self.capacity - self.taken, 0)


# -- time -------------------------------------------------------------------------------


def now():
    """The portal's local time, naive, to the minute."""
    zone = api.portal.get_registry_record("plone.portal_timezone", default=None) or "Asia/Tehran"
    try:
        local = datetime.datetime.now(ZoneInfo(zone))
    except Exception:  # an unknown zone name: the server's local time
        local = datetime.datetime.now()
    return local.replace(tzinfo=None, second=0, microsecond=0)


def parse_slot(value):
    """``2026-12-05T08:30`` (any digits) -> datetime, or None."""
    try:
        return datetime.datetime.strptime(normalize_digits(str(value or "")).strip(), SLOT_FORMAT)
    except ValueError:
        return None


# -- slots ------------------------------------------------------------------------------


def is_closed(calendar, day, desk=None):
    """Whether the calendar is closed all day: one of its closures, or one of the desk's
    holidays when it follows them (``follow_desk_holidays``). ``desk`` is the desk's
    working calendar when the caller has it already (``sla.working_calendar()``)."""
    one_off, yearly = parsed_holidays(tuple(calendar.closures or ()))
    if day in one_off or jalali_month_day(day) in yearly:
        return True
    if not calendar.follow_desk_holidays:
        return False
    return (desk or sla.working_calendar()).is_holiday(day)


def day_slots(calendar, day, at=None, bookable_only=True, desk=None):
    """The slots of ``day``: only those people may still book, unless ``bookable_only``
    is False (the staff's view of a day, past ones included). ``desk``: see ``is_closed``."""
    at = at or now()
    if is_closed(calendar, day, desk):
        return []
    if bookable_only and day > at.date() + datetime.timedelta(days=calendar.horizon_days):
        return []
    earliest = at + datetime.timedelta(hours=calendar.min_notice_hours or 0)
    length = datetime.timedelta(minutes=calendar.slot_minutes)
    result = []
    for start_time, end_time in parse_weekly_hours(calendar.weekly_hours).get(day.weekday(), ()):
        start = datetime.datetime.combine(day, start_time)
        end_of_period = datetime.datetime.combine(day, end_time)
        while start + length <= end_of_period:
            if not bookable_only or start >= earliest:
                slot = calendar.slots.get(start.strftime(SLOT_FORMAT))
                result.append(
                    SlotInfo(
                        start,
                        start + length,
                        calendar.capacity,
                        len(slot.codes) if slot is not None else 0,
                        slot.blocked if slot is not None else None,
                    )
                )
            start += length
    return result


def free_slots(calendar, first_day, last_day, at=None, limit=None):
    """Free slots from ``first_day`` to ``last_day`` (both included), in order."""
    result = []
    desk = sla.working_calendar()  # once, not once a day
    day = first_day
    while day <= last_day:
        for slot in day_slots(calendar, day, at, desk=desk):
            if slot.free:
                result.append(slot)
                if limit and len(result) >= limit:
                    return result
        day += datetime.timedelta(days=1)
    return result


def next_free(calendar, after=None, limit=5, at=None):
    at = at or now()
    first = max((after or at).date(), at.date())
    last = at.date() + datetime.timedelta(days=calendar.horizon_days)
    return [s for s in free_slots(calendar, first, last, at) if after is None or s.start > after][
        :limit
    ]


def bookable_days(calendar, at=None):
    """Each day of the horizon with its count of free slots (0: closed or full)."""
    at = at or now()
    desk = sla.working_calendar()  # once, not once a day
    days = []
    for offset in range(calendar.horizon_days + 1):
        day = at.date() + datetime.timedelta(days=offset)
        days.append((day, sum(s.free for s in day_slots(calendar, day, at, desk=desk))))
    return days


# -- booking ----------------------------------------------------------------------------


def calendars():
    catalog = api.portal.get_tool("portal_catalog")
    return [
        b._unrestrictedGetObject()
        for b in catalog.unrestrictedSearchResults(portal_type=CALENDAR_TYPE)
    ]


def find(code):
    """The booking with this tracking code, whoever asks (callers check access)."""
    code = tracking.normalize_code(code)
    if code is None:
        return None
    for calendar in calendars():
        booking = calendar.bookings.get(code)
        if booking is not None:
            return booking
    return None


def calendar_of(booking):
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(UID=booking.calendar_uid)
    return brains[0]._unrestrictedGetObject() if brains else None


def verify(code, verifier, client=""):
    """The booking for ``code`` if ``verifier`` (mobile, email or link secret) matches."""
    return tracking.verify(code, verifier, find, client)


class BookingCodes:
    """The bookings' share of the tracking codes (an ``ITrackingCodeHolder`` utility)."""

    def find(self, code):
        return find(code)


def code_in_use(code):
    return tracking.code_in_use(code)  # every holder of codes is asked, bookings too


def _linked_request(data, applicant, errors):
    code = (data.get("request_code") or "").strip()
    if not code:
        return None
    request = desk_api.find_by_code(code)
    contacts = [
        applicant.get(f) for f in ("applicant_mobile", "applicant_email") if applicant.get(f)
    ]
    if request is None or not any(tracking.verifier_matches(request, c) for c in contacts):
        errors["request_code"] = _("No request of yours has this tracking code.")
        return None
    return request


def _taken(calendar, chosen, at):
    soonest = [s for s in next_free(calendar, at=at, limit=6) if s.key != chosen.key][:5]
    return BookingError(
        {"slot": _("This time was just taken. Choose another one.")}, free=soonest, taken=True
    )


def book(calendar, slot_start, data, at=None):
    """Book ``slot_start`` (a datetime or ``YYYY-MM-DDTHH:MM``) for the applicant in ``data``
    (applicant_name, applicant_mobile, applicant_email, applicant_national_code, and
    optionally request_code). Changes nothing and raises ``BookingError`` when refused."""
    at = at or now()
    errors = {}
    user = desk_api.current_user()
    reason = desk_api.why_not_requestable(calendar, user)
    if reason:
        errors["calendar"] = reason
    applicant = desk_api.check_applicant(data, errors, "appointment", user)
    request = _linked_request(data, applicant, errors)
    start = slot_start if isinstance(slot_start, datetime.datetime) else parse_slot(slot_start)
    chosen = None
    if start is not None:
        chosen = next((s for s in day_slots(calendar, start.date(), at) if s.start == start), None)
    if chosen is None:
        errors["slot"] = _("Choose one of the free times.")
    if errors:
        raise BookingError(errors)
    try:
        desk_api.check_creation_limits(user, applicant)
    except desk_api.SubmissionError as refused:
        raise BookingError(refused.errors, too_many=True)
    slot = calendar.slots.get(chosen.key)
    if slot is None:
        slot = calendar.slots[chosen.key] = Slot()
    if slot.blocked or len(slot.codes) >= calendar.capacity:
        raise _taken(calendar, chosen, at)
    code = tracking.new_code(exists=code_in_use)
    booking = Booking(
        tracking_code=code,
        calendar_uid=calendar.UID(),
        slot=chosen.key,
        start=chosen.start,
        end=chosen.end,
        created=at,
        applicant_user=user.getId() if user is not None else None,
        tracking_secret=tracking.new_secret(),
        request_code=request.tracking_code if request is not None else None,
        notify_language=api.portal.get_current_language() or "fa",
        **applicant,
    )
    slot.codes = slot.codes + (code,)  # the write that makes two last-seat bookings conflict
    calendar.bookings[code] = booking
    desk_api.count_creation(user, applicant)
    if request is not None:
        desk_api.log_event(
            request,
            "appointment",
            public=True,
            text=f"{calendar.Title()} — {chosen.key.replace('T', ' ')}",
        )
    notify(AppointmentChanged(booking, calendar, "booked"))  # the applicant is told
    return booking


def committed(change, *args, **kwargs):
    """``change`` committed on its own, retried after conflicts (see api.transactions)."""
    try:
        return transactions.committed(change, *args, **kwargs)
    except ConflictError:
        raise BookingError({"slot": _("Many people are booking right now; please try again.")})


def book_and_commit(calendar, slot_start, data):
    return committed(book, calendar, slot_start, data)


# -- after booking ----------------------------------------------------------------------


def may_manage(calendar):
    return api.user.has_permission(MANAGE, obj=calendar)


def _require_manage(calendar):
    if not may_manage(calendar):
        raise Unauthorized("managing appointments")


def before_cutoff(booking, calendar, at=None):
    at = at or now()
    return at <= booking.start - datetime.timedelta(hours=calendar.cancel_cutoff_hours or 0)


def _release(calendar, booking):
    slot = calendar.slots.get(booking.slot)
    if slot is not None and booking.tracking_code in slot.codes:
        slot.codes = tuple(c for c in slot.codes if c != booking.tracking_code)


def cancel(booking, reason="", by_staff=False, at=None):
    """Cancel; the applicant (already verified) up to the cut-off, staff any time."""
    calendar = calendar_of(booking)
    if by_staff:
        _require_manage(calendar)
        if not (reason or "").strip():
            raise BookingError({"reason": _("Say why the appointment is cancelled.")})
    if booking.state != "booked":
        raise BookingError({"booking": _("This appointment is no longer booked.")})
    if not by_staff and not before_cutoff(booking, calendar, at):
        raise BookingError({"booking": _("It is too late to cancel or move this appointment.")})
    _release(calendar, booking)
    booking.state = "cancelled"
    booking.cancel_reason = (reason or "").strip()[:500]
    booking.cancelled_by_staff = bool(by_staff)
    notify(AppointmentChanged(booking, calendar, "cancelled", by_staff=bool(by_staff)))
    return booking


def reschedule(booking, slot_start, at=None):
    """Move a booking (the applicant's, verified) to another free time, up to the cut-off."""
    at = at or now()
    calendar = calendar_of(booking)
    if booking.state != "booked":
        raise BookingError({"booking": _("This appointment is no longer booked.")})
    if not before_cutoff(booking, calendar, at):
        raise BookingError({"booking": _("It is too late to cancel or move this appointment.")})
    start = slot_start if isinstance(slot_start, datetime.datetime) else parse_slot(slot_start)
    chosen = None
    if start is not None:
        chosen = next((s for s in day_slots(calendar, start.date(), at) if s.start == start), None)
    if chosen is None or chosen.start == booking.start:
        raise BookingError({"slot": _("Choose one of the free times.")})
    slot = calendar.slots.get(chosen.key)
    if slot is None:
        slot = calendar.slots[chosen.key] = Slot()
    if slot.blocked or len(slot.codes) >= calendar.capacity:
        raise _taken(calendar, chosen, at)
    _release(calendar, booking)
    slot.codes = slot.codes + (booking.tracking_code,)
    booking.slot, booking.start, booking.end = chosen.key, chosen.start, chosen.end
    booking.reminded = False  # a reminder the day before the new time
    notify(AppointmentChanged(booking, calendar, "moved"))
    return booking


def check_in(booking, attended=True):
    """Staff: the applicant came (or did not)."""
    _require_manage(calendar_of(booking))
    if booking.state not in ("booked", "attended", "no_show"):
        raise BookingError({"booking": _("This appointment is no longer booked.")})
    booking.state = "attended" if attended else "no_show"
    return booking


def block(calendar, slot_start, reason):
    """Staff: no more bookings at this time (those already made stay until cancelled)."""
    _require_manage(calendar)
    start = slot_start if isinstance(slot_start, datetime.datetime) else parse_slot(slot_start)
    if start is None or not any(
        s.start == start for s in day_slots(calendar, start.date(), bookable_only=False)
    ):
        raise BookingError({"slot": _("Choose one of the calendar's times.")})
    if not (reason or "").strip():
        raise BookingError({"reason": _("Say why the time is blocked.")})
    key = start.strftime(SLOT_FORMAT)
    slot = calendar.slots.get(key)
    if slot is None:
        slot = calendar.slots[key] = Slot()
    slot.blocked = reason.strip()[:200]
    return slot


def unblock(calendar, slot_start):
    _require_manage(calendar)
    start = slot_start if isinstance(slot_start, datetime.datetime) else parse_slot(slot_start)
    slot = calendar.slots.get(start.strftime(SLOT_FORMAT)) if start else None
    if slot is not None and slot.blocked:
        slot.blocked = None
    return slot


def staff_day(calendar, day):
    """Staff: every slot of the day with its bookings."""
    _require_manage(calendar)
    result = []
    for slot in day_slots(calendar, day, bookable_only=False):
        stored = calendar.slots.get(slot.key)
        bookings = [calendar.bookings[c] for c in (stored.codes if stored else ())]
        result.append((slot, bookings))
    return result


def public_view(booking):
    calendar = calendar_of(booking)
    open_ = booking.state == "booked" and before_cutoff(booking, calendar)
    return {
        "tracking_code": booking.tracking_code,
        "calendar": calendar.Title(),
        "location": calendar.location or "",
        "start": booking.start,
        "end": booking.end,
        "state": booking.state,
        "applicant_name": booking.applicant_name,
        "request_code": booking.request_code,
        "cancel_reason": booking.cancel_reason if booking.cancelled_by_staff else "",
        "can_cancel": open_,
        "can_move": open_,
    }


def tracking_url(booking):
    portal_url = api.portal.get().absolute_url()
    return (
        f"{portal_url}/@@appointment?code={booking.tracking_code}&token={booking.tracking_secret}"
    )


def ics_url(booking):
    portal_url = api.portal.get().absolute_url()
    return f"{portal_url}/@@appointment-ics?code={booking.tracking_code}&token={booking.tracking_secret}"


def ics(booking):
    """The appointment as an iCalendar file (bytes)."""
    calendar = calendar_of(booking)
    zone = api.portal.get_registry_record("plone.portal_timezone", default=None) or "Asia/Tehran"
    tz = ZoneInfo(zone)
    ical = Calendar()
    ical.add("prodid", "-//uni.servicedesk//appointments//FA")
    ical.add("version", "2.0")
    event = Event()
    event.add("uid", f"{booking.tracking_code}@uni.servicedesk")
    event.add("summary", calendar.Title())
    event.add("dtstart", booking.start.replace(tzinfo=tz))
    event.add("dtend", booking.end.replace(tzinfo=tz))
    event.add("dtstamp", datetime.datetime.now(datetime.timezone.utc))
    if calendar.location:
        event.add("location", calendar.location)
    event.add("description", f"{booking.tracking_code}\n{tracking_url(booking)}")
    event.add("status", "CANCELLED" if booking.state == "cancelled" else "CONFIRMED")
    ical.add_component(event)
    return ical.to_ical()
