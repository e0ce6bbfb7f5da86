"""Managers' pages of notifications (settings, texts, outbox) and staff's own preference."""

from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.protect import CheckAuthenticator
from string import Template
from uni.servicedesk import _
from uni.servicedesk.api import privacy
from uni.servicedesk.api import scheduler
from uni.servicedesk.api.notifications import delivery
from uni.servicedesk.api.notifications import templates
from uni.servicedesk.api.notifications import messages as notify
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.channels.sms import sms_parts
from uni.servicedesk.interfaces import INotificationSettings
from z3c.form import field
from z3c.form.browser.textlines import TextLinesFieldWidget
from zope import schema
from zope.i18n import translate
from zope.interface import Interface

import datetime
from uni.servicedesk.localization import normalize_digits

SECRET_FIELDS = ("kavenegar_api_key", "http_secret")
CHANNEL_TITLES = {"email": _("Email"), "sms": _("SMS")}
MESSAGE_STATES = {
    "pending": _("Waiting to be sent"),
    "sending": _("Being sent"),
    "sent": _("Sent"),
    "dead": _("Could not be sent"),
    "held": _("Held for the daily digest"),
    "digested": _("Sent in the daily digest"),
    "erased": _("Erased with the personal data"),
}


class ISMSSecrets(Interface):
    """Typed here, stored in the site's annotations, never shown or served again."""

    kavenegar_api_key = schema.Password(
        title=_("Kavenegar API key"),
        required=False,
    )
    http_secret = schema.Password(
        title=_("HTTP provider: secret"),
        description=_(
            "Password, token or API key; ${secret} in the address, parameters or headers."
        ),
        required=False,
    )
    forget_secrets = schema.Bool(
        title=_("Forget the stored keys"),
        required=False,
        default=False,
    )


class NotificationSettingsForm(RegistryEditForm):
    schema = INotificationSettings
    schema_prefix = "uni.servicedesk.notifications"
    label = _("Notification settings")
    description = _("How email and SMS notifications are sent, retried and collected.")

    def updateFields(self):
        super().updateFields()
        for name in ("http_parameters", "http_headers"):
            self.fields[name].widgetFactory = TextLinesFieldWidget
        secret_fields = field.Fields(ISMSSecrets)
        for secret_field in secret_fields.values():
            secret_field.ignoreContext = True  # nothing to read back: the value stays hidden
        self.fields += secret_fields

    def updateWidgets(self):
        super().updateWidgets()
        stored = delivery.secrets()
        for name in SECRET_FIELDS:
            state = _("Stored; leave empty to keep it.") if stored.get(name) else _("Not set.")
            self.widgets[name].description = state

    def applyChanges(self, data):
        forget = data.pop("forget_secrets", False)
        typed = {name: data.pop(name, None) for name in SECRET_FIELDS}
        stored = delivery.secrets()
        for name, value in typed.items():
            if forget:
                delivery.set_secret(name, None)
            elif value:
                delivery.set_secret(name, value.strip())
            else:
                continue
            if stored.get(name) != delivery.secrets().get(name):  # logged as changed, never shown
                privacy.log_setting_change(
                    f"{self.schema_prefix}.{name}",
                    title=ISMSSecrets[name].title,
                    domain="uni.servicedesk",
                    secret=True,
                )
        return super().applyChanges(data)


class NotificationSettingsControlPanel(ControlPanelFormWrapper):
    form = NotificationSettingsForm


# -- the texts ---------------------------------------------------------------------------


def sample_values(language):
    """Typical values to measure an SMS template by (a long-ish unit name, a real code)."""
    fa = language == "fa"
    return {
        "code": "۱۲۳۴۵۶۷۸۹۰" if fa else "1234567890",
        "name": "مریم احمدی" if fa else "Maryam Ahmadi",
        "subject": "گواهی اشتغال به تحصیل" if fa else "Certificate of enrolment",
        "service": "گواهی اشتغال به تحصیل" if fa else "Certificate of enrolment",
        "status": "در حال رسیدگی" if fa else "In progress",
        "unit": "اداره آموزش" if fa else "Education office",
        "due_date": "۱۲ آذر ۱۴۰۵" if fa else "03 Dec 2026",
        "site": api.portal.get().Title(),
    }


