"""Resolved requests close by themselves after a set number of working days.

A resolved request waits: its applicant may reopen it (for ``reopen_days``) and a
supervisor may close it. When nobody does, it closes by itself at the end of the
``uni.servicedesk.autoclose_days``-th working day after the day it was resolved, counted on
the site's working calendar (weekly days off and holidays do not count; 0 = never). The
step is a workflow transition like any other, written on the timeline with a comment that
says why, and with no one as its actor: the system did it.

``close_resolved`` finds what is due with one catalog query (the state and the
``resolved_at`` date index), never by waking every request. Each request is closed in a
transaction of its own and checked again inside it, so that running it twice, or two runs
at once, closes each request once. It runs from cron (``scripts/autoclose.py``) or as a
periodic job (``AutoCloseJob``).
"""

from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.SpecialUsers import nobody
from DateTime import DateTime
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api import transactions
from uni.servicedesk.api.sla import calendar as business_time
from uni.servicedesk.api.sla.clock import aware as _aware
from uni.servicedesk.api.sla.clock import working_calendar
from uni.servicedesk.localization import localize_digits
from zope.i18n import translate

import contextlib
import datetime
import logging
from uni.servicedesk.api import requests as desk_api

logger = logging.getLogger("uni.servicedesk.autoclose")
SETTING = "uni.servicedesk.autoclose_days"
DEFAULT_DAYS = 7
INDEX = "resolved_at"
# Going back day by day from today to the last day whose requests are due: a calendar
# whose holidays leave no working day for longer than this is not a calendar.
MAX_DAYS_BACK = 5 * 366


def setting():
    """Working days a resolved request waits before it closes by itself; 0: never."""
    days = api.portal.get_registry_record(SETTING, default=DEFAULT_DAYS)
    return days if isinstance(days, int) and days > 0 else 0


def _now(now, calendar):
    return _aware(now, calendar) if now is not None else datetime.datetime.now(calendar.tz)


def _midnight(day, calendar):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=calendar.tz)


def closes_at(request, days=None, calendar=None):
    """When the resolved ``request`` closes by itself (an aware datetime), or None: not
    resolved, no resolution moment, or closing by itself is switched off."""
    days = setting() if days is None else days
    resolved = getattr(request, "resolved_at", None)
    if not days or resolved is None or api.content.get_state(request) != "resolved":
        return None
    calendar = calendar or working_calendar()
    return business_time.add_business_days(calendar, _aware(resolved, calendar), days)


def cutoff(now, days, calendar):
    """The end of the latest day whose resolved requests are due ``now`` (aware datetime).

    With one day or more, when a request closes depends on the day it was resolved, not the
    hour: the end of the ``days``-th working day after it. The due days are therefore every
    day up to a last one, found by going back from today.
    """
    day = now.astimezone(calendar.tz).date()
    for _step in range(MAX_DAYS_BACK):
        if business_time.add_business_days(calendar, _midnight(day, calendar), days) <= now:
            return _midnight(day + datetime.timedelta(days=1), calendar) - datetime.timedelta(
                microseconds=1
            )
        day -= datetime.timedelta(days=1)
    raise ValueError(f"no working day in the {MAX_DAYS_BACK} days before {now}")


def candidates(now=None, days=None):
    """Paths of the resolved requests that may be due (from the catalog alone)."""
    days = setting() if days is None else days
    catalog = api.portal.get_tool("portal_catalog")
    if not days:
        return []
    if INDEX not in catalog.indexes():
        logger.warning("No %s index: run the upgrade steps of uni.servicedesk.", INDEX)
        return []
    calendar = working_calendar()
    last = cutoff(_now(now, calendar), days, calendar)
    brains = catalog.unrestrictedSearchResults(
        portal_type="ServiceRequest",
        review_state="resolved",
        resolved_at={"query": DateTime(last.isoformat()), "range": "max"},
    )
    return [brain.getPath() for brain in brains]


@contextlib.contextmanager
def as_system():
    """Act as nobody in particular with a manager's rights: steps taken here are written on
    the timeline with no actor (the system), not in the name of whoever runs the job."""
    previous = getSecurityManager()
    newSecurityManager(None, nobody)
    try:
        with api.env.adopt_roles(["Manager"]):
            yield
    finally:
        setSecurityManager(previous)


def reason(days):
    """The step's comment, in the site's language (the timeline keeps it as text)."""
    language = (api.portal.get_default_language() or "fa").split("-")[0]
    text = _(
        "Closed automatically ${days} working days after it was resolved.",
        mapping={"days": localize_digits(days, language)},
    )
    return translate(text, target_language=language)


def _close(path, now, days):
    """Close one request if it is still resolved and due; 1 if closed, else 0."""
    request = api.portal.get().unrestrictedTraverse(path, None)
    if request is None:
        return 0
    calendar = working_calendar()
    with as_system():
        due = closes_at(request, days, calendar)
        if due is None or _now(now, calendar) < due:
            return 0  # reopened, closed by someone, or resolved again since the search
        desk_api.transition(request, "close", reason(days))
    return 1


def close_resolved(now=None):
    """Close every resolved request whose time has come; returns how many were closed.

    ``now`` (a datetime; naive ones are the site's local time) is for tests and catching
    up. Each request is closed and committed on its own (``transactions.committed``); one
    that fails is logged and left for the next run.
    """
    days = setting()
    closed = 0
    for path in candidates(now, days):
        try:
            closed += transactions.committed(_close, path, now, days) or 0
        except Exception:
            logger.exception("Could not close %s by itself", path)
    if closed:
        logger.info("Closed %d resolved request(s) after %d working days.", closed, days)
    return closed


class AutoCloseJob:
    """Closing by itself as a periodic job of the scheduler (hourly: the moment a request
    is due is the end of a working day)."""

    order = 12
    interval = 3600

    def __call__(self, portal):
        return close_resolved()
