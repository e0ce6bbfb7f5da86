"""Service levels in business time: due dates, the paused clock, risk, escalation.

A request gets, when it is registered, a budget of working time (its service's maximum
duration in working days, on the university's working calendar) and a first-response
target (working hours). The clock stops while the request awaits its applicant: every
pause is kept, and the due date moves by it. As time passes the request's ``sla_state``
goes on_time → at_risk (a share of the budget left) → overdue; a resolution ends it as
met or missed. States that change with time alone are moved by the sweep (``sweep``),
run by the outbox worker inside the server every few minutes and from cron; it is
idempotent: a request escalated for being overdue is not escalated again by the next run.

Escalation levels: 0 the expert or unit handling it, 1 the unit's head, 2 the
supervisors, 3 management — who sits at each level is set per unit in the SLA control
panel. Being at risk or late for the first response escalates to level 1, being overdue
to level 2; supervisors escalate by hand too. Every escalation is on the timeline (an
internal entry) and notified to the people of the new level.
"""
from AccessControl import Unauthorized
from DateTime import DateTime
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import business_time
from uni.servicedesk.api.validation import InputError
from zoneinfo import ZoneInfo

import datetime
import logging

logger = logging.getLogger("uni.servicedesk.sla")
SETTINGS = "uni.servicedesk.sla."
ESCALATE = "uni.servicedesk: Escalate request"
ON_TIME, AT_RISK, OVERDUE, PAUSED, MET, MISSED = (
    "on_time", "at_risk", "overdue", "paused", "met", "missed")
RUNNING_STATES = ("submitted", "assigned", "in_progress")  # the clock runs
LEVELS = (0, 1, 2, 3)
# The steps that answer the applicant: the first of them is the first response.
RESPONSES = ("reply", "documents_requested", "delivered")


def setting(name, default=None):
    return api.portal.get_registry_record(SETTINGS + name, default=default)


# -- the working calendar -------------------------------------------------------------------

_calendars = {}


def working_calendar():
    """The site's calendar from its settings (parsed once per distinct settings)."""
    days_off = api.portal.get_registry_record("uni.servicedesk.weekly_days_off", default=None)
    hours = setting("working_hours", "07:30-14:30") or "07:30-14:30"
    holidays = tuple(setting("holidays", None) or ())
    zone = api.portal.get_registry_record("plone.portal_timezone", default="") or "Asia/Tehran"
    key = (tuple(days_off if days_off is not None else [business_time.FRIDAY]), hours, holidays, zone)
    calendar = _calendars.get(key)
    if calendar is None:
        one_off, yearly = business_time.parse_holidays(holidays)
        calendar = business_time.WorkingCalendar(
            days_off=frozenset(key[0]), hours=business_time.parse_hours(hours),
            holidays=frozenset(one_off), yearly_holidays=frozenset(yearly), tz=ZoneInfo(zone))
        _calendars.clear()  # settings changed: forget the old one
        _calendars[key] = calendar
    return calendar


def _aware(value, calendar):
    """Our stored datetimes are naive local time (DateIndex: index_naive_time_as_local)."""
    if value is None:
        return None
    if isinstance(value, DateTime):
        value = value.asdatetime()
    if value.tzinfo is None:
        return value.replace(tzinfo=calendar.tz)
    return value.astimezone(calendar.tz)


def _naive(value, calendar):
    return None if value is None else value.astimezone(calendar.tz).replace(tzinfo=None)


def now_local(calendar=None):
    calendar = calendar or working_calendar()
    return datetime.datetime.now(calendar.tz)


# -- a request's clock --------------------------------------------------------------------


def _pauses(request, calendar):
    return [(_aware(start, calendar), _aware(end, calendar))
            for start, end in getattr(request, "sla_pauses", ())]


def start(request, service=None, now=None):
    """Set the budget, the due date, the risk moment and the first-response target."""
    calendar = working_calendar()
    now = _aware(now, calendar) or now_local(calendar)
    days = getattr(service, "duration_max", None) if service is not None else None
    if days is None:
        days = api.portal.get_registry_record("uni.servicedesk.default_duration_days", default=5)
    due = business_time.add_business_days(calendar, now, int(days))
    request.sla_started = _naive(now, calendar)
    request.sla_budget = business_time.business_time_between(calendar, now, due)
    request.sla_pauses = ()
    hours = setting("first_response_hours", 4)
    request.first_response_due = (
        _naive(business_time.add_business_time(calendar, now, datetime.timedelta(hours=hours)), calendar)
        if hours else None)
    _schedule(request, calendar)
    request.sla_state = ON_TIME


