"""Sending the outbox: after commit, by the scheduler's thread inside the server (or from
cron), as the periodic job ``DeliveryJob``.

``deliver_due(portal)`` is one pass over a site: claim due messages (a transaction of
its own: two workers claiming one message conflict, one of them gives way), send each
outside any transaction (a hanging SMTP server or SMS provider holds only this thread,
never a request of the desk), record the outcome (sent, retry later with exponential
backoff, or dead letter). The scheduler (``api.scheduler``) runs it on every Plone site of
the database every few seconds, and at once when a transaction that queued messages
commits.

A message whose worker died after claiming it is claimed again when the lease runs out.
A worker that dies after sending but before recording it would send again then; the
message id goes with the message (Message-ID header, the SMS provider's idempotency key
where it has one) so that this window, not closable with any outbox, stays harmless.
"""

from email.message import EmailMessage
from email.utils import formataddr
from email.utils import formatdate
from plone import api
from persistent.mapping import PersistentMapping
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.transactions import committed
from uni.servicedesk.channels.sms import ISMSGateway
from uni.servicedesk.channels.sms import SMSError
from zope.annotation.interfaces import IAnnotations
from zope.component import queryUtility
from zope.component.hooks import getSite
from zope.component.hooks import setSite

import logging
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
    portal = portal if portal is not None else api.portal.get()
    return dict(IAnnotations(portal).get(SECRETS_KEY, {}))


def set_secret(name, value, portal=None):
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
        raise DeliveryError(
            f"{type(error).__name__}: {error}", permanent=500 <= code < 600
        ) from None
    return message.id


def _send_sms(portal, message):
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
                box,
                message,
                error,
                error.permanent,
                max_attempts=setting("max_attempts", 6) or 6,
                base_delay=setting("retry_seconds", 60) or 60,
            )
            log = logger.error if message.state == outbox_api.DEAD else logger.warning
            log(
                "%s to %s (%s) failed (attempt %s): %s",
                message.channel,
                message.recipient,
                message.event,
                message.attempts,
                error,
            )

    committed(record)


def deliver_due(portal, worker_id=None, limit=50):
    """Send what is due on this site; returns how many were sent."""
    worker_id = worker_id or uuid.uuid4().hex
    previous = getSite()
    setSite(portal)
    sent = 0
    try:
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


class DeliveryJob:
    """Sending what is due, as a periodic job: at every pass of the scheduler (every few
    seconds, and at once after a commit that queued messages)."""

    order = 30
    interval = 0

    def __call__(self, portal, worker_id=None):
        return deliver_due(portal, worker_id)
