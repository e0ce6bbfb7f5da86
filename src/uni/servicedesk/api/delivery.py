"""Sending the outbox: after commit, by a worker thread inside the server (or from cron).

The same thread runs the SLA sweep of each site every few minutes (``sla.sweep_site``).

``deliver_due(portal)`` is one pass over a site: claim due messages (a transaction of
its own: two workers claiming one message conflict, one of them gives way), send each
outside any transaction (a hanging SMTP server or SMS provider holds only this thread,
never a request of the desk), record the outcome (sent, retry later with exponential
backoff, or dead letter). ``OutboxWorker`` runs passes on every Plone site of the
database every few seconds, and at once when a transaction that queued messages commits.

A message whose worker died after claiming it is claimed again when the lease runs out.
A worker that dies after sending but before recording it would send again then; the
message id goes with the message (Message-ID header, the SMS provider's idempotency key
where it has one) so that this window, not closable with any outbox, stays harmless.
"""
from email.message import EmailMessage
from email.utils import formataddr
from email.utils import formatdate
from plone import api
from Products.CMFPlone.interfaces import IPloneSiteRoot
from uni.servicedesk.api import outbox as outbox_api
from uni.servicedesk.api import sla
from uni.servicedesk.api.transactions import committed
from zope.component import queryUtility
from zope.component.hooks import getSite
from zope.component.hooks import setSite

import logging
import os
import threading
import time
import transaction
import uuid

logger = logging.getLogger("uni.servicedesk.outbox")
SETTINGS = "uni.servicedesk.notifications."
SECRETS_KEY = "uni.servicedesk.secrets"


class DeliveryError(Exception):
    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


def setting(name, default=None):
    return api.portal.get_registry_record(SETTINGS + name, default=default)


# -- secrets: kept in the site's annotations, never in the registry (which REST reads) --


def secrets(portal=None):
    from zope.annotation.interfaces import IAnnotations

    portal = portal if portal is not None else api.portal.get()
    return dict(IAnnotations(portal).get(SECRETS_KEY, {}))


def set_secret(name, value, portal=None):
    from persistent.mapping import PersistentMapping
    from zope.annotation.interfaces import IAnnotations

    portal = portal if portal is not None else api.portal.get()
    annotations = IAnnotations(portal)
    stored = annotations.get(SECRETS_KEY)
    if stored is None:
        stored = annotations[SECRETS_KEY] = PersistentMapping()
    if value:
        stored[name] = value
    else:
        stored.pop(name, None)


# -- sending one message --------------------------------------------------------------


def _send_email(portal, message):
    sender = api.portal.get_registry_record("plone.email_from_address", default="")
    if not sender:
        raise DeliveryError("no sender address: set it in the mail control panel", permanent=True)
    name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    mail = EmailMessage()
    mail["From"] = formataddr((name, sender))
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = f"<{message.id}@uni.servicedesk>"
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    try:
        portal.MailHost.send(mail, immediate=True)
    except Exception as error:  # smtplib, socket and MailHost errors alike
        code = getattr(error, "smtp_code", 0) or 0
        # 5xx from the server (bad address, refused) will not get better by waiting.
        raise DeliveryError(f"{type(error).__name__}: {error}", permanent=500 <= code < 600) from None
    return message.id


def _send_sms(portal, message):
    from uni.servicedesk.channels.sms import ISMSGateway
    from uni.servicedesk.channels.sms import SMSError

    name = setting("sms_gateway", "log") or "log"
    gateway = queryUtility(ISMSGateway, name=name)
    if gateway is None:
        raise DeliveryError(f"no SMS gateway named {name!r}", permanent=True)
    config = {key: setting(key) for key in gateway.settings_keys}
    config = {k: v for k, v in config.items() if v is not None}
    try:
        return gateway.send(message.recipient, message.body, message.id, config, secrets(portal))
    except SMSError as error:
        raise DeliveryError(str(error), permanent=error.permanent) from None


SENDERS = {"email": _send_email, "sms": _send_sms}


def send(portal, message):
    """Send now; returns the provider's reference or raises DeliveryError."""
    sender = SENDERS.get(message.channel)
    if sender is None:
        raise DeliveryError(f"unknown channel {message.channel!r}", permanent=True)
    return sender(portal, message)


# -- one pass ------------------------------------------------------------------------------


def _claim_due(worker_id, limit):
    def claim():
        box = outbox_api.get_outbox()
        now = time.time()
        due = outbox_api.due(box, now, limit)
        for message in due:
            outbox_api.claim(message, worker_id, now)
        return [m.id for m in due]

    return committed(claim)


def _record(message_id, worker_id, reference=None, error=None):
    def record():
        box = outbox_api.get_outbox()
        message = box.messages[message_id]
        if message.claimed_by != worker_id or message.state != outbox_api.SENDING:
            return  # the lease ran out and another worker took it over
        if error is None:
            outbox_api.mark_sent(box, message, reference)
        else:
            outbox_api.mark_failed(
                box, message, error, error.permanent,
                max_attempts=setting("max_attempts", 6) or 6,
                base_delay=setting("retry_seconds", 60) or 60)
            log = logger.error if message.state == outbox_api.DEAD else logger.warning
            log("%s to %s (%s) failed (attempt %s): %s", message.channel,
                message.recipient, message.event, message.attempts, error)

    committed(record)