def _schedule(request, calendar):
    """Due date and risk moment from the budget and the pauses (None while paused)."""
    started = _aware(request.sla_started, calendar)
    pauses = _pauses(request, calendar)
    budget = request.sla_budget
    risk_share = (setting("risk_percent", 25) or 0) / 100
    due = business_time.add_business_time(calendar, started, budget, pauses)
    risk = business_time.add_business_time(calendar, started, budget * (1 - risk_share), pauses)
    if due is not None:
        request.due_date = _naive(due, calendar)
    request.sla_risk_at = _naive(risk, calendar) if risk_share else None


def has_clock(request):
    return getattr(request, "sla_started", None) is not None


def pause(request, now=None):
    """The request waits for its applicant: the clock stops."""
    if not has_clock(request) or request.sla_state == PAUSED:
        return
    calendar = working_calendar()
    now = _aware(now, calendar) or now_local(calendar)
    request.sla_pauses = tuple(request.sla_pauses) + ((_naive(now, calendar), None),)
    request.sla_state = PAUSED


def resume(request, now=None):
    """The applicant answered (or staff resumed): the clock runs again, the due date moves."""
    if not has_clock(request) or not request.sla_pauses or request.sla_pauses[-1][1] is not None:
        return
    calendar = working_calendar()
    now = _aware(now, calendar) or now_local(calendar)
    started, _open = request.sla_pauses[-1]
    request.sla_pauses = tuple(request.sla_pauses[:-1]) + ((started, _naive(now, calendar)),)
    _schedule(request, calendar)
    request.sla_state = current_state(request, now)


def current_state(request, now=None):
    """What the clock says now for a running request (on_time / at_risk / overdue)."""
    calendar = working_calendar()
    now = _aware(now, calendar) or now_local(calendar)
    due = _aware(request.due_date, calendar)
    risk = _aware(getattr(request, "sla_risk_at", None), calendar)
    if due is not None and now >= due:
        return OVERDUE
    if risk is not None and now >= risk:
        return AT_RISK
    return ON_TIME


def finish(request, now=None):
    calendar = working_calendar()
    now = _aware(now, calendar) or now_local(calendar)
    due = _aware(request.due_date, calendar)
    request.sla_state = MET if due is None or now <= due else MISSED


def remaining(request, now=None):
    """Working time left before the due date (negative: how late), or None if no clock."""
    if not has_clock(request) or request.sla_state == PAUSED:
        return None
    calendar = working_calendar()
    now = _aware(now, calendar) or now_local(calendar)
    due = _aware(request.due_date, calendar)
    if now <= due:
        return business_time.business_time_between(calendar, now, due)
    return -business_time.business_time_between(calendar, due, now)


def on_timeline(request, entry):
    """Keep the clock in step with the request's life (called for every timeline entry)."""
    if not has_clock(request):
        return
    event = entry["event"]
    if event in RESPONSES and entry.get("actor") != request.applicant_user:
        if getattr(request, "first_response_at", None) is None:
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


# -- escalation -------------------------------------------------------------------------------


def escalation_table():
    """{unit or "*": {level: [user ids]}} from the control panel's lines
    ``unit-id | head | supervisors | managers`` (user ids separated by commas)."""
    table = {}
    for line in setting("escalation", None) or ():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 2 or not cells[0]:
            continue
        table[cells[0]] = {
            level: [u.strip() for u in cells[level].split(",") if u.strip()]
            for level in (1, 2, 3) if level < len(cells)
        }
    return table


def people_at(request, level):
    """Who sits at ``level`` for the request's unit (falling back to the "*" line, then to
    everyone with the supervisor role for 2 and site administrators for 3)."""
    from uni.servicedesk.api.notify import handlers

    if level == 0:
        return handlers(request)
    table = escalation_table()
    unit = request.referred_unit or request.target_unit or ""
    for key in (unit, "*"):
        people = table.get(key, {}).get(level)
        if people:
            return [u for u in people if api.user.get(userid=u) is not None]
    role = {2: "Service Desk Supervisor", 3: "Site Administrator"}.get(level)
    if role is None:
        return people_at(request, 2)  # no unit head named: the supervisors
    return [u.getId() for u in api.user.get_users() if role in api.user.get_roles(user=u)]


