"""Managers' pages of personal data: find, export and erase one person's records, the
retention setting and the erasure log (``@@servicedesk-privacy``); the changes to the
desk's settings (``@@servicedesk-settings-log``).

The person's identifiers travel in POST bodies only (never in an address: addresses end up
in access logs and browser histories), and the pages are never cached.
"""

from plone import api
from plone.protect import CheckAuthenticator
from uni.servicedesk import _
from uni.servicedesk.api import privacy
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.receipts import PRIVATE_HEADERS
from uni.servicedesk.browser.appointments import STATE_TITLES as BOOKING_STATES
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.localization import normalize_digits
from zope.i18n import translate
from zope.i18nmessageid import Message

import datetime

ACTIONS = {
    "erase": _("Erased by a manager"),
    "retention": _("Anonymised after the retention period"),
}


def private(response):
    for name, value in PRIVATE_HEADERS.items():
        response.setHeader(name, value)


class PrivacyView(ServicedeskView):
    """Find a person by national code, mobile or email; download or erase what was found."""

    def __call__(self):
        self.errors = {}
        self.found = None
        self.erased = None
        self.message = None
        private(self.request.response)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            action = str(self.request.form.get("action", "") or "")
            result = self.act(action)
            if result is not None:
                return result
        return self.index()

    def act(self, action):
        form = self.request.form
        if action == "retention":
            return self.save_retention(form.get("retention_years"))
        if action not in ("find", "export", "erase"):
            self.request.response.setStatus(400)
            self.message = _("Unknown action.")
            return None
        try:
            person = privacy.person(form)
        except privacy.PersonError as error:
            self.errors = error.errors
            self.request.response.setStatus(400)
            return None
        if action == "export":
            return self.export(person)
        if action == "erase" and not form.get("confirm"):
            self.errors["confirm"] = _("Tick the box to confirm that this cannot be undone.")
            self.request.response.setStatus(400)
            action = "find"
        if action == "erase":
            self.erased = {key: self.digits(value) for key, value in privacy.erase(person).items()}
            return None
        self.found = privacy.find(person)
        return None

    def export(self, person):
        _found, iterator, size = privacy.export_stream(person)
        response = self.request.response
        response.setHeader("Content-Type", "application/zip")
        response.setHeader(
            "Content-Disposition", f'attachment; filename="{privacy.export_file_name()}"'
        )
        response.setHeader("Content-Length", str(size))
        return iterator

    def save_retention(self, value):
        try:
            years = int(normalize_digits(str(value if value is not None else "")).strip())
            if years < 0 or years > 100:
                raise ValueError(years)
        except (TypeError, ValueError):
            self.errors["retention_years"] = _("Write a number of years from 0 to 100.")
            self.request.response.setStatus(400)
            return None
        api.portal.set_registry_record(privacy.RETENTION_SETTING, years)
        self.message = _("Saved.")
        return None

    # -- what the template shows ------------------------------------------------------

    def value(self, name):
        """What was typed in a search field (shown again after the search)."""
        return str(self.request.form.get(name, "") or "") if self.request.method == "POST" else ""

    def error(self, name):
        message = self.errors.get(name)
        return translate(message, context=self.request) if message else ""

    def requests(self):
        return [
            {
                "code": self.digits(request.tracking_code),
                "url": request.absolute_url(),
                "kind": self.kind_title(request.kind),
                "state": self.state_title(desk_api.state(request)),
                "created": self.date(request.created()),
                "subject": request.subject,
                "files": self.digits(len(request.attachments)),
            }
            for request in self.found.requests
        ]

    def bookings(self):
        return [
            {
                "code": self.digits(booking.tracking_code),
                "calendar": calendar.Title(),
                "when": self.date(booking.start)
                + " "
                + self.digits(booking.start.strftime("%H:%M")),
                "state": translate(
                    BOOKING_STATES.get(booking.state, booking.state), context=self.request
                ),
            }
            for booking, calendar in self.found.bookings
        ]

    @property
    def retention_years(self):
        return self.digits(privacy.retention_years())

    def erasures(self):
        system = translate(_("The system"), context=self.request)
        return [
            dict(
                entry,
                when=self.moment(entry["when"]),
                action_title=ACTIONS.get(entry.get("action"), entry.get("action")),
                who=entry.get("actor_name") or system,
                **{
                    key: self.digits(entry.get(key, 0))
                    for key in ("requests", "bookings", "messages", "files")
                },
            )
            for entry in privacy.erasures(limit=50)
        ]

    def moment(self, timestamp):
        when = datetime.datetime.fromtimestamp(timestamp)
        return f"{self.date(when)} {self.digits(when.strftime('%H:%M'))}"


class SettingsLogView(ServicedeskView):
    """Every change to the desk's settings, newest first: who, when, which, old → new."""

    PAGE = 100

    def __call__(self):
        private(self.request.response)
        return self.index()

    @property
    def start(self):
        try:
            return max(int(self.request.form.get("b_start", 0)), 0)
        except (TypeError, ValueError):
            return 0

    def changes(self):
        rows = []
        for entry in privacy.settings_changes(limit=self.PAGE, start=self.start):
            title = entry.get("title") or ""
            if title and entry.get("domain"):
                title = translate(Message(title, domain=entry["domain"]), context=self.request)
            rows.append(
                dict(
                    entry,
                    title=title,
                    when=self.moment(entry["when"]),
                    who=entry.get("actor_name")
                    or entry.get("actor")
                    or translate(_("The system"), context=self.request),
                )
            )
        return rows

    def next_start(self):
        total = privacy.settings_changes_total()
        following = self.start + self.PAGE
        return following if following < total else None

    def moment(self, timestamp):
        when = datetime.datetime.fromtimestamp(timestamp)
        return f"{self.date(when)} {self.digits(when.strftime('%H:%M'))}"