def deliver_due(portal, worker_id=None, limit=50):
    """Send what is due on this site; returns how many were sent."""
    worker_id = worker_id or uuid.uuid4().hex
    previous = getSite()
    setSite(portal)
    sent = 0
    try:
        make_digests()
        transaction.begin()  # see what others committed since
        for message_id in _claim_due(worker_id, limit):
            message = outbox_api.get_outbox().messages[message_id]
            try:
                reference, error = send(portal, message), None
            except DeliveryError as failure:
                reference, error = None, failure
            except Exception as failure:  # a bug in a gateway must not stop the others
                logger.exception("sending %s failed", message_id)
                reference, error = None, DeliveryError(repr(failure))
            try:
                _record(message_id, worker_id, reference=reference, error=error)
            except Exception:  # e.g. conflicts beyond the retries: the lease brings it back
                logger.exception("recording %s failed", message_id)
                continue
            sent += error is None
    finally:
        transaction.abort()
        setSite(previous)
    return sent


# -- daily digests of staff who asked for them -----------------------------------------


def _digest_day(now=None):
    """The local date (the site's time zone) once the digest hour has passed, else None."""
    import datetime
    import zoneinfo

    zone = api.portal.get_registry_record("plone.portal_timezone", default="") or "Asia/Tehran"
    local = datetime.datetime.fromtimestamp(now or time.time(), zoneinfo.ZoneInfo(zone))
    hour = setting("digest_hour", 7)
    return local.date().isoformat() if local.hour >= (hour or 0) else None


def make_digests(now=None):
    """Once a day after the digest hour: one email per user with their held messages.

    The day is recorded in the same transaction, so two workers make it once."""
    day = _digest_day(now)
    box = outbox_api.get_outbox()
    if day is None or box.last_digest_day == day or not len(box.held):
        return 0

    def digest():
        from uni.servicedesk.api.notify import render_digest

        box = outbox_api.get_outbox()
        if box.last_digest_day == day:
            return 0
        box.last_digest_day = day
        made = 0
        for user_id in outbox_api.held_users(box):
            messages = outbox_api.release_held(box, user_id)
            if messages:
                outbox_api.add(render_digest(user_id, messages))
                made += 1
        return made

    transaction.begin()
    return committed(digest)


# -- the worker thread ------------------------------------------------------------------------

_WAKE_HOOK = object()
_workers = []  # running in this process, woken after a commit that queued messages


def wake_after_commit():
    """Ask this process's workers to look at the outbox once this transaction commits."""
    txn = transaction.get()
    try:
        txn.data(_WAKE_HOOK)
        return  # once per transaction
    except KeyError:
        txn.set_data(_WAKE_HOOK, True)
    txn.addAfterCommitHook(lambda ok: ok and [w.wake() for w in list(_workers)])


def sites(app):
    """The Plone sites with a service desk (those with an outbox)."""
    return [obj for obj in app.objectValues() if IPloneSiteRoot.providedBy(obj)
            and outbox_api.get_outbox(obj, create=False) is not None]


class OutboxWorker(threading.Thread):
    """Delivers the outbox of every site in ``db`` until stopped."""

    def __init__(self, db, interval=10.0, name=None):
        super().__init__(name=name or "uni.servicedesk outbox worker", daemon=True)
        self.db = db
        self.interval = interval
        self.worker_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self.passes = 0

    def wake(self):
        self._wake.set()

    def stop(self, wait=True):
        self._stopping.set()
        self._wake.set()
        if wait and self.is_alive():
            self.join(30)

    def start(self):
        _workers.append(self)
        super().start()

    def run(self):
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                try:
                    self.run_once()
                except Exception:
                    logger.exception("outbox pass failed")
                self._wake.wait(self.interval)
        finally:
            if self in _workers:
                _workers.remove(self)

    def run_once(self):
        from Testing.makerequest import makerequest

        sent = 0
        connection = self.db.open()
        try:
            app = makerequest(connection.root()["Application"])
            for portal in sites(app):
                if self._stopping.is_set():
                    break
                try:
                    sla.sweep_site(portal)  # every few minutes: at risk, overdue, escalations
                except Exception:
                    logger.exception("SLA sweep of %s failed", portal.getId())
                sent += deliver_due(portal, self.worker_id)
        finally:
            transaction.abort()
            connection.close()
            self.passes += 1
        return sent


def start_worker_on_process_start(event):
    """Start a worker when Zope serves (not in scripts): ``SERVICEDESK_OUTBOX_WORKER=off``
    turns it off, e.g. on instances that should only serve pages."""
    import Zope2

    if os.environ.get("SERVICEDESK_OUTBOX_WORKER", "on").lower() in ("off", "0", "false", "no"):
        return
    interval = float(os.environ.get("SERVICEDESK_OUTBOX_INTERVAL", "10"))
    OutboxWorker(Zope2.DB, interval=interval).start()
    logger.info("outbox worker started (every %s s and after each commit)", interval)
