"""Every identity-card field round-trips through the classic add and edit forms."""

from plone import api
from tests.helpers import make_service

import datetime
import transaction

FORM_VALUES = {
    "form.widgets.service_code": "edu-۱۲۳",  # Persian digits and lower case are accepted
    "form.widgets.IBasic.title": "صدور گواهی موقت",
    "form.widgets.IBasic.description": "گواهی موقت پایان تحصیلات",
    "form.widgets.title_en": "Provisional degree certificate",
    "form.widgets.description_en": "A certificate until the degree is issued.",
    "form.widgets.process_title": "فرایند دانش‌آموختگی",
    "form.widgets.procedure": "<p>درخواست را ثبت کنید.</p>",
    "form.widgets.steps": "ثبت درخواست | دانشجو\nبررسی | کارشناس آموزش",
    "form.widgets.required_documents": "کارت ملی\nعکس",
    "form.widgets.rules": "<p>آیین‌نامه آموزشی</p>",
    "form.widgets.duration_average": "۳",
    "form.widgets.duration_max": "٧",
    "form.widgets.fee": "۱٬۵۰۰٬۰۰۰",
    "form.widgets.fee_payment": "درگاه اینترنتی",
    "form.widgets.in_person_visits": "1",
    "form.widgets.responsible_person": "مدیر آموزش",
    "form.widgets.complaint_procedure": "ثبت شکایت با کد رهگیری",
    "form.widgets.contact": "۰۲۱-۶۱۱۱",
    "form.widgets.location": "ساختمان مرکزی",
    "form.widgets.hours": "۸ تا ۱۴",
    "form.widgets.IRequestAvailability.available_from": "2026-01-01",
    "form.widgets.IRequestAvailability.available_until": "2027-12-29",
}
LIST_VALUES = {
    "form.widgets.service_type:list": ["internal"],
    "form.widgets.service_category:list": ["education"],
    "form.widgets.service_audiences:list": ["students", "alumni"],
    "form.widgets.start_trigger:list": ["event"],
    "form.widgets.frequency:list": ["once"],
    "form.widgets.channels:list": ["online", "in_person"],
    "form.widgets.delivery:list": ["electronic"],
    "form.widgets.responsible_unit:list": ["unit-education"],
    "form.widgets.IRequestAvailability.request_audiences:list": ["alumni"],
    "form.widgets.IRequestAvailability.allow_anonymous:list": ["selected"],
}
EXPECTED = {
    "service_code": "EDU-123",
    "title": "صدور گواهی موقت",
    "description": "گواهی موقت پایان تحصیلات",
    "title_en": "Provisional degree certificate",
    "description_en": "A certificate until the degree is issued.",
    "process_title": "فرایند دانش‌آموختگی",
    "steps": ["ثبت درخواست | دانشجو", "بررسی | کارشناس آموزش"],
    "required_documents": ["کارت ملی", "عکس"],
    "duration_average": 3,
    "duration_max": 7,
    "fee": 1500000,
    "fee_payment": "درگاه اینترنتی",
    "in_person_visits": 1,
    "responsible_person": "مدیر آموزش",
    "complaint_procedure": "ثبت شکایت با کد رهگیری",
    "contact": "۰۲۱-۶۱۱۱",
    "location": "ساختمان مرکزی",
    "hours": "۸ تا ۱۴",
    "available_from": datetime.date(2026, 1, 1),
    "available_until": datetime.date(2027, 12, 29),
    "service_type": "internal",
    "service_category": "education",
    "service_audiences": ["students", "alumni"],
    "start_trigger": "event",
    "frequency": "once",
    "channels": ["online", "in_person"],
    "delivery": "electronic",
    "responsible_unit": "unit-education",
    "request_audiences": ["alumni"],
    "allow_anonymous": True,
    "available": True,
}


def _unit(functional):
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-education", title="اداره آموزش")
    transaction.commit()
    return portal


def _fill(browser, values, lists):
    for name, value in values.items():
        browser.getControl(name=name).value = value
    for name, value in lists.items():
        browser.getControl(name=name).value = value


