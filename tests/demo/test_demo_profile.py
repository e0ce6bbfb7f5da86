"""The demo university: enough realistic content to try every part of the catalog."""

from plone import api

import collections


def test_catalog_and_services(demo_portal):
    services = api.content.find(portal_type="Service")
    assert len(services) >= 12
    published = [b for b in services if b.review_state == "published"]
    assert len(published) >= 12
    assert len({b.service_category for b in services}) >= 4
    audiences = collections.Counter(a for b in services for a in b.service_audiences)
    assert len(audiences) >= 4
    with_faq = {b.getPath().rsplit("/", 2)[-2] for b in api.content.find(portal_type="FAQ")}
    assert len(with_faq) > len(services) / 2
    for brain in services:
        assert brain.title_en, brain.getPath()
        assert brain.description_en, brain.getPath()


def test_portal_opens_on_the_catalog(demo_portal):
    assert demo_portal.getDefaultPage() == "services"
    assert "ServiceCatalog" in api.portal.get_registry_record("plone.displayed_types")


def test_units_and_users(demo_portal):
    units = [g for g in api.group.get_groups() if g.getId().startswith("unit-")]
    assert len(units) >= 4
    roles = {
        "editor": "Service Editor",
        "reviewer": "Reviewer",
        "expert": "Service Desk Agent",
        "supervisor": "Service Desk Supervisor",
        "manager": "Site Administrator",
    }
    for user_id, role in roles.items():
        assert role in api.user.get_roles(username=user_id), user_id
    assert "students" in [g.getId() for g in api.group.get_groups(username="student")]


def test_demo_profile_is_idempotent(demo_portal):
    before = len(api.content.find(portal_type=["Service", "FAQ"]))
    api.portal.get_tool("portal_setup").runAllImportStepsFromProfile("profile-uni.servicedesk:demo")
    assert len(api.content.find(portal_type=["Service", "FAQ"])) == before


def test_demo_login_and_catalog_page(demo_browser_factory, demo_functional):
    browser = demo_browser_factory("student")
    browser.open(demo_functional["portal"].absolute_url() + "/services")
    assert browser.headers["status"].startswith("200")
    assert "صدور گواهی اشتغال به تحصیل" in browser.contents
    # A faculty-only service tells the student so.
    browser.open(demo_functional["portal"].absolute_url() + "/services/res-801")
    assert "این خدمت فقط ویژه اعضای هیئت علمی است" in browser.contents


def test_demo_requests(demo_portal):
    from uni.servicedesk.api import requests as desk_api

    folder = desk_api.requests_folder()
    states = sorted(api.content.get_state(folder[code]) for code in folder.objectIds())
    assert states == ["assigned", "resolved", "submitted"]


def test_service_forms_and_survey(demo_portal):
    from collective.easyform.api import get_actions
    from collective.easyform.api import get_schema
    from plone.namedfile.interfaces import INamedField
    from uni.servicedesk.api.forms import request_form
    from uni.servicedesk.forms.action import ICreateServiceRequest
    from zope.schema import getFieldsInOrder

    services = [b.getObject() for b in api.content.find(portal_type="Service")]
    with_forms = [s for s in services if request_form(s) is not None]
    assert len(with_forms) >= 3
    kinds = set()
    for service in with_forms:
        form = request_form(service)
        assert api.content.get_state(form) == "published"
        [action] = [
            a
            for _n, a in getFieldsInOrder(get_actions(form))
            if ICreateServiceRequest.providedBy(a)
        ]
        assert action.problems() == [], service.service_code
        fields = [f for _n, f in getFieldsInOrder(get_schema(form))]
        if any(INamedField.providedBy(f) for f in fields):
            kinds.add("files")
        if any(not f.required for f in fields):
            kinds.add("optional")
    assert kinds == {"files", "optional"}
    survey = demo_portal["satisfaction-survey"]
    assert api.content.get_state(survey) == "published"
    assert [n for n, _a in getFieldsInOrder(get_actions(survey))] == ["answers"]


def test_appointment_calendar(demo_portal):
    from uni.servicedesk.api import appointments as booking_api

    [brain] = api.content.find(portal_type="AppointmentCalendar")
    calendar = brain.getObject()
    assert api.content.get_state(calendar) == "published"
    assert booking_api.next_free(calendar)  # bookable in the coming days
    import datetime

    assert booking_api.is_closed(calendar, datetime.date(2027, 3, 21))  # Nowruz 1406
    assert booking_api.is_closed(calendar, datetime.date(2026, 6, 24))  # Tasua 1405 (lunar)


def test_desk_settings_and_outbox(demo_portal):
    """Escalation reaches the demo's supervisor and manager; experts have canned replies;
    the demo's requests told the student by SMS (the logging gateway)."""
    from uni.servicedesk.api.requests import canned
    from uni.servicedesk.api.notifications import outbox as outbox_api
    from uni.servicedesk.api import sla

    assert {c["title"] for c in canned.all_canned()} == {"دریافت درخواست", "بازنشانی گذرواژه"}
    assert sla.escalation_table()["unit-it"] == {
        1: ["supervisor"],
        2: ["supervisor"],
        3: ["manager"],
    }
    assert api.portal.get_registry_record("plone.email_from_address") == "servicedesk@uni.example"
    box = outbox_api.get_outbox()
    sms = [box.messages[i] for i in box.messages if box.messages[i].channel == "sms"]
    assert sms and {m.recipient for m in sms} == {"09121234567"}
