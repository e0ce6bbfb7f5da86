"""Escalation, and the sweep that moves service levels with time.

Escalation levels: 0 the expert or unit handling it, 1 the unit's head, 2 the
supervisors, 3 management — who sits at each level is set per unit in the SLA control
panel. Being at risk or late for the first response escalates to level 1, being overdue
to level 2; supervisors escalate by hand too. Every escalation is on the timeline (an
internal entry: notifications tell the people of the new level).

The sweep (``sweep``) is a periodic job run by the scheduler every few minutes and from
cron; it is idempotent: a request escalated for being overdue is not escalated again.
"""

from AccessControl import Unauthorized
from DateTime import DateTime
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api.events import SLAStateChanged
from uni.servicedesk.api.requests.records import PORTAL_TYPE
from uni.servicedesk.api.requests.records import grant_handler
from uni.servicedesk.api.requests.records import handlers
from uni.servicedesk.api.requests.records import roles_changed
from uni.servicedesk.api.requests.timeline import log_event
from uni.servicedesk.api.sla.clock import AT_RISK
from uni.servicedesk.api.sla.clock import LEVELS
from uni.servicedesk.api.sla.clock import MET
from uni.servicedesk.api.sla.clock import MISSED
from uni.servicedesk.api.sla.clock import ON_TIME
from uni.servicedesk.api.sla.clock import OVERDUE
from uni.servicedesk.api.sla.clock import PAUSED
from uni.servicedesk.api.sla.clock import RUNNING_STATES
from uni.servicedesk.api.sla.clock import aware
from uni.servicedesk.api.sla.clock import current_state
from uni.servicedesk.api.sla.clock import first_response_pending
from uni.servicedesk.api.sla.clock import naive
from uni.servicedesk.api.sla.clock import now_local
from uni.servicedesk.api.sla.clock import setting
from uni.servicedesk.api.sla.clock import working_calendar
from uni.servicedesk.api.transactions import committed
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.vocabularies import ORG_UNIT_PREFIX
from uni.servicedesk.vocabularies import InvalidRows
from zope.event import notify
from zope.i18n import translate

import logging

logger = logging.getLogger("uni.servicedesk.sla")
ESCALATE = "uni.servicedesk: Escalate request"
SUPERVISOR_ROLE = "Service Desk Supervisor"
MANAGEMENT_ROLE = "Site Administrator"
ESCALATION_RECORD = "uni.servicedesk.sla.escalation_levels"
ANY_UNIT = "*"
LEVEL_COLUMNS = {1: "head", 2: "supervisors", 3: "managers"}


def escalation_table():
    """{unit or "*": {level: [user ids]}} from the control panel's rows ``{"unit", "head",
    "supervisors", "managers"}`` (see ``interfaces.ESCALATION_ROWS``). The one reader of
    this setting."""
    table = {}
    for row in api.portal.get_registry_record(ESCALATION_RECORD, default=None) or ():
        if row.get("unit"):
            table[row["unit"]] = {
                level: list(row.get(column) or ()) for level, column in LEVEL_COLUMNS.items()
            }
    return table


def is_escalation_unit(unit):
    """``*`` (every other unit) or the id of an organisational unit (a ``unit-…`` group)."""
    return unit == ANY_UNIT or (
        (unit or "").startswith(ORG_UNIT_PREFIX) and api.group.get(groupname=unit) is not None
    )


def check_unit(unit):
    if not is_escalation_unit(unit):
        raise InvalidRows(
            _(
                "${unit} is not a unit: write the id of a unit-… group, or * for every other unit.",
                mapping={"unit": unit or ""},
            )
        )
    return True


def check_users(user_ids):
    unknown = [user_id for user_id in user_ids if api.user.get(userid=user_id) is None]
    if unknown:
        raise InvalidRows(_("There is no user ${ids}.", mapping={"ids": ", ".join(unknown)}))
    return True


def check_escalation(rows):
    """Escalation rows: a unit (or ``*``) once each, people who exist. Raises
    ``InvalidRows`` with a translatable message; rows that are not objects are left to the
    JSON schema."""
    seen = set()
    for row in rows if isinstance(rows, list) else ():
        if not isinstance(row, dict):
            continue
        unit = row.get("unit")
        check_unit(unit if isinstance(unit, str) else "")
        if unit in seen:
            raise InvalidRows(_("The unit ${unit} has more than one row.", mapping={"unit": unit}))
        seen.add(unit)
        for column in LEVEL_COLUMNS.values():
            people = row.get(column)
            if isinstance(people, list):
                check_users([p for p in people if isinstance(p, str)])
    return True


