"""The cartable (کارتابل): the requests a staff member works, in tabs, from the catalog.

Every tab is a catalog query for the current user, searched with the catalog's security
(``allowedRolesAndUsers``): an expert finds only what was referred to them or to their
unit, whatever the query says. Filters narrow a tab; a page is 20 catalog brains, never
objects. The page (``@@cartable``) and the REST endpoint (``@cartable``) call these
functions; bulk actions go, request by request, through ``uni.servicedesk.api.requests``,
which checks the permissions on each request.

Cost does not grow with the archive: a tab's matching records are found by intersecting
index sets (in C), counted with ``len``, and only the records of the page asked for are
put in order — by walking the sort index from its newest (or soonest) end when the tab is
large, by a bounded heap when it is small (``_in_order``).
"""

from AccessControl import getSecurityManager
from AccessControl import Unauthorized
from BTrees.IIBTree import difference
from BTrees.IIBTree import IISet
from BTrees.IIBTree import IITreeSet
from BTrees.IIBTree import intersection
from BTrees.IIBTree import multiunion
from DateTime import DateTime
from persiantools.jdatetime import JalaliDate
from plone import api
from plone.batching import Batch
from Products.CMFCore.WorkflowCore import WorkflowException
from uni.servicedesk import _
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import tracking
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.localization import normalize_digits
from uni.servicedesk.vocabularies import ORG_UNIT_PREFIX
from uni.servicedesk.vocabularies import request_channels_vocabulary
from zope.i18nmessageid import MessageFactory
from ZTUtils.Lazy import LazyMap

import datetime
import heapq
import re
import transaction

PMF = MessageFactory("plone")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
BULK_LIMIT = 200
AGENT_ROLE = "Service Desk Agent"
# Global roles that make a user staff: experts, supervisors, the site's managers.
STAFF_ROLES = (AGENT_ROLE, "Service Desk Supervisor", "Manager", "Site Administrator")

MINE, UNIT, UNASSIGNED, SLA, AWAITING = "mine", "unit", "unassigned", "sla", "awaiting"
RESOLVED = "resolved"
TABS = (MINE, UNIT, UNASSIGNED, SLA, AWAITING, RESOLVED)
SUPERVISOR_TABS = (UNASSIGNED, RESOLVED)
TAB_TITLES = {
    MINE: _("Referred to me"),
    UNIT: _("My units"),
    UNASSIGNED: _("Not referred"),
    SLA: _("Overdue and at risk"),
    AWAITING: PMF("Awaiting the applicant"),  # the workflow state's own title
    RESOLVED: PMF("Resolved"),  # to be closed (by a supervisor, or by itself)
}
SLA_ALERT = ("at_risk", "overdue")
SLA_TITLES = {
    "on_time": _("On time"),
    "at_risk": _("At risk"),
    "overdue": _("Overdue"),
    "paused": _("Paused"),
    "met": _("Met"),
    "missed": _("Missed"),
}
STATES = desk_api.ACTIVE_STATES + ("resolved", "closed", "rejected", "withdrawn", "merged")
PRIORITIES = ("urgent", "high", "normal", "low")  # most pressing first
CHANNELS = tuple(term.value for term in request_channels_vocabulary(None))

# sort name -> (index, newest/most pressing first by default)
SORTS = {"created": ("created", True), "due_date": ("due_date", False), "priority": (None, True)}
ORDERS = ("asc", "desc")

# Bulk actions: each one request at a time through the domain API.
BULK_ACTIONS = {
    "refer": None,  # needs the unit and/or expert: see ``bulk``
    "start": lambda request, note: desk_api.transition(request, "start", note),
    "resume": lambda request, note: desk_api.transition(request, "resume", note),
    "resolve": lambda request, note: desk_api.resolve(request, note),
    "close": lambda request, note: desk_api.transition(request, "close", note),
    "reject": lambda request, note: desk_api.transition(request, "reject", note),
    "hand_back": lambda request, note: desk_api.hand_back(request, note),
}
# The workflow's own transition titles (translated in the plone domain, like the states).
BULK_TITLES = {
    "refer": PMF("Refer"),
    "start": PMF("Start work"),
    "resume": PMF("Resume"),
    "resolve": PMF("Resolve"),
    "close": PMF("Close"),
    "reject": PMF("Reject"),
    "hand_back": PMF("Hand back"),
}
DONE, REFUSED = "done", "refused"


