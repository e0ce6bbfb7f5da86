"""The applicant hears of delivery, of work starting, and of every appointment event."""

from plone import api
from tests.appointments.conftest import BOOKER
from tests.appointments.conftest import NOW
from tests.appointments.conftest import SATURDAY
from tests.appointments.conftest import calendar  # noqa: F401 - a fixture
from tests.helpers import Upload
from tests.notifications.conftest import APPLICANT_EMAIL
from tests.notifications.conftest import as_user
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.appointments import reminders
from uni.servicedesk.api.notifications import outbox as outbox_api

import datetime
import pytest


def of(code):
    return [
        (m.event, m.channel, m.recipient)
        for m in outbox_api.messages_of_request(outbox_api.get_outbox(), code)
    ]


class TestRequestSteps:
    def test_delivery_and_start_of_work(self, desk, submit):
        request = submit(notify_channels=["email"])
        as_user(desk["portal"], "supervisor")
        desk_api.refer(request, unit="unit-a", expert="expert-a")
        as_user(desk["portal"], "expert-a")
        desk_api.transition(request, "start")
        desk_api.deliver(request, [Upload(filename="result.pdf")], "نامه شما آماده است")
        told = [e for e, c, r in of(request.tracking_code) if r == APPLICANT_EMAIL]
        assert told == ["submitted", "referred", "work_started", "delivered"]
        (delivered,) = [
            m
            for m in outbox_api.messages_of_request(outbox_api.get_outbox(), request.tracking_code)
            if m.event == "delivered"
        ]
        assert "result.pdf" in delivered.body and "نامه شما آماده است" in delivered.body

    def test_work_started_on_the_way_to_a_reply_is_not_told_twice(self, desk, submit):
        request = submit(notify_channels=["email"])
        as_user(desk["portal"], "supervisor")
        desk_api.refer(request, unit="unit-a", expert="expert-a")
        as_user(desk["portal"], "expert-a")
        desk_api.reply(request, "پاسخ")  # starts the work too
        told = [e for e, c, r in of(request.tracking_code) if r == APPLICANT_EMAIL]
        assert told == ["submitted", "referred", "replied"]
        assert desk_api.state(request) == "in_progress"


@pytest.fixture
def booked(calendar):  # noqa: F811
    api.portal.get().REQUEST["LANGUAGE"] = "fa"
    return booking_api.book(calendar, "2026-12-05T08:00", BOOKER, at=NOW)


class TestAppointments:
    def test_booked_in_persian_by_email_and_sms(self, booked):
        assert sorted(c for e, c, r in of(booked.tracking_code)) == ["email", "sms"]
        email = next(
            m
            for m in outbox_api.messages_of_request(outbox_api.get_outbox(), booked.tracking_code)
            if m.channel == "email"
        )
        assert email.event == "appointment_booked"
        assert "۱۴ آذر ۱۴۰۵" in email.body and "۰۸:۰۰" in email.body  # Jalali, Persian digits
        assert "اتاق ۱۰۸" in email.body and booked.tracking_secret in email.body

    def test_moved_and_cancelled_by_the_applicant(self, booked):
        booking_api.reschedule(booked, "2026-12-05T08:30", at=NOW)
        booking_api.cancel(booked, "نمی‌توانم بیایم", at=NOW)
        events = [e for e, c, r in of(booked.tracking_code) if c == "sms"]
        assert events == ["appointment_booked", "appointment_moved", "appointment_cancelled"]

    def test_cancelled_by_the_office_says_why(self, booked, calendar):  # noqa: F811
        with api.env.adopt_roles(["Manager"]):
            booking_api.cancel(booked, "تعطیلی اضطراری", by_staff=True)
        (email,) = [
            m
            for m in outbox_api.messages_of_request(outbox_api.get_outbox(), booked.tracking_code)
            if m.event == "appointment_cancelled" and m.channel == "email"
        ]
        assert "تعطیلی اضطراری" in email.body

    def test_reminder_the_day_before_once(self, booked, monkeypatch):
        friday = datetime.datetime.combine(
            SATURDAY - datetime.timedelta(days=1), datetime.time(reminders.REMINDER_HOUR, 5)
        )
        monkeypatch.setattr(reminders, "committed", lambda change, *a: change(*a))
        night = friday.replace(hour=2)
        assert reminders.remind(at=night) == 0  # no SMS in the night
        assert reminders.remind(at=friday) == 1
        assert reminders.remind(at=friday) == 0
        events = [e for e, c, r in of(booked.tracking_code) if c == "sms"]
        assert events == ["appointment_booked", "appointment_reminder"]

    def test_moved_booking_is_reminded_of_its_new_day(self, booked, monkeypatch):
        friday = datetime.datetime.combine(
            SATURDAY - datetime.timedelta(days=1), datetime.time(reminders.REMINDER_HOUR, 5)
        )
        monkeypatch.setattr(reminders, "committed", lambda change, *a: change(*a))
        assert reminders.remind(at=friday) == 1
        booking_api.reschedule(booked, "2026-12-05T13:00", at=NOW)
        assert reminders.remind(at=friday) == 1

    def test_cancelled_bookings_are_not_reminded(self, booked, monkeypatch):
        booking_api.cancel(booked, "", at=NOW)
        friday = datetime.datetime.combine(
            SATURDAY - datetime.timedelta(days=1), datetime.time(reminders.REMINDER_HOUR, 5)
        )
        monkeypatch.setattr(reminders, "committed", lambda change, *a: change(*a))
        assert reminders.remind(at=friday) == 0
