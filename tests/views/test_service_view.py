"""A service's identity card page: every section, availability, Jalali dates, RTL."""

from plone import api
from tests.helpers import days
from tests.helpers import make_service
from tests.helpers import rich
from uni.servicedesk.localization import format_date

import datetime
import pytest
import transaction


@pytest.fixture
def service(functional, service_catalog):
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-it", title="مرکز فناوری اطلاعات")
        service = make_service(
            service_catalog,
            code="IT-501",
            title="ایجاد حساب کاربری",
            title_en="University account",
            service_category="it",
            service_audiences=["students"],
            procedure=rich("<p>شرح فرایند ساخت حساب</p>"),
            steps=["ثبت درخواست | متقاضی", "ساخت حساب | کارشناس"],
            required_documents=["کارت دانشجویی"],
            rules=rich("<p>آیین‌نامه فناوری</p>"),
            duration_average=1,
            duration_max=2,
            fee=120000,
            fee_payment="درگاه اینترنتی",
            channels=["online", "phone"],
            delivery="electronic",
            responsible_unit="unit-it",
            responsible_person="مدیر مرکز",
            complaint_procedure="ثبت شکایت با کد رهگیری",
            contact="تلفن ۶۱۱۱",
            location="ساختمان فناوری",
            hours="۸ تا ۲۰",
        )
        faq = api.content.create(
            container=service,
            type="FAQ",
            id="faq-1",
            title="نام کاربری چیست؟",
            answer=rich("<p>شماره دانشجویی</p>"),
        )
        api.content.transition(obj=faq, transition="publish")
        api.content.create(
            container=service,
            type="FAQ",
            id="faq-2",
            title="پرسش پیش‌نویس",
            answer=rich("<p>هنوز منتشر نشده</p>"),
        )
    transaction.commit()
    return service


SECTIONS = [
    "servicedesk-availability",
    "servicedesk-procedure",
    "servicedesk-steps",
    "servicedesk-documents",
    "servicedesk-rules",
    "servicedesk-time-fee",
    "servicedesk-channels",
    "servicedesk-responsible",
    "servicedesk-complaints",
    "servicedesk-faq",
]


def test_all_sections_in_persian(service, browser_factory):
    browser = browser_factory()
    browser.open(service.absolute_url())
    html = browser.contents
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    for text in (
        "شرح فرایند ساخت حساب",
        "ساخت حساب",
        "کارشناس",
        "کارت دانشجویی",
        "آیین‌نامه فناوری",
        "۱۲۰٬۰۰۰",
        "درگاه اینترنتی",
        "مرکز فناوری اطلاعات",
        "مدیر مرکز",
        "ثبت شکایت با کد رهگیری",
        "ساختمان فناوری",
        "نام کاربری چیست؟",
        "شماره دانشجویی",
        "مراحل گردش کار",
        "مدارک لازم",
        "پرسش‌های متداول",
        "حداکثر مدت انجام",
        "۲ روز کاری",
    ):
        assert text in html, text
    assert 'dir="rtl"' in html
    # The draft FAQ is not shown to visitors.
    assert "پرسش پیش‌نویس" not in html


def test_english_card(service, browser_factory):
    browser = browser_factory(language="en")
    browser.open(service.absolute_url())
    assert "University account" in browser.contents
    assert "Required documents" in browser.contents
    assert "120,000 rials" in browser.contents


def test_last_updated_is_jalali(service, browser_factory):
    from persiantools.jdatetime import JalaliDate

    browser = browser_factory()
    browser.open(service.absolute_url())
    year = JalaliDate(datetime.date.today()).year
    assert "آخرین به‌روزرسانی" in browser.contents
    assert str(year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in browser.contents


@pytest.mark.parametrize(
    "changes,user,reason",
    [
        ({"available": False}, None, "این خدمت در حال حاضر ارائه نمی‌شود"),
        ({"available_from": days(400)}, None, format_date(days(400), "fa")),
        ({"available_until": days(-3)}, None, "به پایان رسیده است"),
        ({"request_audiences": ["faculty"]}, None, "برای درخواست وارد سامانه شوید"),
        (
            {"request_audiences": ["faculty"]},
            "test-member",
            "این خدمت فقط ویژه اعضای هیئت علمی است",
        ),
    ],
)
def test_unavailable_says_why(service, browser_factory, changes, user, reason):
    with api.env.adopt_roles(["Manager"]):
        for name, value in changes.items():
            setattr(service, name, value)
    transaction.commit()
    browser = browser_factory(user)
    browser.open(service.absolute_url())
    assert "servicedesk-unavailable" in browser.contents
    assert reason in browser.contents


def test_available_says_so(service, browser_factory):
    browser = browser_factory()
    browser.open(service.absolute_url())
    assert "servicedesk-unavailable" not in browser.contents
    assert "این خدمت برای شما قابل درخواست است" in browser.contents


def test_private_card_hidden(service, browser_factory):
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=service, transition="unpublish")
    transaction.commit()
    browser = browser_factory()
    browser.open(service.absolute_url())
    assert "ایجاد حساب کاربری" not in browser.contents
    editor = browser_factory("test-editor")
    editor.open(service.absolute_url())
    assert "ایجاد حساب کاربری" in editor.contents
