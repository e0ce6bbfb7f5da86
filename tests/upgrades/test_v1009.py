"""1009: request availability and applicant contact details become behaviors.

Content is made the way it was at 1004 — the types' schemas still holding the fields
(``*At1004`` below, copies of the 1004 fields), through the add forms, the REST API and
the domain API — then the code of today is put in place and the upgrade step runs: the
values are still there, read by the same rules, shown once in the edit forms, and given
and taken by the REST API under the same names.
"""

from lxml import html
from plone import api
from plone.app.testing import logout
from plone.autoform import directives
from plone.supermodel import model
from tests.helpers import days
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import request_availability
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import tracking
from uni.servicedesk.content.appointment_calendar import Booking
from uni.servicedesk.content.appointment_calendar import IAppointmentCalendar
from uni.servicedesk.content.behaviors import IApplicantContact
from uni.servicedesk.content.behaviors import IRequestAvailability
from uni.servicedesk.content.service import IService
from uni.servicedesk.content.service_request import IServiceRequest
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest
from zope.schema import getFieldNames

import datetime
import pytest
import transaction

PROFILE = "uni.servicedesk:default"
BOOKING_CODE = tracking.new_code(exists=lambda code: False)
AVAILABILITY = getFieldNames(IRequestAvailability)
CONTACT = getFieldNames(IApplicantContact)


class IServiceAt1004(IService):
    model.fieldset(
        "availability",
        label="Availability",
        fields=[
            "available",
            "available_from",
            "available_until",
            "request_audiences",
            "allow_anonymous",
        ],
    )
    available = schema.Bool(title="Offered", default=True, required=False)
    available_from = schema.Date(title="Requests open on", required=False)
    available_until = schema.Date(title="Requests close after", required=False)
    directives.widget("request_audiences", CheckBoxFieldWidget)
    request_audiences = schema.List(
        title="Who may request it",
        value_type=schema.Choice(vocabulary="uni.servicedesk.Audiences"),
        required=False,
        default=[],
    )
    allow_anonymous = schema.Bool(title="Anonymous requests allowed", default=False, required=False)


class IAppointmentCalendarAt1004(IAppointmentCalendar):
    directives.widget("request_audiences", CheckBoxFieldWidget)
    request_audiences = schema.List(
        title="Who may book",
        value_type=schema.Choice(vocabulary="uni.servicedesk.Audiences"),
        required=False,
        default=[],
    )
    allow_anonymous = schema.Bool(
        title="Visitors who are not logged in may book", default=True, required=False
    )


class IServiceRequestAt1004(IServiceRequest):
    applicant_name = schema.TextLine(title="Applicant")
    applicant_national_code = schema.TextLine(title="National code", required=False)
    applicant_number = schema.TextLine(title="Student or personnel number", required=False)
    applicant_email = schema.TextLine(title="Email", required=False)
    applicant_mobile = schema.TextLine(title="Mobile", required=False)


SHAPES = {  # type: (its schema at 1004, its schema today, the behavior it gains)
    "Service": (IServiceAt1004, IService, "uni.servicedesk.availability"),
    "AppointmentCalendar": (
        IAppointmentCalendarAt1004,
        IAppointmentCalendar,
        "uni.servicedesk.availability",
    ),
    "ServiceRequest": (IServiceRequestAt1004, IServiceRequest, "uni.servicedesk.applicant_contact"),
}


def _dotted(interface):
    return f"{interface.__module__}.{interface.__name__}"


def _shape(portal, at_1004):
    """The types as they were at 1004 (schemas holding the fields, no behaviors), or as
    the code of today finds them before the upgrade (today's schemas, no behaviors)."""
    for portal_type, (old, new, behavior) in SHAPES.items():
        fti = portal.portal_types[portal_type]
        fti.manage_changeProperties(
            schema=_dotted(old if at_1004 else new),
            behaviors=tuple(b for b in fti.behaviors if b != behavior),
        )


def _stored(obj):
    """What the object holds itself (not class or schema defaults)."""
    obj._p_activate()
    return obj.__dict__


def _formfields(browser, name):
    return html.fromstring(browser.contents).xpath(f"//div[@data-fieldname='form.widgets.{name}']")


