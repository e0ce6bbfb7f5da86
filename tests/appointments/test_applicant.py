"""A booking's applicant: the contact details of a request, checked the same way."""

from plone.app.testing import logout
from tests.appointments.conftest import BOOKER
from tests.appointments.conftest import NOW
from tests.appointments.conftest import SATURDAY
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.content.behaviors import IApplicantContact
from zope.interface.verify import verifyObject
from zope.schema import getFieldNames

import datetime
import pytest

SLOT = datetime.datetime.combine(SATURDAY, datetime.time(8, 0))


def test_a_booking_is_the_applicant_contact(calendar):
    logout()
    booking = booking_api.book(
        calendar, SLOT, dict(BOOKER, applicant_national_code="۰۰۸۴۵۷۵۹۴۸"), at=NOW
    )
    assert verifyObject(IApplicantContact, booking)
    assert {
        name: getattr(IApplicantContact(booking), name) for name in getFieldNames(IApplicantContact)
    } == {
        "applicant_name": "سارا محمدی",
        "applicant_national_code": "0084575948",
        "applicant_number": "",
        "applicant_email": "sara@example.com",
        "applicant_mobile": "09121234567",
    }
    assert "notify_channels" not in booking.__dict__


@pytest.mark.parametrize(
    "changes",
    [
        {"applicant_name": " "},
        {"applicant_national_code": "1111111111"},
        {"applicant_mobile": "12345", "applicant_email": "not-an-address"},
        {"applicant_mobile": "", "applicant_email": ""},
    ],
)
def test_refused_as_a_request_would_be(calendar, changes):
    logout()
    data = dict(BOOKER, **changes)
    with pytest.raises(booking_api.BookingError) as refused:
        booking_api.book(calendar, SLOT, data, at=NOW)
    expected = {}
    desk_api.check_applicant(data, expected, "appointment", None)
    assert expected and refused.value.errors == expected
    assert len(calendar.bookings) == 0
