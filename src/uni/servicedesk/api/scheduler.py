"""One scheduler for the desk's periodic jobs: delivery of notifications, digests, the SLA
sweep (and later retention, auto-closing…).

Jobs are named ``IPeriodicJob`` utilities (registered in ZCML by the capability that owns
them); the scheduler knows none of them. A thread inside the server runs a pass every few
seconds, and at once when a transaction that queued messages commits
(``wake_after_commit``): each pass opens its own connection and, on every Plone site with
a service desk, runs each job whose interval has passed, in the order of their ``order``
(then name). Cron runs the same passes with ``bin/instance run scripts/run_jobs.py``.
"""

from Products.CMFPlone.interfaces import IPloneSiteRoot
from Testing.makerequest import makerequest
from uni.servicedesk.api.events import IPeriodicJob
from uni.servicedesk.api.notifications.outbox import get_outbox
from zope.component import getUtilitiesFor
from zope.component.hooks import getSite
from zope.component.hooks import setSite

import logging
import os
import threading
import time
import transaction
import uuid
import Zope2

logger = logging.getLogger("uni.servicedesk.scheduler")

_WAKE_HOOK = object()
_running = []  # schedulers running in this process, woken after a commit that queued messages


def wake_after_commit():
    """Ask this process's schedulers to run a pass once this transaction commits."""
    txn = transaction.get()
    try:
        txn.data(_WAKE_HOOK)
        return  # once per transaction
    except KeyError:
        txn.set_data(_WAKE_HOOK, True)
    txn.addAfterCommitHook(lambda ok: ok and [s.wake() for s in list(_running)])


def sites(app):
    """The Plone sites with a service desk (those with an outbox)."""
    return [
        obj
        for obj in app.objectValues()
        if IPloneSiteRoot.providedBy(obj) and get_outbox(obj, create=False) is not None
    ]


def jobs():
    """(name, job) of every periodic job, in the order they run."""
    found = list(getUtilitiesFor(IPeriodicJob))
    return sorted(found, key=lambda item: (getattr(item[1], "order", 100), item[0]))


def _interval(job):
    interval = getattr(job, "interval", 0)
    return interval() if callable(interval) else (interval or 0)


class Scheduler(threading.Thread):
    """Runs the periodic jobs of every site in ``db`` until stopped."""

    def __init__(self, db, interval=10.0, name=None):
        super().__init__(name=name or "uni.servicedesk scheduler", daemon=True)
        self.db = db
        self.interval = interval
        self.worker_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._last_runs = {}  # (site path, job name) -> when this scheduler last ran it
        self.passes = 0

    def wake(self):
        self._wake.set()

    def stop(self, wait=True):
        self._stopping.set()
        self._wake.set()
        if wait and self.is_alive():
            self.join(30)

    def start(self):
        _running.append(self)
        super().start()

    def run(self):
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                try:
                    self.run_once()
                except Exception:
                    logger.exception("scheduler pass failed")
                self._wake.wait(self.interval)
        finally:
            if self in _running:
                _running.remove(self)

    def run_once(self, force=False):
        """One pass over every site; returns {job name: what it returned} summed over
        sites where the results are numbers (the count of messages sent for delivery)."""
        results = {}
        connection = self.db.open()
        try:
            app = makerequest(connection.root()["Application"])
            for portal in sites(app):
                if self._stopping.is_set():
                    break
                for name, result in self.run_jobs(portal, force).items():
                    if isinstance(result, int) and not isinstance(result, bool):
                        results[name] = results.get(name, 0) + result
                    else:
                        results.setdefault(name, result)
        finally:
            transaction.abort()
            connection.close()
            self.passes += 1
        return results

    def run_jobs(self, portal, force=False):
        """The jobs due on ``portal``; one failing does not stop the others."""
        done = {}
        key = "/".join(portal.getPhysicalPath())
        previous = getSite()
        setSite(portal)
        try:
            for name, job in jobs():
                if not force and time.time() - self._last_runs.get((key, name), 0) < _interval(job):
                    continue
                self._last_runs[(key, name)] = time.time()
                transaction.begin()
                try:
                    done[name] = job(portal)
                except Exception:
                    logger.exception("job %s on %s failed", name, key)
                finally:
                    transaction.abort()
        finally:
            setSite(previous)
        return done


def start_on_process_start(event):
    """Start a scheduler when Zope serves (not in scripts): ``SERVICEDESK_OUTBOX_WORKER=off``
    turns it off, e.g. on instances that should only serve pages."""
    if os.environ.get("SERVICEDESK_OUTBOX_WORKER", "on").lower() in ("off", "0", "false", "no"):
        return
    interval = float(os.environ.get("SERVICEDESK_OUTBOX_INTERVAL", "10"))
    Scheduler(Zope2.DB, interval=interval).start()
    logger.info("scheduler started (every %s s and after each commit)", interval)
