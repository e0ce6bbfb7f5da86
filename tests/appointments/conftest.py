"""A service with an appointment calendar: two periods on Saturday, capacity 2."""

from plone import api
from tests.helpers import make_catalog
from tests.helpers import make_service

import datetime
import pytest

# Saturday 1405/09/15 (Jalali) = 6 December 2026; "now" is the Wednesday before.
SATURDAY = datetime.date(2026, 12, 5)
NOW = datetime.datetime(2026, 12, 2, 10, 0)
HOURS = ["sat 08:00-10:00 13:00-14:00", "شنبه ۱۵:۰۰-۱۶:۰۰", "mon 09:00-10:00"]
BOOKER = {
    "applicant_name": "سارا محمدی",
    "applicant_mobile": "09121234567",
    "applicant_email": "sara@example.com",
}


def make_calendar(container, publish=True, **fields):
    data = {
        "title": "نوبت مشاوره",
        "weekly_hours": HOURS,
        "slot_minutes": 30,
        "capacity": 2,
        "horizon_days": 30,
        "min_notice_hours": 2,
        "cancel_cutoff_hours": 24,
        "location": "ساختمان مرکزی، اتاق ۱۰۸",
    }
    data.update(fields)
    calendar = api.content.create(
        container=container, type="AppointmentCalendar", id="appointments", **data
    )
    if publish:
        api.content.transition(obj=calendar, transition="publish")
    return calendar


@pytest.fixture
def calendar(manager):
    service = make_service(make_catalog(manager), code="STU-901", allow_anonymous=True)
    return make_calendar(service)
