"""Appointment pages: book on a calendar, follow by tracking code, the staff's day and week.

Thin: they read the form, call ``uni.servicedesk.api.appointments`` and show its answer. A
booking redirects to its receipt (Post/Redirect/Get): reloading it books nothing more.
"""

from persiantools.jdatetime import JalaliDate
from plone import api
from plone.protect import CheckAuthenticator
from uni.servicedesk import _
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import receipts
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import tracking
from uni.servicedesk.browser.antispam import AntispamMixin
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.localization import date_error
from uni.servicedesk.localization import JALALI_MONTHS_FA
from uni.servicedesk.localization import parse_jalali_date
from zExceptions import Unauthorized
from zope.i18n import translate

import datetime

WEEKDAYS_FA = ("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه")
WEEK_HEADER_FA = ("ش", "ی", "د", "س", "چ", "پ", "ج")
WEEK_HEADER_EN = ("Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri")
APPLICANT_INPUTS = (
    ("applicant_name", _("Full name"), "text"),
    ("applicant_mobile", _("Mobile"), "tel"),
    ("applicant_email", _("Email"), "email"),
    ("applicant_national_code", _("National code (optional)"), "text"),
    ("request_code", _("Tracking code of your request (optional)"), "text"),
)
STATE_TITLES = {
    "booked": _("Booked"),
    "cancelled": _("Cancelled"),
    "attended": _("Attended"),
    "no_show": _("Did not come"),
}


class AppointmentFormatting:
    def date_in_form(self, name):
        """The date the form gives as ``name`` (Jalali or ISO), or None when it gives none;
        an unreadable one is an error of the page (HTTP 400), and None."""
        value = self.request.form.get(name)
        if isinstance(value, (list, tuple)):  # ?day=…&day=…: the last one
            value = value[-1] if value else ""
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_jalali_date(text)
        except ValueError:
            self.errors[name] = date_error(text)
            self.request.response.setStatus(400)
            return None

    def weekday(self, day):
        return WEEKDAYS_FA[day.weekday()] if not self.english else day.strftime("%A")

    def time(self, moment):
        return self.digits(moment.strftime("%H:%M"))

    def when(self, moment):
        """``شنبه ۱۵ آذر ۱۴۰۵، ساعت ۰۸:۳۰``"""
        if self.english:
            return f"{moment.strftime('%A')} {self.date(moment)}, {moment.strftime('%H:%M')}"
        return f"{self.weekday(moment.date())} {self.date(moment)}، ساعت {self.time(moment)}"

    def state_of(self, booking):
        return translate(STATE_TITLES.get(booking.state, booking.state), context=self.request)