def users_with_role(role):
    """Ids of the users who hold ``role`` in the site, directly or through a group.

    Asked of the role manager (who was given the role) and of the groups' members: the
    cost is that of the people holding the role, not of every user of the site."""
    role_manager = api.portal.get_tool("acl_users").portal_role_manager
    found = []
    for principal_id, _title in role_manager.listAssignedPrincipals(role):
        group = api.group.get(groupname=principal_id)
        if group is not None:
            found.extend(u.getId() for u in api.user.get_users(group=group))
        elif api.user.get(userid=principal_id) is not None:
            found.append(principal_id)
    return list(dict.fromkeys(found))


def people_at(request, level):
    """Who sits at ``level`` for the request's unit (falling back to the "*" line, then to
    everyone with the supervisor role for 2 and site administrators for 3)."""
    if level == 0:
        return handlers(request)
    table = escalation_table()
    unit = request.referred_unit or request.target_unit or ""
    for key in (unit, "*"):
        people = table.get(key, {}).get(level)
        if people:
            return [u for u in people if api.user.get(userid=u) is not None]
    role = {2: SUPERVISOR_ROLE, 3: MANAGEMENT_ROLE}.get(level)
    if role is None:
        return people_at(request, 2)  # no unit head named: the supervisors
    return users_with_role(role)


def escalate(request, reason="", to_level=None, automatic=False):
    """One level up (or to ``to_level``): the people there may work the request, and the
    step is on the timeline (notifications tell them). Manual escalation needs
    *Escalate request*."""
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
        grant_handler(request, user_id)
    request.escalation_level = level
    actor = ("", "") if automatic else None
    log_event(
        request,
        "escalated",
        public=False,
        text=reason,
        actor=actor,
        level=level,
        automatic=automatic,
        people=list(people),
    )
    roles_changed(request)
    request.reindexObject()
    return True


# -- the sweep -----------------------------------------------------------------------------------


def _due(catalog, **query):
    return catalog.unrestrictedSearchResults(portal_type=PORTAL_TYPE, **query)


def sweep(now=None):
    """Move time-driven SLA states and escalate; returns what it did. Each request is
    changed in a transaction of its own and re-checked inside it: running the sweep twice
    (or two sweeps at once) does each thing once."""
    calendar = working_calendar()
    now = aware(now, calendar) or now_local(calendar)
    moment = DateTime(naive(now, calendar).isoformat())
    catalog = api.portal.get_tool("portal_catalog")
    done = {"at_risk": 0, "overdue": 0, "first_response": 0}
    running = {"query": RUNNING_STATES}
    late = [
        b.getPath()
        for b in _due(
            catalog,
            review_state=running,
            sla_state=[ON_TIME, AT_RISK],
            due_date={"query": moment, "range": "max"},
        )
    ]
    risky = [
        b.getPath()
        for b in _due(
            catalog,
            review_state=running,
            sla_state=ON_TIME,
            sla_risk_at={"query": moment, "range": "max"},
        )
    ]
    silent = [
        b.getPath()
        for b in _due(
            catalog, review_state=running, first_response_due={"query": moment, "range": "max"}
        )
    ]
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
    request = _fresh(path)
    if request is None or request.sla_state in (new_state, PAUSED, MET, MISSED):
        return 0
    if request.sla_state == OVERDUE:
        return 0
    if current_state(request, now) not in (new_state, OVERDUE):
        return 0  # the due date moved (a pause ended) since the catalog was read
    old_state, request.sla_state = request.sla_state, new_state
    notify(SLAStateChanged(request, old_state, new_state))  # e.g. handlers told it is late
    escalate(request, _reason(new_state), to_level=2 if new_state == OVERDUE else 1, automatic=True)
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
    text = {
        AT_RISK: _("Most of the time for this request has passed."),
        OVERDUE: _("The due date has passed."),
        "first_response": _("The applicant had no first answer in time."),
    }[kind]
    return translate(text, target_language=api.portal.get_default_language() or "fa")


class SweepJob:
    """The sweep as a periodic job of the scheduler (another instance sweeping too is
    harmless, see ``sweep``)."""

    order = 10

    @property
    def interval(self):
        return (setting("sweep_minutes", 5) or 5) * 60

    def __call__(self, portal):
        done = sweep()
        if any(done.values()):
            logger.info("SLA sweep of %s: %s", "/".join(portal.getPhysicalPath()), done)
        return done
