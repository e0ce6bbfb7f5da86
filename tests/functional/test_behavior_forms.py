"""The availability behavior in the add and edit forms of services and calendars: each
field once, in the Availability fieldset, labelled in Persian; what a calendar offers by
default; who may not edit; bad input."""

from lxml import html
from plone import api
from tests.helpers import make_service

import datetime
import pytest
import transaction

FIELDSET = "//fieldset[@id='fieldset-availability']"
LABELS = {  # field: its Persian label
    "available": "ارائه می‌شود",
    "available_from": "آغاز دوره درخواست",
    "available_until": "پایان دوره درخواست",
    "request_audiences": "چه کسانی می‌توانند درخواست دهند",
    "allow_anonymous": "امکان درخواست بدون ورود به سامانه",
}
PREFIX = "form.widgets.IRequestAvailability."


def _field(tree, name):
    return tree.xpath(f"//div[@data-fieldname='{name}']")


def _check_availability_fields(browser):
    tree = html.fromstring(browser.contents)
    assert tree.xpath(f"{FIELDSET}/legend")[0].text_content().strip() == "دسترس‌پذیری"
    in_fieldset = [
        div.get("data-fieldname") for div in tree.xpath(f"{FIELDSET}//div[@data-fieldname]")
    ]
    for name, label in LABELS.items():
        [div] = _field(tree, PREFIX + name)  # once, and never without the prefix
        assert not _field(tree, f"form.widgets.{name}"), name
        assert PREFIX + name in in_fieldset, name
        assert label in div.text_content(), name
    return in_fieldset


@pytest.fixture
def service(functional, service_catalog):
    with api.env.adopt_roles(["Manager"]):
        service = make_service(service_catalog, code="EDU-101")
    transaction.commit()
    return service


def test_service_add_form(service_catalog, browser_factory):
    browser = browser_factory("test-editor")
    browser.open(service_catalog.absolute_url() + "/++add++Service")
    in_fieldset = _check_availability_fields(browser)
    # The service's own field of that fieldset comes last.
    assert in_fieldset == [PREFIX + name for name in LABELS] + ["form.widgets.request_form"]
    assert browser.getControl(name=PREFIX + "available:list").value == ["selected"]
    assert browser.getControl(name=PREFIX + "allow_anonymous:list").value == []


def test_calendar_add_form_round_trip(service, browser_factory):
    browser = browser_factory("test-editor")
    browser.open(service.absolute_url() + "/++add++AppointmentCalendar")
    in_fieldset = _check_availability_fields(browser)
    assert in_fieldset == [PREFIX + name for name in LABELS]
    tree = html.fromstring(browser.contents)
    assert tree.xpath(
        "//fieldset[@id='fieldset-default']//div[@data-fieldname='form.widgets.weekly_hours']"
    )
    # A calendar is open to visitors unless it says otherwise.
    assert browser.getControl(name=PREFIX + "allow_anonymous:list").value == ["selected"]
    browser.getControl(name="form.widgets.IBasic.title").value = "نوبت مشاوره"
    browser.getControl(name=PREFIX + "available_from").value = "2027-01-01"
    browser.getControl(name=PREFIX + "request_audiences:list").value = ["students", "staff"]
    browser.getControl(name="form.buttons.save").click()
    assert "++add++" not in browser.url, browser.contents[:2000]
    transaction.begin()
    [calendar] = [o for o in service.objectValues() if o.portal_type == "AppointmentCalendar"]
    calendar._p_activate()
    assert {k: calendar.__dict__[k] for k in LABELS} == {
        "available": True,
        "available_from": datetime.date(2027, 1, 1),
        "available_until": None,
        "request_audiences": ["students", "staff"],
        "allow_anonymous": True,
    }

    browser.open(calendar.absolute_url() + "/edit")
    _check_availability_fields(browser)
    assert browser.getControl(name=PREFIX + "request_audiences:list").value == ["students", "staff"]
    assert browser.getControl(name=PREFIX + "available_from").value == "2027-01-01"


def test_calendar_edit_refuses_dates_out_of_order(service, browser_factory):
    with api.env.adopt_roles(["Manager"]):
        calendar = api.content.create(
            container=service, type="AppointmentCalendar", id="desk", title="نوبت"
        )
    transaction.commit()
    browser = browser_factory("test-editor")
    browser.open(calendar.absolute_url() + "/edit")
    browser.getControl(name=PREFIX + "available_from").value = "2027-01-10"
    browser.getControl(name=PREFIX + "available_until").value = "2027-01-01"
    browser.getControl(name="form.buttons.save").click()
    assert "پایان دوره درخواست نمی‌تواند پیش از آغاز آن باشد" in browser.contents
    # What was typed is kept, nothing was stored.
    assert browser.getControl(name=PREFIX + "available_until").value == "2027-01-01"
    transaction.begin()
    assert (calendar.available_from, calendar.available_until) == (None, None)


@pytest.mark.parametrize("user", [None, "test-member", "test-agent"])
def test_who_may_not_edit(service, browser_factory, user):
    with api.env.adopt_roles(["Manager"]):
        calendar = api.content.create(
            container=service, type="AppointmentCalendar", id="desk", title="نوبت"
        )
    transaction.commit()
    browser = browser_factory(user)
    for url in (
        service.absolute_url() + "/edit",
        calendar.absolute_url() + "/edit",
        service.absolute_url() + "/++add++AppointmentCalendar",
    ):
        browser.open(url)
        assert PREFIX + "allow_anonymous" not in browser.contents, (user, url)