class BookView(AntispamMixin, AppointmentFormatting, ServicedeskView):
    """The calendar's page: a Jalali month grid of days, the free times of the chosen day,
    the applicant's details; POST books (a conflict retried, a taken seat explained)."""

    errors = None
    booking = None
    free_after_conflict = ()

    def __call__(self):
        self.errors = {}
        self.now = booking_api.now()
        self.chosen_day = self.date_in_form("day")
        self.closed_reason = desk_api.why_not_requestable(self.context, desk_api.current_user())
        if self.request.method == "POST" and "form.buttons.book" in self.request.form:
            CheckAuthenticator(self.request)
            refused = self.antispam_refusal()
            if refused:
                self.errors = refused
                self.request.response.setStatus(400)
                return self.index()
            try:
                self.booking = booking_api.book_and_commit(
                    self.context, self.request.form.get("slot"), self.data()
                )
            except booking_api.BookingError as error:
                self.errors.update(error.errors)
                self.free_after_conflict = error.free
                self.request.response.setStatus(
                    429 if error.too_many else 409 if error.taken else 400
                )
            else:
                url = receipts.url(
                    self.context.absolute_url(), receipts.APPOINTMENT_VIEW, self.booking
                )
                self.request.response.redirect(url, status=303)
                return ""
        return self.index()

    @property
    def may_manage(self):
        return booking_api.may_manage(self.context)

    def inputs(self):
        return APPLICANT_INPUTS

    def data(self):
        return {name: self.request.form.get(name, "") for name, _title, _type in APPLICANT_INPUTS}

    def form_value(self, name):
        value = self.request.form.get(name)
        if value is None and self.request.method != "POST":
            return desk_api.account_details().get(name, "")
        return value or ""

    def error(self, name):
        message = (self.errors or {}).get(name)
        return translate(message, context=self.request) if message else None

    @property
    def days(self):
        if not hasattr(self, "_days"):
            self._days = booking_api.bookable_days(self.context, self.now)
        return self._days

    @property
    def day(self):
        chosen = self.chosen_day
        if chosen is None and self.request.form.get("slot"):
            slot = booking_api.parse_slot(self.request.form.get("slot"))
            chosen = slot.date() if slot else None
        if chosen is None:
            chosen = next((day for day, free in self.days if free), None)
        return chosen

    def month_grids(self):
        """Each month of the horizon as weeks of seven cells, Saturday first."""
        months = []
        for day, free in self.days:
            key, title, number = self._month(day)
            if not months or months[-1]["key"] != key:
                months.append({"key": key, "title": title, "weeks": [[None] * 7]})
            weeks = months[-1]["weeks"]
            column = (day.weekday() - 5) % 7
            if column == 0 and any(weeks[-1]):
                weeks.append([None] * 7)
            weeks[-1][column] = {
                "date": day.isoformat(),
                "number": number,
                "free": free,
                "selected": day == self.day,
                "title": self.date(day),
            }
        return months

    def _month(self, day):
        if self.english:
            return (day.year, day.month), day.strftime("%B %Y"), str(day.day)
        jalali = JalaliDate(day)
        title = f"{JALALI_MONTHS_FA[jalali.month - 1]} {self.digits(jalali.year)}"
        return (jalali.year, jalali.month), title, self.digits(jalali.day)

    def week_header(self):
        return WEEK_HEADER_EN if self.english else WEEK_HEADER_FA

    def day_slots(self):
        if self.day is None:
            return []
        return [s for s in booking_api.day_slots(self.context, self.day, self.now) if s.free]


class AppointmentReceiptView(AppointmentFormatting, ServicedeskView):
    """``<calendar>/@@appointment-receipt?code=…&token=…``: the receipt of a booking just
    made, for whoever holds its link secret (see ``uni.servicedesk.api.receipts``)."""

    booking = None
    message = None

    def __call__(self):
        for name, value in receipts.PRIVATE_HEADERS.items():
            self.request.response.setHeader(name, value)
        form = self.request.form
        try:
            self.booking = receipts.verify(
                str(form.get("code", "") or ""),
                str(form.get("token", "") or ""),
                self.context.bookings.get,
                client=self.request.getClientAddr(),
            )
        except tracking.TooManyAttempts:
            self.request.response.setStatus(429)
            self.message = _("Too many attempts; wait a few minutes and try again.")
        else:
            if self.booking is None:
                self.request.response.setStatus(404)
                self.message = _(
                    "No receipt matches this link. Follow your appointment with its tracking code."
                )
        return self.index()

    def receipt(self):
        booking = self.booking
        return {
            "code": booking.tracking_code,
            "digits": self.digits(booking.tracking_code),
            "when": self.when(booking.start),
            "location": self.context.location,
            "link": booking_api.tracking_url(booking),
            "ics": booking_api.ics_url(booking),
        }

    def follow_url(self):
        return api.portal.get().absolute_url() + "/@@appointment"


class AppointmentView(AppointmentFormatting, ServicedeskView):
    """``@@appointment``: follow a booking with its code and mobile/email (or the link);
    cancel or move it up to the cut-off."""

    booking = None
    errors = None
    message = None

    def __call__(self):
        self.errors = {}
        form = self.request.form
        code = form.get("code", "")
        verifier = form.get("token") or form.get("verifier") or ""
        self.code = tracking.normalize_code(code) or code
        self.secret = ""
        if code and verifier:
            try:
                self.booking = booking_api.verify(
                    code, verifier, client=self.request.getClientAddr()
                )
            except tracking.TooManyAttempts:
                self.errors["code"] = _("Too many attempts; wait a few minutes and try again.")
                self.request.response.setStatus(429)
                return self.index()
            if self.booking is None:
                self.errors["code"] = _("No appointment matches this tracking code and contact.")
                self.request.response.setStatus(404)
            else:
                self.secret = self.booking.tracking_secret
                actions = ("form.buttons.cancel", "form.buttons.move")
                if self.request.method == "POST" and any(a in form for a in actions):
                    self.act()
        return self.index()

    def act(self):
        CheckAuthenticator(self.request)
        form = self.request.form
        try:
            if "form.buttons.cancel" in form:
                booking_api.committed(booking_api.cancel, self.booking, form.get("reason", ""))
                self.message = _("Your appointment was cancelled.")
            elif "form.buttons.move" in form:
                booking_api.committed(booking_api.reschedule, self.booking, form.get("slot"))
                self.message = _("Your appointment was moved.")
        except booking_api.BookingError as error:
            self.errors = error.errors
            self.request.response.setStatus(400)

    def error(self, name):
        message = (self.errors or {}).get(name)
        return translate(message, context=self.request) if message else None

    def info(self):
        return booking_api.public_view(self.booking)

    def calendar(self):
        return booking_api.calendar_of(self.booking)

    def other_times(self):
        return booking_api.next_free(self.calendar(), limit=12)

    def ics_url(self):
        return booking_api.ics_url(self.booking)


