"""Service levels in business time: due dates, the paused clock, risk.

A request gets, when it is registered, a budget of working time (its service's maximum
duration in working days, on the university's working calendar) and a first-response
target (working hours). The clock stops while the request awaits its applicant: every
pause is kept, and the due date moves by it. As time passes the request's ``sla_state``
goes on_time → at_risk (a share of the budget left) → overdue; a resolution ends it as
met or missed. The clock follows the request by subscribing to its creation and to its
timeline; states that change with time alone are moved by the sweep (``escalation``).
"""

from DateTime import DateTime
from plone import api
from uni.servicedesk.api.requests.records import service_of
from uni.servicedesk.api.sla import calendar as business_time
from uni.servicedesk.working_time import parse_holidays
from uni.servicedesk.working_time import parse_hours
from zoneinfo import ZoneInfo

import datetime

SETTINGS = "uni.servicedesk.sla."
ESCALATE = "uni.servicedesk: Escalate request"
ON_TIME, AT_RISK, OVERDUE, PAUSED, MET, MISSED = (
    "on_time",
    "at_risk",
    "overdue",
    "paused",
    "met",
    "missed",
)
RUNNING_STATES = ("submitted", "assigned", "in_progress")  # the clock runs
LEVELS = (0, 1, 2, 3)
# The steps that answer the applicant: the first of them is the first response.
RESPONSES = ("reply", "documents_requested", "delivered")


def setting(name, default=None):
    return api.portal.get_registry_record(SETTINGS + name, default=default)


# -- the working calendar -------------------------------------------------------------------

_calendars = {}


def working_calendar():
    """The site's calendar from its settings (parsed once per distinct settings): the
    desk's working hours, weekly days off, its own holidays and, unless switched off,
    Iran's official holidays."""
    days_off = api.portal.get_registry_record("uni.servicedesk.weekly_days_off", default=None)
    hours = setting("working_hours", "07:30-14:30") or "07:30-14:30"
    holidays = tuple(setting("holidays", None) or ())
    official = bool(setting("official_holidays", True))
    zone = api.portal.get_registry_record("plone.portal_timezone", default="") or "Asia/Tehran"
    key = (
        tuple(days_off if days_off is not None else [business_time.FRIDAY]),
        hours,
        holidays,
        official,
        zone,
    )
    calendar = _calendars.get(key)
    if calendar is None:
        one_off, yearly = parse_holidays(holidays)
        calendar = business_time.WorkingCalendar(
            days_off=frozenset(key[0]),
            hours=parse_hours(hours),
            holidays=frozenset(one_off),
            yearly_holidays=frozenset(yearly),
            tz=ZoneInfo(zone),
            official_holidays=official,
        )
        _calendars.clear()  # settings changed: forget the old one
        _calendars[key] = calendar
    return calendar


def aware(value, calendar):
    """Our stored datetimes are naive local time (DateIndex: index_naive_time_as_local)."""
    if value is None:
        return None
    if isinstance(value, DateTime):
        value = value.asdatetime()
    if value.tzinfo is None:
        return value.replace(tzinfo=calendar.tz)
    return value.astimezone(calendar.tz)


def naive(value, calendar):
    return None if value is None else value.astimezone(calendar.tz).replace(tzinfo=None)


def now_local(calendar=None):
    calendar = calendar or working_calendar()
    return datetime.datetime.now(calendar.tz)


# -- a request's clock --------------------------------------------------------------------


def _pauses(request, calendar):
    return [
        (aware(start, calendar), aware(end, calendar))
        for start, end in getattr(request, "sla_pauses", ())
    ]


def start(request, service=None, now=None):
    """Set the budget, the due date, the risk moment and the first-response target."""
    calendar = working_calendar()
    now = aware(now, calendar) or now_local(calendar)
    days = getattr(service, "duration_max", None) if service is not None else None
    if days is None:
        days = api.portal.get_registry_record("uni.servicedesk.default_duration_days", default=5)
    due = business_time.add_business_days(calendar, now, int(days))
    request.sla_started = naive(now, calendar)
    request.sla_budget = business_time.business_time_between(calendar, now, due)
    request.sla_pauses = ()
    hours = setting("first_response_hours", 4)
    request.first_response_due = (
        naive(
            business_time.add_business_time(calendar, now, datetime.timedelta(hours=hours)),
            calendar,
        )
        if hours
        else None
    )
    _schedule(request, calendar)
    request.sla_state = ON_TIME