class NotificationTemplatesView(ServicedeskView):
    """Every event's email and SMS text in each language, with what the SMS costs."""

    def __call__(self):
        self.errors = {}
        self.saved = False
        form = self.request.form
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if form.get("reset"):
                self.reset(form["reset"])
            elif "form.buttons.save" in form:
                self.save(form)
        return self.index()

    def keys(self):
        for event in templates.EVENTS:
            for language in templates.LANGUAGES:
                for part in templates.parts_of(event):
                    yield event, language, part

    def save(self, form):
        changed = dict(api.portal.get_registry_record(notify.TEMPLATES_RECORD, default=None) or {})
        for event, language, part in self.keys():
            key = f"{event}/{language}/{part}"
            if key not in form:
                continue
            text = form[key].replace("\r\n", "\n").strip()
            unknown = notify.unknown_variables(text)
            if unknown:
                self.errors[key] = translate(
                    _("Unknown variables: ${names}", mapping={"names": ", ".join(unknown)}),
                    context=self.request,
                )
            if text == templates.default(event, language, part):
                changed.pop(key, None)
            else:
                changed[key] = text
        if self.errors:
            self.request.response.setStatus(400)
            return  # nothing saved; the texts typed stay in the form
        api.portal.set_registry_record(notify.TEMPLATES_RECORD, changed)
        self.saved = True

    def reset(self, event):
        changed = dict(api.portal.get_registry_record(notify.TEMPLATES_RECORD, default=None) or {})
        for key in [k for k in changed if k.split("/")[0] == event]:
            del changed[key]
        api.portal.set_registry_record(notify.TEMPLATES_RECORD, changed)
        self.saved = True

    def text(self, event, language, part):
        key = f"{event}/{language}/{part}"
        if key in self.request.form and self.errors:
            return self.request.form[key]
        return notify.template(event, language, part)

    def sms_size(self, event, language):
        """The SMS with sample values: its length, parts and whether it is too long."""
        text = Template(self.text(event, language, "sms")).safe_substitute(sample_values(language))
        size = sms_parts(text.strip())
        most = (
            api.portal.get_registry_record("uni.servicedesk.notifications.sms_max_parts", default=2)
            or 2
        )
        return {
            "length": self.digits(size.length),
            "parts": self.digits(size.parts),
            "encoding": "UCS-2" if size.encoding == "ucs2" else "GSM 7-bit",
            "too_long": size.parts > most,
        }

    def events(self):
        return [
            {
                "id": event,
                "title": title,
                "audience": _("Applicant") if audience == templates.APPLICANT else _("Staff"),
                "sms": "sms" in templates.parts_of(event),
                "changed": self.is_changed(event),
            }
            for event, (audience, title) in templates.EVENTS.items()
        ]

    def is_changed(self, event):
        changed = api.portal.get_registry_record(notify.TEMPLATES_RECORD, default=None) or {}
        return any(k.split("/")[0] == event for k in changed)

    def languages(self):
        return [("fa", "فارسی"), ("en", "English")]

    def variables(self):
        return sorted(templates.VARIABLES.items())

    def error(self, event, language, part):
        return self.errors.get(f"{event}/{language}/{part}")


# -- the outbox ---------------------------------------------------------------------------


class OutboxView(ServicedeskView):
    """Counts, dead letters (retry one or all), what waits, and a request's messages."""

    def __call__(self):
        self.message = None
        form = self.request.form
        box = outbox_api.get_outbox()
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if form.get("retry"):
                retried = int(outbox_api.retry(box, form["retry"]))
            elif "form.buttons.retry_all" in form:
                retried = sum(outbox_api.retry(box, i) for i in list(box.dead.keys()))
            else:
                retried = 0
            if retried:
                scheduler.wake_after_commit()
            self.message = _(
                "${count} messages back in the queue.", mapping={"count": self.digits(retried)}
            )
        return self.index()

    def counts(self):
        counts = outbox_api.counts(outbox_api.get_outbox())
        return {key: self.digits(value) for key, value in counts.items()}

    def _row(self, message):
        return {
            "id": message.id,
            "when": self.moment(message.created),
            "channel": CHANNEL_TITLES.get(message.channel, message.channel),
            "recipient": message.recipient,
            "event": message.event,
            "title": dict((k, v[1]) for k, v in templates.EVENTS.items()).get(
                message.event, message.event
            ),
            "code": message.request_code,
            "attempts": self.digits(message.attempts),
            "error": message.last_error,
            "state": MESSAGE_STATES.get(message.state, message.state),
            "next": self.moment(message.next_attempt)
            if message.state == outbox_api.PENDING
            else "",
        }

    def dead_letters(self, limit=100):
        box = outbox_api.get_outbox()
        ids = list(box.dead.keys())[:limit]
        return [self._row(box.messages[i]) for i in ids]

    def waiting(self, limit=50):
        return [self._row(m) for m in outbox_api.waiting(outbox_api.get_outbox(), limit)]

    def of_request(self):
        code = (self.request.form.get("code") or "").strip()
        if not code:
            return None
        messages = outbox_api.messages_of_request(outbox_api.get_outbox(), normalize_digits(code))
        return [self._row(m) for m in messages]

    def moment(self, timestamp):
        when = datetime.datetime.fromtimestamp(timestamp)
        return f"{self.date(when)} {self.digits(when.strftime('%H:%M'))}"


# -- a staff member's own choice ------------------------------------------------------------


class NotificationPreferencesView(ServicedeskView):
    def __call__(self):
        self.saved = False
        box = outbox_api.get_outbox()
        user_id = api.user.get_current().getId()
        choice = self.request.form.get("delivery")
        if self.request.method == "POST" and choice:
            CheckAuthenticator(self.request)
            if choice in (outbox_api.IMMEDIATE, outbox_api.DIGEST):
                outbox_api.set_preference(box, user_id, choice)
                self.saved = True
            else:
                self.request.response.setStatus(400)
        self.current = outbox_api.preference(box, user_id)
        return self.index()

    def digest_hour(self):
        return self.digits(f"{delivery.setting('digest_hour', 7):02d}:00")