class AppointmentIcs(ServicedeskView):
    """``@@appointment-ics?code=…&token=…``: the booking as an .ics file."""

    def __call__(self):
        booking = booking_api.verify(
            self.request.form.get("code", ""),
            self.request.form.get("token", ""),
            client=self.request.getClientAddr(),
        )
        if booking is None:
            self.request.response.setStatus(404)
            return translate(
                _("No appointment matches this tracking code and contact."), context=self.request
            )
        self.request.response.setHeader("Content-Type", "text/calendar; charset=utf-8")
        self.request.response.setHeader(
            "Content-Disposition", f'attachment; filename="appointment-{booking.tracking_code}.ics"'
        )
        return booking_api.ics(booking)


class StaffDayView(AppointmentFormatting, ServicedeskView):
    """``@@appointments-day``: the day's times with their bookings; check in, cancel with a
    reason, block and unblock (each a POST)."""

    errors = None

    def __call__(self):
        if not booking_api.may_manage(self.context):
            raise Unauthorized("appointments of the day")
        self.errors = {}
        self.day = self.date_in_form("day") or booking_api.now().date()
        if self.request.method == "POST" and not self.errors:
            self.act()
        return self.index()

    def act(self):
        CheckAuthenticator(self.request)
        form = self.request.form
        booking = self.context.bookings.get(form.get("code", ""))
        try:
            if "form.buttons.attended" in form and booking is not None:
                booking_api.check_in(booking, attended=True)
            elif "form.buttons.no_show" in form and booking is not None:
                booking_api.check_in(booking, attended=False)
            elif "form.buttons.cancel" in form and booking is not None:
                booking_api.cancel(booking, form.get("reason", ""), by_staff=True)
            elif "form.buttons.block" in form:
                booking_api.block(self.context, form.get("slot"), form.get("reason", ""))
            elif "form.buttons.unblock" in form:
                booking_api.unblock(self.context, form.get("slot"))
        except booking_api.BookingError as error:
            self.errors = error.errors
            self.request.response.setStatus(400)

    def error_messages(self):
        return [translate(m, context=self.request) for m in (self.errors or {}).values()]

    def rows(self):
        return booking_api.staff_day(self.context, self.day)

    def nearby(self):
        return {
            "previous": (self.day - datetime.timedelta(days=1)).isoformat(),
            "next": (self.day + datetime.timedelta(days=1)).isoformat(),
            "week": self.day.isoformat(),
        }


class StaffWeekView(AppointmentFormatting, ServicedeskView):
    """``@@appointments-week``: seven days from ``start``, the booked and free seats of each time."""

    errors = None

    def __call__(self):
        if not booking_api.may_manage(self.context):
            raise Unauthorized("appointments of the week")
        self.errors = {}
        day = self.date_in_form("start") or booking_api.now().date()
        self.start = day - datetime.timedelta(days=(day.weekday() - 5) % 7)  # back to Saturday
        return self.index()

    def error_messages(self):
        return [translate(m, context=self.request) for m in (self.errors or {}).values()]

    def columns(self):
        days = [self.start + datetime.timedelta(days=i) for i in range(7)]
        return [
            (day, booking_api.day_slots(self.context, day, bookable_only=False)) for day in days
        ]

    def nearby(self):
        return {
            "previous": (self.start - datetime.timedelta(days=7)).isoformat(),
            "next": (self.start + datetime.timedelta(days=7)).isoformat(),
        }