@pytest.fixture
def old_site(functional, service_catalog, browser_factory, rest_factory):
    """Content of every kind made at 1004, then today's code, before the upgrade."""
    portal = functional["portal"]
    setup = portal.portal_setup
    with api.env.adopt_roles(["Manager"]):
        _shape(portal, at_1004=True)
        setup.setLastVersionForProfile(PROFILE, "1004")
    transaction.commit()

    # A service through the add form of 1004.
    editor = browser_factory("test-editor", language="en")
    editor.open(service_catalog.absolute_url() + "/++add++Service")
    editor.getControl(name="form.widgets.service_code").value = "EDU-301"
    editor.getControl(name="form.widgets.IBasic.title").value = "گواهی اشتغال به تحصیل"
    editor.getControl(name="form.widgets.service_category:list").value = ["education"]
    editor.getControl(name="form.widgets.available_from").value = days(-10).isoformat()
    editor.getControl(name="form.widgets.available_until").value = days(400).isoformat()
    editor.getControl(name="form.widgets.request_audiences:list").value = ["students"]
    editor.getControl(name="form.widgets.allow_anonymous:list").value = ["selected"]
    editor.getControl(name="form.buttons.save").click()
    assert "edu-301" in editor.url, editor.contents[:2000]

    # A service through the REST API of 1004.
    response = rest_factory("test-editor").post(
        "/services",
        json={
            "@type": "Service",
            "service_code": "EDU-302",
            "title": "تعلیق تحصیل",
            "service_category": "education",
            "available": False,
            "available_until": "2027-03-20",
            "request_audiences": ["staff"],
            "allow_anonymous": False,
        },
    )
    assert response.status_code == 201, response.text

    # A calendar through the add form of 1004, closed to visitors and open to staff only.
    editor.open(service_catalog.absolute_url() + "/edu-301/++add++AppointmentCalendar")
    editor.getControl(name="form.widgets.IBasic.title").value = "نوبت کارمندان"
    editor.getControl(name="form.widgets.request_audiences:list").value = ["staff"]
    editor.getControl(name="form.widgets.allow_anonymous:list").value = []
    editor.getControl(name="form.buttons.save").click()
    assert "++add++" not in editor.url, editor.contents

    transaction.begin()
    with api.env.adopt_roles(["Manager"]):
        service = service_catalog["edu-301"]
        for obj in (service, service_catalog["edu-302"]):
            api.content.transition(obj=obj, transition="publish")
        [staff_calendar] = [
            o for o in service.objectValues() if o.portal_type == "AppointmentCalendar"
        ]
        # A calendar through the domain API, saying nothing of visitors (open by default).
        open_calendar = api.content.create(
            container=service, type="AppointmentCalendar", id="desk", title="نوبت پیشخوان"
        )
        for obj in (staff_calendar, open_calendar):
            api.content.transition(obj=obj, transition="publish")
        # A booking as the booking code of 1004 stored it.
        open_calendar.bookings[BOOKING_CODE] = Booking(
            tracking_code=BOOKING_CODE,
            calendar_uid=open_calendar.UID(),
            slot="2026-12-05T08:00",
            start=datetime.datetime(2026, 12, 5, 8),
            end=datetime.datetime(2026, 12, 5, 8, 30),
            created=datetime.datetime(2026, 12, 1, 9),
            applicant_user=None,
            tracking_secret="s" * 24,
            request_code=None,
            applicant_name="رضا احمدی",
            applicant_number="",
            applicant_national_code="",
            applicant_email="",
            applicant_mobile="09351234567",
        )
    transaction.commit()

    # A complaint through the REST API of 1004 (no service: availability does not apply).
    response = rest_factory().post(
        "/requests",
        json={
            "kind": "complaint",
            "subject": "صف طولانی",
            "body": "صف آموزش طولانی است",
            "applicant_name": "سارا محمدی",
            "applicant_national_code": "۰۰۸۴۵۷۵۹۴۸",
            "applicant_number": "۴۰۱۱۲۳",
            "applicant_email": "Sara@Example.com",
            "applicant_mobile": "+989121234567",
            "notify_channels": ["email"],
        },
    )
    assert response.status_code == 201, response.text
    code = response.json()["tracking_code"]

    admin = rest_factory("admin")
    before = {
        path: admin.get(path).json()
        for path in ("/services/edu-301", "/services/edu-302", f"/requests/{code}")
    }

    with api.env.adopt_roles(["Manager"]):
        _shape(portal, at_1004=False)  # today's code, the types not yet upgraded
    transaction.commit()
    yield {
        "portal": portal,
        "catalog": service_catalog,
        "request": functional["request"],
        "code": code,
        "before": before,
        "staff_calendar_id": staff_calendar.getId(),
    }
    clearRequest()


def _upgrade(portal):
    with api.env.adopt_roles(["Manager"]):
        portal.portal_setup.upgradeProfile(PROFILE, dest="1009")
    transaction.commit()