def _schedule(request, calendar):
    """Due date and risk moment from the budget and the pauses (None while paused)."""
    started = aware(request.sla_started, calendar)
    pauses = _pauses(request, calendar)
    budget = request.sla_budget
    risk_share = (setting("risk_percent", 25) or 0) / 100
    due = business_time.add_business_time(calendar, started, budget, pauses)
    risk = business_time.add_business_time(calendar, started, budget * (1 - risk_share), pauses)
    if due is not None:
        request.due_date = naive(due, calendar)
    request.sla_risk_at = naive(risk, calendar) if risk_share else None


def has_clock(request):
    return getattr(request, "sla_started", None) is not None


def pause(request, now=None):
    """The request waits for its applicant: the clock stops."""
    if not has_clock(request) or request.sla_state == PAUSED:
        return
    calendar = working_calendar()
    now = aware(now, calendar) or now_local(calendar)
    request.sla_pauses = tuple(request.sla_pauses) + ((naive(now, calendar), None),)
    request.sla_state = PAUSED


def resume(request, now=None):
    """The applicant answered (or staff resumed): the clock runs again, the due date moves."""
    if not has_clock(request) or not request.sla_pauses or request.sla_pauses[-1][1] is not None:
        return
    calendar = working_calendar()
    now = aware(now, calendar) or now_local(calendar)
    started, _open = request.sla_pauses[-1]
    request.sla_pauses = tuple(request.sla_pauses[:-1]) + ((started, naive(now, calendar)),)
    _schedule(request, calendar)
    request.sla_state = current_state(request, now)


def current_state(request, now=None):
    """What the clock says now for a running request (on_time / at_risk / overdue)."""
    calendar = working_calendar()
    now = aware(now, calendar) or now_local(calendar)
    due = aware(request.due_date, calendar)
    risk = aware(getattr(request, "sla_risk_at", None), calendar)
    if due is not None and now >= due:
        return OVERDUE
    if risk is not None and now >= risk:
        return AT_RISK
    return ON_TIME


def finish(request, now=None):
    calendar = working_calendar()
    now = aware(now, calendar) or now_local(calendar)
    due = aware(request.due_date, calendar)
    request.sla_state = MET if due is None or now <= due else MISSED


def remaining(request, now=None):
    """Working time left before the due date (negative: how late), or None if no clock."""
    if not has_clock(request) or request.sla_state == PAUSED:
        return None
    calendar = working_calendar()
    now = aware(now, calendar) or now_local(calendar)
    due = aware(request.due_date, calendar)
    if now <= due:
        return business_time.business_time_between(calendar, now, due)
    return -business_time.business_time_between(calendar, due, now)


def start_on_submission(request, event):
    """Subscriber: a new request's clock starts (the budget of its service)."""
    if not has_clock(request):
        start(request, service_of(request))


def on_timeline(request, event):
    """Subscriber: keep the clock in step with every step on the request's timeline."""
    entry = event.entry
    if not has_clock(request):
        return
    event = entry["event"]
    if (
        event in RESPONSES
        and entry.get("actor") != request.applicant_user
        and getattr(request, "first_response_at", None) is None
    ):
        request.first_response_at = DateTime()
    if event != "transition":
        return
    to_state, from_state = entry.get("to_state"), entry.get("from_state")
    if to_state == "awaiting_applicant":
        pause(request)
    elif from_state == "awaiting_applicant":
        resume(request)
    if to_state == "resolved":
        if getattr(request, "first_response_at", None) is None:
            request.first_response_at = DateTime()
        finish(request)
    elif to_state in ("rejected", "withdrawn", "merged") and request.sla_state not in (MET, MISSED):
        finish(request)  # handled otherwise: the clock stops
    elif from_state in ("resolved", "closed") and to_state in RUNNING_STATES:  # reopened
        request.sla_state = current_state(request)


def first_response_pending(request):
    """For the catalog: the first-response target, only while it is still to be met."""
    if getattr(request, "first_response_at", None) is not None:
        return None
    if getattr(request, "first_response_escalated", False):
        return None
    return getattr(request, "first_response_due", None)
