"""What types share, as behaviors: where each is enabled, where its fields are kept, who
reads them (request availability: services and calendars; applicant contact details:
requests and bookings)."""

from plone import api
from plone.app.testing import logout
from plone.behavior.interfaces import IBehavior
from tests.helpers import APPLICANT
from tests.helpers import days
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api import request_availability
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.content.behaviors import IApplicantContact
from uni.servicedesk.content.behaviors import IRequestAvailability
from zope.component import queryUtility
from zope.schema import getFieldNames

import pytest

AVAILABILITY = "uni.servicedesk.availability"
CONTACT = "uni.servicedesk.applicant_contact"


@pytest.fixture
def catalog(manager):
    return make_catalog(manager)


def _behaviors(portal_type):
    return api.portal.get_tool("portal_types")[portal_type].behaviors


@pytest.mark.parametrize(
    "name, schema, types",
    [
        (AVAILABILITY, IRequestAvailability, {"Service", "AppointmentCalendar"}),
        (CONTACT, IApplicantContact, {"ServiceRequest"}),
    ],
)
def test_registered_schema_only_and_enabled_where_shared(portal, name, schema, types):
    registration = queryUtility(IBehavior, name=name)
    assert registration.interface is schema
    assert registration.factory is None  # stored on the object, the schema is the marker
    for portal_type in (
        "Service",
        "AppointmentCalendar",
        "ServiceRequest",
        "FAQ",
        "ServiceCatalog",
        "RequestsFolder",
    ):
        assert (name in _behaviors(portal_type)) is (portal_type in types), portal_type


class TestRequestAvailability:
    def test_kept_on_the_object_under_its_own_names(self, catalog):
        service = make_service(catalog, available_from=days(-1), request_audiences=["staff"])
        settings = IRequestAvailability(service)
        assert settings is service
        settings.allow_anonymous = True
        assert {
            k: service.__dict__[k]
            for k in ("available_from", "request_audiences", "allow_anonymous")
        } == {"available_from": days(-1), "request_audiences": ["staff"], "allow_anonymous": True}

    def test_defaults_a_calendar_is_open_to_visitors_a_service_is_not(self, catalog):
        service = make_service(catalog)
        calendar = api.content.create(
            container=service, type="AppointmentCalendar", id="desk", title="نوبت"
        )
        for obj in (service, calendar):
            settings = IRequestAvailability(obj)
            assert (
                settings.available,
                settings.available_from,
                settings.available_until,
                settings.request_audiences,
            ) == (True, None, None, [])
        assert desk_api.anonymous_may_request(service) is False
        assert desk_api.anonymous_may_request(calendar) is True

    def test_calendar_window_and_switch(self, catalog):
        calendar = api.content.create(
            container=make_service(catalog), type="AppointmentCalendar", id="desk", title="نوبت"
        )
        logout()
        assert desk_api.why_not_requestable(calendar, None) is None
        calendar.available_until = days(-1)
        assert request_availability(calendar).code == "closed"
        assert desk_api.why_not_requestable(calendar, None) is not None
        calendar.available_until = None
        calendar.request_audiences = ["staff"]
        assert request_availability(calendar).code == "login"

    def test_without_the_behavior_nothing_may_be_requested(self, catalog):
        service = make_service(catalog, allow_anonymous=True)
        assert request_availability(service).allowed is True
        fti = api.portal.get_tool("portal_types")["Service"]
        fti.manage_changeProperties(behaviors=tuple(b for b in fti.behaviors if b != AVAILABILITY))
        assert IRequestAvailability(service, None) is None
        assert request_availability(service).code == "switched_off"
        assert desk_api.anonymous_may_request(service) is False
        assert desk_api.why_not_requestable(service, None) is not None


class TestApplicantContact:
    def test_a_request_keeps_it_on_itself(self, catalog):
        service = make_service(catalog, allow_anonymous=True)
        logout()
        request = desk_api.submit(dict(APPLICANT, kind="request"), service=service)
        assert IApplicantContact(request) is request
        assert {name: request.__dict__[name] for name in getFieldNames(IApplicantContact)} == {
            "applicant_name": "سارا محمدی",
            "applicant_national_code": "0084575948",
            "applicant_number": "",
            "applicant_email": "sara@example.com",
            "applicant_mobile": "09121234567",
        }
        assert request.notify_channels == ["sms"]

    @pytest.mark.parametrize("kind", ["request", "complaint", "appointment"])
    def test_check_applicant_gives_the_contact_schema(self, portal, kind):
        errors = {}
        contact = desk_api.check_applicant(
            dict(APPLICANT, applicant_number="۱۲"), errors, kind, None
        )
        assert errors == {}
        assert set(contact) == set(getFieldNames(IApplicantContact))
        assert contact["applicant_number"] == "12"