def test_values_survive_and_the_rules_read_them(old_site):
    setRequest(old_site["request"])  # the rules ask the request for the language
    portal, catalog = old_site["portal"], old_site["catalog"]
    service, suspended = catalog["edu-301"], catalog["edu-302"]
    staff_calendar, open_calendar = service[old_site["staff_calendar_id"]], service["desk"]
    # Before the step nothing may be requested: the rules read the behavior only.
    assert request_availability(service).code == "switched_off"
    assert desk_api.anonymous_may_request(open_calendar) is False

    _upgrade(portal)
    assert portal.portal_setup.getLastVersionForProfile(PROFILE) == ("1009",)
    for portal_type, (_old, _new, behavior) in SHAPES.items():
        assert behavior in portal.portal_types[portal_type].behaviors
    assert "plone.versioning" in portal.portal_types["Service"].behaviors  # others kept

    # Stored where they were: nothing was copied.
    assert {name: _stored(service)[name] for name in AVAILABILITY} == {
        "available": True,
        "available_from": days(-10),
        "available_until": days(400),
        "request_audiences": ["students"],
        "allow_anonymous": True,
    }
    assert IRequestAvailability(service) is service
    assert (
        suspended.available,
        suspended.available_until,
        suspended.request_audiences,
        suspended.allow_anonymous,
    ) == (False, datetime.date(2027, 3, 20), ["staff"], False)
    assert (staff_calendar.request_audiences, staff_calendar.allow_anonymous) == (["staff"], False)
    assert "allow_anonymous" not in _stored(open_calendar) and open_calendar.allow_anonymous is True

    # The same answers as at 1004, to a visitor.
    logout()
    assert request_availability(service).code == "login"  # students only
    assert request_availability(suspended).code == "switched_off"
    assert desk_api.anonymous_may_request(service) is True
    assert desk_api.why_not_requestable(open_calendar, None) is None
    assert desk_api.why_not_requestable(staff_calendar, None) is not None

    request = desk_api.find_by_code(old_site["code"])
    assert {name: IApplicantContact(request).__getattribute__(name) for name in CONTACT} == {
        "applicant_name": "سارا محمدی",
        "applicant_national_code": "0084575948",
        "applicant_number": "401123",
        "applicant_email": "sara@example.com",
        "applicant_mobile": "09121234567",
    }
    booking = open_calendar.bookings[BOOKING_CODE]
    assert IApplicantContact.providedBy(booking) and IApplicantContact(booking) is booking
    assert booking_api.verify(BOOKING_CODE, "۰۹۳۵ ۱۲۳ ۴۵۶۷") is booking


def test_edit_forms_show_each_field_once(old_site, browser_factory):
    _upgrade(old_site["portal"])
    service = old_site["catalog"]["edu-301"]
    browser = browser_factory("test-editor")
    browser.open(service.absolute_url() + "/edit")
    tree = html.fromstring(browser.contents)
    for name in AVAILABILITY:
        assert len(_formfields(browser, f"IRequestAvailability.{name}")) == 1, name
        assert not _formfields(browser, name), name  # no copy of 1004 left in the schema
        assert tree.xpath(
            f"//fieldset[@id='fieldset-availability']"
            f"//div[@data-fieldname='form.widgets.IRequestAvailability.{name}']"
        ), name
    assert (
        browser.getControl(name="form.widgets.IRequestAvailability.available_from").value
        == days(-10).isoformat()
    )
    assert browser.getControl(
        name="form.widgets.IRequestAvailability.request_audiences:list"
    ).value == ["students"]
    assert browser.getControl(
        name="form.widgets.IRequestAvailability.allow_anonymous:list"
    ).value == ["selected"]
    browser.getControl(name="form.buttons.save").click()
    assert "/edit" not in browser.url, browser.contents[:2000]
    transaction.begin()
    assert (service.available_from, service.request_audiences, service.allow_anonymous) == (
        days(-10),
        ["students"],
        True,
    )

    for calendar_id, shown in ((old_site["staff_calendar_id"], []), ("desk", ["selected"])):
        browser.open(f"{service.absolute_url()}/{calendar_id}/edit")
        assert len(_formfields(browser, "IRequestAvailability.allow_anonymous")) == 1
        assert not _formfields(browser, "allow_anonymous")
        assert (
            browser.getControl(name="form.widgets.IRequestAvailability.allow_anonymous:list").value
            == shown
        ), calendar_id


def test_rest_gives_and_takes_the_same_names(old_site, rest_factory):
    _upgrade(old_site["portal"])
    admin = rest_factory("admin")
    for path, before in old_site["before"].items():
        after = admin.get(path).json()
        names = AVAILABILITY if path.startswith("/services") else CONTACT
        assert {n: after[n] for n in names} == {n: before[n] for n in names}, path

    editor = rest_factory("test-editor")
    response = editor.patch(
        "/services/edu-302",
        json={
            "available": True,
            "available_until": "2027-06-21",
            "request_audiences": ["staff", "faculty"],
            "allow_anonymous": True,
        },
    )
    assert response.status_code == 204, response.text
    data = editor.get("/services/edu-302").json()
    assert (data["available"], data["available_until"], data["allow_anonymous"]) == (
        True,
        "2027-06-21",
        True,
    )
    assert [item["token"] for item in data["request_audiences"]] == ["staff", "faculty"]
    transaction.begin()
    stored = _stored(old_site["catalog"]["edu-302"])
    assert (stored["available_until"], stored["request_audiences"]) == (
        datetime.date(2027, 6, 21),
        ["staff", "faculty"],
    )
    # Bad input is still refused, under the same name.
    response = editor.patch("/services/edu-302", json={"available_from": "2027-07-01"})
    assert response.status_code == 400
    # (the message is the repr of a list: its zero-width non-joiner is escaped)
    assert "پیش از آغاز آن باشد" in response.json()["message"]
