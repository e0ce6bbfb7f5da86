"""Retention: requests that ended (closed, rejected, withdrawn) more than
``uni.servicedesk.privacy.retention_years`` years ago are anonymised (0: kept for ever).

When a request reaches one of those states its timeline says so; ``on_timeline`` keeps
that moment on the request (``ended_at``) and in a date index of the same name, which
holds only requests that ended and are not anonymised yet: the job's one query finds
exactly those due, whatever the size of the archive. Each is anonymised in a transaction
of its own, checked again inside it, as the system (no one's name on the timeline); a run
that anonymised anything leaves one entry in the erasure log. It runs as a periodic job
(``RetentionJob``) and from cron (``scripts/retention.py``).
"""

from DateTime import DateTime
from plone import api
from plone.indexer import indexer
from uni.servicedesk.api import transactions
from uni.servicedesk.api.privacy import audit
from uni.servicedesk.api.privacy import anonymise
from uni.servicedesk.api.requests import PORTAL_TYPE
from uni.servicedesk.api.requests import state
from uni.servicedesk.api.sla.autoclose import as_system
from uni.servicedesk.content.service_request import IServiceRequest

import datetime
import logging

logger = logging.getLogger("uni.servicedesk.retention")
SETTING = "uni.servicedesk.privacy.retention_years"
INDEX = "ended_at"
END_STATES = ("closed", "rejected", "withdrawn")


def setting():
    """Years an ended request keeps its personal data; 0: for ever."""
    years = api.portal.get_registry_record(SETTING, default=0)
    return years if isinstance(years, int) and years > 0 else 0


def on_timeline(request, event):
    """Subscriber: a request that reaches an end state ended then; one that leaves it
    (reopened) has not ended."""
    entry = event.entry
    if entry.get("event") != "transition":
        return
    ended = entry["when"] if entry.get("to_state") in END_STATES else None
    if getattr(request, "ended_at", None) != ended:
        request.ended_at = ended
        request.reindexObject(idxs=[INDEX])


@indexer(IServiceRequest)
def request_ended_at(obj):
    """For the index: when it ended, while it still holds personal data."""
    if getattr(obj, "anonymised_at", None) is not None:
        return None
    return getattr(obj, "ended_at", None)


def cutoff(years, now=None):
    """The same moment ``years`` years before ``now`` (29 February: the 28th)."""
    now = now or datetime.datetime.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _due(request, last):
    ended = getattr(request, "ended_at", None)
    return (
        ended is not None
        and getattr(request, "anonymised_at", None) is None
        and state(request) in END_STATES
        and ended <= last
    )


def candidates(years, now=None):
    """Paths of the requests due (from the catalog alone)."""
    catalog = api.portal.get_tool("portal_catalog")
    if not years or INDEX not in catalog.indexes():
        return []
    last = DateTime(cutoff(years, now).isoformat())
    brains = catalog.unrestrictedSearchResults(
        portal_type=PORTAL_TYPE, review_state=END_STATES, ended_at={"query": last, "range": "max"}
    )
    return [brain.getPath() for brain in brains]


def _anonymise(path, years, now):
    request = api.portal.get().unrestrictedTraverse(path, None)
    if request is None:
        return None
    with as_system():
        if not _due(request, DateTime(cutoff(years, now).isoformat())):
            return None  # reopened or anonymised since the search
        values = anonymise.personal_values([request])
        files = anonymise.anonymise_request(request, values)
        messages = anonymise.erase_messages(request.tracking_code, values)
    return files, messages


def anonymise_expired(now=None):
    """Anonymise every request whose time has come; returns how many. ``now`` (a naive
    local datetime) is for tests and catching up."""
    years = setting()
    done = files = messages = 0
    for path in candidates(years, now):
        try:
            result = transactions.committed(_anonymise, path, years, now)
        except Exception:
            logger.exception("Could not anonymise %s", path)
            continue
        if result is not None:
            done += 1
            files += result[0]
            messages += result[1]
    if done:
        counts = {
            "requests": done,
            "bookings": 0,
            "messages": messages,
            "files": files,
            "years": years,
        }

        def log():
            with as_system():
                audit.log_erasure("retention", counts)

        transactions.committed(log)
        logger.info("Anonymised %d request(s) that ended more than %d years ago.", done, years)
    return done


class RetentionJob:
    """Retention as a periodic job of the scheduler (hourly; one query when nothing is due)."""

    order = 14
    interval = 3600

    def __call__(self, portal):
        return anonymise_expired()