def test_add_form_round_trip(functional, service_catalog, browser_factory):
    _unit(functional)
    with api.env.adopt_roles(["Manager"]):
        related = make_service(service_catalog, code="EDU-200")
    transaction.commit()
    browser = browser_factory("test-editor")
    browser.open(service_catalog.absolute_url() + "/++add++Service")
    assert browser.headers["status"].startswith("200")
    _fill(browser, FORM_VALUES, LIST_VALUES)
    browser.getControl(name="form.widgets.IRelatedItems.relatedItems").value = related.UID()
    browser.getControl(name="form.buttons.save").click()
    assert "edu-123" in service_catalog.objectIds(), browser.contents[:3000]
    assert "/services/edu-123" in browser.url
    service = service_catalog["edu-123"]
    for name, expected in EXPECTED.items():
        value = getattr(service, name)
        if callable(value):
            value = value()
        assert value == expected, name
    assert [rel.to_object for rel in service.relatedItems] == [related]
    assert "درخواست را ثبت کنید" in service.procedure.raw
    assert "آیین‌نامه آموزشی" in service.rules.raw

    # The edit form shows every value again and saving keeps them.
    browser.open(service.absolute_url() + "/edit")
    assert browser.getControl(name="form.widgets.fee").value == "1500000"
    assert browser.getControl(name="form.widgets.service_code").value == "EDU-123"
    assert browser.getControl(name="form.widgets.channels:list").value == ["online", "in_person"]
    browser.getControl(name="form.widgets.hours").value = "همه روزه"
    browser.getControl(name="form.buttons.save").click()
    assert "/@@edit" not in browser.url, browser.contents
    transaction.begin()
    assert service.hours == "همه روزه"
    for name, expected in dict(EXPECTED, hours="همه روزه").items():
        value = getattr(service, name)
        assert (value() if callable(value) else value) == expected, name


def _submit_minimal(browser_factory, catalog, code, language="en", **extra):
    """Open the add form as an editor, fill the required fields (and extra), save."""
    browser = browser_factory("test-editor", language=language)
    browser.open(catalog.absolute_url() + "/++add++Service")
    browser.getControl(name="form.widgets.service_code").value = code
    browser.getControl(name="form.widgets.IBasic.title").value = "دیگری"
    browser.getControl(name="form.widgets.service_category:list").value = ["it"]
    for name, value in extra.items():
        browser.getControl(name=f"form.widgets.{name}").value = value
    browser.getControl(name="form.buttons.save").click()
    return browser


def test_add_form_refuses_duplicate_code(functional, service_catalog, browser_factory):
    with api.env.adopt_roles(["Manager"]):
        make_service(service_catalog, code="EDU-101")
    transaction.commit()
    browser = _submit_minimal(browser_factory, service_catalog, "edu-۱۰۱")
    assert "Another service already uses this service code" in browser.contents
    # What was typed is kept, nothing was created.
    assert browser.getControl(name="form.widgets.IBasic.title").value == "دیگری"
    transaction.begin()
    assert service_catalog.objectIds() == ["edu-101"]


def test_add_form_bad_number_and_dates(functional, service_catalog, browser_factory):
    browser = _submit_minimal(
        browser_factory,
        service_catalog,
        "IT-900",
        fee="رایگان",
        **{
            "IRequestAvailability.available_from": "2027-01-10",
            "IRequestAvailability.available_until": "2027-01-01",
        },
    )
    assert "Enter a whole number" in browser.contents
    transaction.begin()
    assert service_catalog.objectIds() == []


def test_add_form_persian_error_messages(functional, service_catalog, browser_factory):
    browser = _submit_minimal(browser_factory, service_catalog, "کد", language="fa")
    assert "کد خدمت حداکثر ۳۲ حرف لاتین" in browser.contents
    assert "A service code is up to" not in browser.contents


def test_member_and_anonymous_cannot_open_add_form(functional, service_catalog, browser_factory):
    for user in (None, "test-member", "test-agent"):
        browser = browser_factory(user)
        browser.open(service_catalog.absolute_url() + "/++add++Service")
        assert "form.widgets.service_code" not in browser.contents, user


def test_edit_form_keeps_own_code_refuses_anothers(functional, service_catalog, browser_factory):
    with api.env.adopt_roles(["Manager"]):
        make_service(service_catalog, code="EDU-101")
        second = make_service(service_catalog, code="EDU-102", hours="صبح")
    transaction.commit()
    browser = browser_factory("test-editor", language="en")
    browser.open(second.absolute_url() + "/edit")
    browser.getControl(name="form.widgets.hours").value = "عصر"
    browser.getControl(name="form.buttons.save").click()
    assert "/@@edit" not in browser.url
    browser.open(second.absolute_url() + "/edit")
    browser.getControl(name="form.widgets.service_code").value = "EDU-101"
    browser.getControl(name="form.buttons.save").click()
    assert "Another service already uses this service code" in browser.contents
    transaction.begin()
    assert (second.service_code, second.hours) == ("EDU-102", "عصر")


def test_add_form_dates_out_of_order(functional, service_catalog, browser_factory):
    browser = _submit_minimal(
        browser_factory,
        service_catalog,
        "IT-901",
        **{
            "IRequestAvailability.available_from": "2027-01-10",
            "IRequestAvailability.available_until": "2027-01-01",
        },
    )
    assert "Requests cannot close before they open." in browser.contents
    transaction.begin()
    assert service_catalog.objectIds() == []