def escalate(request, reason="", to_level=None, automatic=False):
    """One level up (or to ``to_level``): the people there may work the request, are told,
    and the step is on the timeline. Manual escalation needs *Escalate request*."""
    from uni.servicedesk.api.notify import notify_staff
    from uni.servicedesk.api.requests import HANDLER_ROLE
    from uni.servicedesk.api.requests import log_event
    from uni.servicedesk.api.requests import _reindex_security
    from uni.servicedesk.api.requests import _forget_cached_local_roles

    if not automatic:
        if not api.user.has_permission(ESCALATE, obj=request):
            raise Unauthorized("escalate")
        if not (reason or "").strip():
            raise InputError("reason", _("Say why you escalate the request."))
    current = getattr(request, "escalation_level", 0) or 0
    level = min(to_level if to_level is not None else current + 1, LEVELS[-1])
    if level <= current:
        return False
    people = people_at(request, level)
    for user_id in people:
        roles = set(dict(request.get_local_roles()).get(user_id, ()))
        request.manage_setLocalRoles(user_id, sorted(roles | {HANDLER_ROLE}))
    request.escalation_level = level
    actor = ("", "") if automatic else None
    entry = log_event(request, "escalated", public=False, text=reason, actor=actor,
                      level=level, automatic=automatic, people=list(people))
    notify_staff(request, "escalated", people, entry, level=str(level))
    _forget_cached_local_roles()
    _reindex_security(request)
    request.reindexObject()
    return True


# -- the sweep -----------------------------------------------------------------------------------


def _due(catalog, now, **query):
    return catalog.unrestrictedSearchResults(portal_type="ServiceRequest", **query)


def sweep(now=None):
    """Move time-driven SLA states and escalate; returns what it did. Each request is
    changed in a transaction of its own and re-checked inside it: running the sweep twice
    (or two sweeps at once) does each thing once."""
    from uni.servicedesk.api.transactions import committed

    calendar = working_calendar()
    now = _aware(now, calendar) or now_local(calendar)
    moment = DateTime(_naive(now, calendar).isoformat())
    catalog = api.portal.get_tool("portal_catalog")
    done = {"at_risk": 0, "overdue": 0, "first_response": 0}
    running = {"query": RUNNING_STATES}
    late = [b.getPath() for b in _due(catalog, now, review_state=running, sla_state=[ON_TIME, AT_RISK],
                                      due_date={"query": moment, "range": "max"})]
    risky = [b.getPath() for b in _due(catalog, now, review_state=running, sla_state=ON_TIME,
                                       sla_risk_at={"query": moment, "range": "max"})]
    silent = [b.getPath() for b in _due(catalog, now, review_state=running,
                                        first_response_due={"query": moment, "range": "max"})]
    for path in late:
        done["overdue"] += committed(_mark, path, OVERDUE, now) or 0
    for path in risky:
        done["at_risk"] += committed(_mark, path, AT_RISK, now) or 0
    for path in silent:
        done["first_response"] += committed(_no_first_response, path, now) or 0
    return done


def _fresh(path):
    portal = api.portal.get()
    return portal.unrestrictedTraverse(path, None)


def _mark(path, new_state, now):
    from uni.servicedesk.api.notify import handlers
    from uni.servicedesk.api.notify import notify_staff

    request = _fresh(path)
    if request is None or request.sla_state in (new_state, PAUSED, MET, MISSED):
        return 0
    if request.sla_state == OVERDUE:
        return 0
    if current_state(request, now) not in (new_state, OVERDUE):
        return 0  # the due date moved (a pause ended) since the catalog was read
    request.sla_state = new_state
    if new_state == OVERDUE:
        notify_staff(request, "overdue", handlers(request), {"actor": ""})
        escalate(request, _reason(new_state), to_level=2, automatic=True)
    else:
        escalate(request, _reason(new_state), to_level=1, automatic=True)
    request.reindexObject(idxs=["sla_state", "escalation_level"])
    return 1


def _no_first_response(path, now):
    request = _fresh(path)
    if request is None or first_response_pending(request) is None:
        return 0
    request.first_response_escalated = True
    escalate(request, _reason("first_response"), to_level=1, automatic=True)
    request.reindexObject(idxs=["first_response_due"])
    return 1


def _reason(kind):
    from zope.i18n import translate

    text = {
        AT_RISK: _("Most of the time for this request has passed."),
        OVERDUE: _("The due date has passed."),
        "first_response": _("The applicant had no first answer in time."),
    }[kind]
    return translate(text, target_language=api.portal.get_default_language() or "fa")


_last_sweeps = {}  # site path -> when this process last swept it


def sweep_site(portal, force=False):
    """The worker's call: sweep a site if its interval has passed (per process; another
    instance sweeping too is harmless, see ``sweep``)."""
    import time
    import transaction
    from zope.component.hooks import getSite
    from zope.component.hooks import setSite

    previous = getSite()
    setSite(portal)
    try:
        key = "/".join(portal.getPhysicalPath())
        interval = (setting("sweep_minutes", 5) or 5) * 60
        if not force and time.time() - _last_sweeps.get(key, 0) < interval:
            return None
        _last_sweeps[key] = time.time()
        transaction.begin()
        done = sweep()
        if any(done.values()):
            logger.info("SLA sweep of %s: %s", key, done)
        return done
    finally:
        transaction.abort()
        setSite(previous)