class FilterError(ValueError):
    """Bad filter, sort or batch values; ``errors`` maps each field to a message."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


# -- who sees what -----------------------------------------------------------------------


class Staff:
    """Who asks, worked out once per call from the logged-in user (no user lookups: the
    roles and groups came with the login): their id, whether they are staff, supervisor,
    and their units (groups ``unit-…``). The catalog's security is always the logged-in
    user's: a cartable is only ever the current user's."""

    def __init__(self):
        user = getSecurityManager().getUser()
        self.id = None if user is None or api.user.is_anonymous() else user.getId()
        if self.id is None:
            self.roles, self.units, self.supervisor = frozenset(), [], False
        else:
            self.roles = frozenset(user.getRoles())
            groups = user.getGroups() if hasattr(user, "getGroups") else ()
            self.units = sorted(g for g in groups if g.startswith(ORG_UNIT_PREFIX))
            # Supervisors (and managers) refer requests: they hold the permission site-wide.
            self.supervisor = bool(
                getSecurityManager().checkPermission(desk_api.REFER, api.portal.get())
            )
        self.staff = self.supervisor or bool(self.roles & set(STAFF_ROLES))


def _who(who=None):
    return who if who is not None else Staff()


def is_supervisor(who=None):
    return _who(who).supervisor


def is_staff(who=None):
    return _who(who).staff


def check_staff(who=None):
    who = _who(who)
    if not who.staff:
        raise Unauthorized("the cartable is for service desk staff")
    return who


def units_of(who=None):
    """The org units (groups ``unit-…``) the user belongs to."""
    return list(_who(who).units)


def tabs(who=None):
    """The tabs this user has, in order (only supervisors see the unreferred requests and
    the resolved ones they close)."""
    supervisor = is_supervisor(who)
    return [tab for tab in TABS if tab not in SUPERVISOR_TABS or supervisor]


def default_tab(who=None):
    """Supervisors start where requests wait to be referred; experts with their own."""
    return UNASSIGNED if is_supervisor(who) else MINE


def tab_queries(tab, who=None):
    """The catalog queries whose union is ``tab`` for the user; [] when it is empty.

    Searched with the catalog's security, so an expert's sla/awaiting tabs hold only the
    requests referred to them or to their units; a supervisor's hold every request.
    """
    who = check_staff(who)
    active = list(desk_api.ACTIVE_STATES)
    base = {"portal_type": "ServiceRequest"}
    if tab == MINE:
        return [dict(base, referred_expert=who.id, review_state=active)]
    if tab == UNIT:
        return [dict(base, referred_unit=who.units, review_state=active)] if who.units else []
    if tab == UNASSIGNED:
        if not who.supervisor:
            raise Unauthorized("only supervisors see the requests not referred yet")
        return [dict(base, review_state="submitted")]
    if tab == RESOLVED:
        if not who.supervisor:
            raise Unauthorized("only supervisors close resolved requests")
        return [dict(base, review_state="resolved")]
    if tab == SLA:
        return [dict(base, sla_state=list(SLA_ALERT), review_state=active)]
    if tab == AWAITING:
        waiting = dict(base, review_state="awaiting_applicant")
        if who.supervisor:
            return [waiting]
        queries = [dict(waiting, referred_expert=who.id)]
        if who.units:
            queries.append(dict(waiting, referred_unit=who.units))
        return queries
    raise FilterError({"tab": _("Choose a tab of the cartable.")})


# -- filters -----------------------------------------------------------------------------

JALALI_DATE = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")


def jalali_date(text):
    """``1405/09/01`` (any digits; / - or . between) -> a Gregorian date; ValueError if not.

    A year from 1700 on is taken as Gregorian (``2026-11-22``): the English pages show
    Gregorian dates, and no Jalali year in use is that large.
    """
    match = JALALI_DATE.match(normalize_digits(str(text)).strip())
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    if year >= 1700:
        return datetime.date(year, month, day)
    return JalaliDate(year, month, day).to_gregorian()


def _one(form, name):
    """A single text value of a form or a JSON object (the last one if several)."""
    value = form.get(name)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return normalize_digits(str(value)).strip() if value is not None else ""


def parse_filters(form):
    """The filters in ``form`` (a request's form or a JSON object), checked.

    Returns {name: value} of those given: kind, service (UID), state, priority, channel,
    created_from and created_to (Gregorian dates from Jalali ones). Raises
    ``FilterError`` naming every bad one.
    """
    filters, errors = {}, {}
    choices = {
        "kind": (desk_api.KINDS, _("Choose a kind from the list.")),
        "state": (STATES, _("Choose a status from the list.")),
        "priority": (PRIORITIES, _("Choose a priority from the list.")),
        "channel": (CHANNELS, _("Choose a channel from the list.")),
    }
    for name, (allowed, message) in choices.items():
        value = _one(form, name)
        if value:
            if value in allowed:
                filters[name] = value
            else:
                errors[name] = message
    service = _one(form, "service")
    if service:
        if _service_exists(service):
            filters["service"] = service
        else:
            errors["service"] = _("Choose a service from the list.")
    for name in ("created_from", "created_to"):
        value = _one(form, name)
        if value:
            try:
                filters[name] = jalali_date(value)
            except ValueError:
                errors[name] = _("Enter a date like 1405/09/01 (year/month/day).")
    if (
        filters.get("created_from")
        and filters.get("created_to")
        and filters["created_from"] > filters["created_to"]
    ):
        errors["created_to"] = _("The end of the period is before its start.")
    if errors:
        raise FilterError(errors)
    return filters


def _service_exists(uid):
    if not re.fullmatch(r"[0-9a-f]{32}", uid):
        return False
    catalog = api.portal.get_tool("portal_catalog")
    return bool(catalog.unrestrictedSearchResults(UID=uid, portal_type="Service"))


def filter_query(filters):
    """The catalog query of checked ``filters`` (see ``parse_filters``)."""
    query = {}
    for name, index in (
        ("kind", "request_kind"),
        ("service", "request_service"),
        ("priority", "request_priority"),
        ("channel", "request_channel"),
    ):
        if filters.get(name):
            query[index] = filters[name]
    start, end = filters.get("created_from"), filters.get("created_to")
    if start and end:
        query["created"] = {"query": (_day_start(start), _day_end(end)), "range": "min:max"}
    elif start:
        query["created"] = {"query": _day_start(start), "range": "min"}
    elif end:
        query["created"] = {"query": _day_end(end), "range": "max"}
    return query


def _day_start(day):
    return DateTime(f"{day.isoformat()} 00:00:00")


def _day_end(day):
    return DateTime(f"{day.isoformat()} 23:59:59")


def _narrowed(query, filters, filter_part):
    """``query`` with the filters; None when the state filter rules the whole tab out."""
    query = dict(query, **filter_part)
    state = filters.get("state")
    if state:
        states = query.get("review_state")
        states = [states] if isinstance(states, str) else list(states or STATES)
        if state not in states:
            return None
        query["review_state"] = state
    return query


# -- searching ---------------------------------------------------------------------------


def _catalog():
    return api.portal.get_tool("portal_catalog")


def _rids(catalog, query):
    """The catalog record ids matching ``query`` with the user's security — a set of ints.

    Unsorted and unbatched the catalog hands back a lazy map over exactly these ids;
    nothing is sorted and no brain is made. Requests have no publication dates, so the
    effective-range check (a cost over every request) is left out.
    """
    lazy = catalog.searchResults(query, show_inactive=True)
    if not len(lazy):
        return IISet()
    rids = getattr(lazy, "_seq", None)
    if isinstance(rids, (IISet, IITreeSet)):
        return rids
    if rids is None:  # not the catalog's plain lazy map: fall back on the brains
        return IISet(brain.getRID() for brain in lazy)
    return IISet(rids)


def _queries(tab, filters, who):
    part = filter_query(filters)
    queries = [_narrowed(query, filters, part) for query in tab_queries(tab, who)]
    return [query for query in queries if query is not None]


def matching(tab, filters=None, who=None):
    """The record ids in ``tab`` (with ``filters``) for the user."""
    catalog = _catalog()
    found = [_rids(catalog, query) for query in _queries(tab, filters or {}, who)]
    if not found:
        return IISet()
    return found[0] if len(found) == 1 else multiunion(found)


def count(tab, filters=None, who=None):
    """How many requests ``tab`` holds: the length of the lazy result, no set made."""
    queries = _queries(tab, filters or {}, who)
    if len(queries) == 1:
        return len(_catalog().searchResults(queries[0], show_inactive=True))
    return len(matching(tab, filters, who))  # several queries: count each request once


def counts(who=None, filters=None, known=None):
    """{tab: number of requests} for the user's tabs (the filters, if given, applied).

    ``known``: counts already had with the same filters (a listing's total) — not asked
    for again."""
    who = check_staff(who)
    known = known or {}
    return {tab: known[tab] if tab in known else count(tab, filters, who) for tab in tabs(who)}


class Listing:
    """One page of a tab: ``brains`` (a lazy sequence of this page's catalog brains that
    knows the whole tab's length, as a batched catalog search does), and how it was asked."""

    def __init__(self, tab, filters, sort, order, b_start, b_size, brains, total):
        self.tab, self.filters, self.sort, self.order = tab, filters, sort, order
        self.b_start, self.b_size, self.brains, self.total = b_start, b_size, brains, total

    def batch(self):
        return Batch(self.brains, self.b_size, self.b_start)

    def __iter__(self):
        return iter(self.brains)

    def __len__(self):
        return self.total


def check_sort(sort, order):
    """(sort, descending) from what was asked; FilterError if unknown."""
    sort = sort or "created"
    if sort not in SORTS:
        raise FilterError({"sort": _("Sort by registration date, due date or priority.")})
    if order and order not in ORDERS:
        raise FilterError({"order": _("Sort in ascending or descending order.")})
    descending = SORTS[sort][1] if not order else order == "desc"
    return sort, descending


def check_batch(b_start, b_size):
    errors = {}
    try:
        b_start = int(normalize_digits(str(b_start or 0)))
        if b_start < 0:
            raise ValueError(b_start)
    except ValueError:
        errors["b_start"] = _("The page asked for does not exist.")
    try:
        b_size = int(normalize_digits(str(b_size or PAGE_SIZE)))
        if not 1 <= b_size <= MAX_PAGE_SIZE:
            raise ValueError(b_size)
    except ValueError:
        errors["b_size"] = _("Ask for 1 to 100 requests a page.")
    if errors:
        raise FilterError(errors)
    return b_start, b_size


def search(
    tab=MINE, filters=None, sort="created", order=None, b_start=0, b_size=PAGE_SIZE, who=None
):
    """One page of ``tab`` for the user, as catalog brains (see ``Listing``).

    ``filters`` are checked ones (``parse_filters``); ``sort`` is created (newest first by
    default), due_date (soonest first) or priority (most pressing first, then newest);
    ``order`` "asc"/"desc" turns it round. Raises ``FilterError`` for bad values and
    ``Unauthorized`` for a tab the user may not see.
    """
    filters = filters or {}
    who = _who(who)
    sort, descending = check_sort(sort, order)
    b_start, b_size = check_batch(b_start, b_size)
    catalog = _catalog()
    rids = matching(tab, filters, who)
    total = len(rids)
    want = b_start + b_size
    if b_start >= total:
        page = []
    elif sort == "priority":
        page = _by_priority(catalog, rids, descending, want)[b_start:want]
    else:
        page = _in_order(catalog, rids, SORTS[sort][0], descending, want)[b_start:want]
    brains = LazyMap(catalog._catalog.__getitem__, page, len(page), actual_result_count=total)
    return Listing(
        tab, filters, sort, "desc" if descending else "asc", b_start, b_size, brains, total
    )


def _in_order(catalog, rids, index_name, descending, want):
    """The first ``want`` of ``rids`` in the order of a date index (ties by record id);
    records the index lacks (no due date) come last.

    A large set is found by walking the index from the end wanted until ``want`` records
    of the set are met: the work is ``want`` times the share of the archive the set is, not
    the archive. A small set (or one whose records lie far from that end: the walk gives
    up after as many steps as the set has records) is put in order by a bounded heap over
    its own records only.
    """
    count = len(rids)
    if not count or want <= 0:
        return []
    index = catalog._catalog.getIndex(index_name)
    indexed = index.numObjects() or 1
    if count * count > want * indexed:  # a walk is expected to be the cheaper
        found = _walk(index, rids, descending, want, budget=count)
        if found is not None:
            return found
    keys = index.documentToKeyMap()
    get = keys.get
    if descending:
        return heapq.nlargest(
            want, rids, key=lambda rid: (1, get(rid), rid) if rid in keys else (0, 0, rid)
        )
    return heapq.nsmallest(
        want, rids, key=lambda rid: (0, get(rid), rid) if rid in keys else (1, 0, rid)
    )


def _walk(index, rids, descending, want, budget):
    """Walk the index's keys from the end; None when it takes more than ``budget`` steps or
    runs out of keys before finding ``want`` records (the heap then does it)."""
    found = []
    items = index._index.items()
    for step, (key, documents) in enumerate(reversed(items) if descending else items):
        if step > budget:
            return None
        if isinstance(documents, int):
            if documents in rids:
                found.append(documents)
        else:
            hits = list(intersection(rids, documents))
            if descending:
                hits.reverse()
            found.extend(hits)
        if len(found) >= want:
            return found
    return None


def _by_priority(catalog, rids, descending, want):
    """Most pressing first (urgent, high, normal, low), newest first within a priority;
    ``descending`` False turns the priorities round (still newest first within each)."""
    index = catalog._catalog.getIndex("request_priority")
    order = PRIORITIES if descending else tuple(reversed(PRIORITIES))
    found, parts = [], []
    for priority in order:
        documents = index._index.get(priority)
        if documents is None:
            continue
        part = intersection(rids, IISet([documents]) if isinstance(documents, int) else documents)
        parts.append(part)
        if part:
            found.extend(_in_order(catalog, part, "created", True, want - len(found)))
        if len(found) >= want:
            return found
    rest = difference(rids, multiunion(parts)) if parts else rids  # no priority: last
    if rest:
        found.extend(_in_order(catalog, rest, "created", True, want - len(found)))
    return found


# -- what a row shows (REST; the page formats the same brains itself) ---------------------


def item(brain):
    """A plain dict of a brain's metadata (no object is woken)."""
    due = brain.due_date
    return {
        "@id": brain.getURL(),
        "tracking_code": brain.tracking_code,
        "subject": brain.subject,
        "applicant_name": brain.applicant_name,
        "kind": brain.kind,
        "review_state": brain.review_state,
        "priority": brain.priority,
        "channel": brain.channel,
        "created": brain.created.ISO8601() if brain.created else None,
        "due_date": due.isoformat()
        if hasattr(due, "isoformat")
        else (due.ISO8601() if due else None),
        "sla_state": brain.sla_state,
        "escalation_level": brain.escalation_level,
        "referred_unit": brain.referred_unit,
        "referred_expert": brain.referred_expert,
    }


# -- bulk actions ------------------------------------------------------------------------


def check_codes(codes):
    """The tracking codes as given (duplicates dropped, order kept); FilterError if none or
    too many."""
    if isinstance(codes, str):
        codes = [codes]
    unique, keys = [], set()
    for code in codes or ():
        code = normalize_digits(str(code)).strip()
        key = tracking.normalize_code(code) or code  # the same code typed twice: once
        if code and key not in keys:
            keys.add(key)
            unique.append(code)
    if not unique:
        raise FilterError({"codes": _("Choose at least one request.")})
    if len(unique) > BULK_LIMIT:
        raise FilterError({
            "codes": _("Choose at most ${count} requests at once.", mapping={"count": BULK_LIMIT})
        })
    return unique


def bulk(codes, action, unit=None, expert=None, note="", who=None):
    """Do ``action`` on each request named by its tracking code; [{code, status, message}].

    Every request is done through the domain API, which checks the permission on it, in its
    own savepoint: a request is changed wholly or not at all, and one refused request does
    not stop the others. Referring in bulk is the supervisors' (an expert may pass on what
    was referred to them from the request's own page). Raises ``FilterError`` for a bad
    action, unit/expert or list of codes, ``Unauthorized`` for a user who may not do it.
    """
    who = check_staff(who)
    if action not in BULK_ACTIONS:
        raise FilterError({"action": _("Choose an action from the list.")})
    codes = check_codes(codes)
    note = str(note or "").strip()[:2000]
    if action == "refer":
        if not who.supervisor:
            raise Unauthorized("only supervisors refer requests in bulk")
        unit, expert = str(unit or "").strip() or None, str(expert or "").strip() or None
        if not unit and not expert:
            raise FilterError({"unit": _("Choose a unit or an expert.")})
        # The unit and expert are the same for every request: checked once, with the
        # domain API's own checks, so that a wrong one is one clear error.
        try:
            unit and desk_api.valid_unit(unit)
            expert and desk_api.valid_expert(expert)
        except InputError as error:
            raise FilterError({error.field: error.message})

        def act(request, note):
            desk_api.refer(request, unit=unit, expert=expert, note=note)

    else:
        act = BULK_ACTIONS[action]
    results = []
    for given in codes:
        code = tracking.normalize_code(given)
        request = desk_api.find_by_code(code) if code else None
        if request is None or not api.user.has_permission("View", obj=request):
            results.append(
                _result(given, REFUSED, _("No request you may see has this tracking code."))
            )
            continue
        savepoint = transaction.savepoint()
        try:
            act(request, note)
        except InputError as error:
            savepoint.rollback()
            results.append(_result(code, REFUSED, error.message))
        except (Unauthorized, WorkflowException):
            savepoint.rollback()
            results.append(_result(code, REFUSED, _("You may not do this on this request now.")))
        else:
            results.append(_result(code, DONE, _("Done.")))
    return results


def _result(code, status, message):
    return {"code": code, "status": status, "message": message}
