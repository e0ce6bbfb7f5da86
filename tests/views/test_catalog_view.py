"""The catalog page through the publisher: browse, filter, search; who sees what."""

from plone import api
from tests.helpers import make_service
from tests.helpers import rich

from urllib.parse import urlencode

import pytest
import transaction


@pytest.fixture
def services(functional, service_catalog):
    with api.env.adopt_roles(["Manager"]):
        it = make_service(
            service_catalog,
            code="IT-502",
            title="بازنشانی گذرواژه",
            title_en="Password reset",
            description="بازیابی حساب کاربری",
            service_category="it",
            service_audiences=["students", "staff"],
        )
        faq = api.content.create(
            container=it,
            type="FAQ",
            id="faq-1",
            title="گذرواژه موقت؟",
            answer=rich("<p>رمز یکبار مصرف</p>"),
        )
        api.content.transition(obj=faq, transition="publish")
        make_service(
            service_catalog,
            code="EDU-101",
            title="گواهی اشتغال به تحصیل",
            service_category="education",
            service_audiences=["students"],
            fee=500000,
        )
        make_service(
            service_catalog,
            code="RES-801",
            title="گرنت پژوهشی",
            description="طرح پژوهشی اعضای هیئت علمی",
            service_category="research",
            service_audiences=["faculty"],
        )
        make_service(
            service_catalog,
            code="FIN-999",
            title="پیش‌نویس مالی",
            service_category="finance",
            publish=False,
        )
    transaction.commit()
    return service_catalog


def codes(browser):
    import re

    return sorted(set(re.findall(r"<bdi>([A-Z]+-\d+)</bdi>", browser.contents)))


def test_grouped_by_category(services, browser_factory):
    browser = browser_factory()
    browser.open(services.absolute_url())
    assert browser.headers["status"].startswith("200")
    assert codes(browser) == ["EDU-101", "IT-502", "RES-801"]
    assert 'id="category-it"' in browser.contents
    assert 'dir="rtl"' in browser.contents


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"category": "it"}, ["IT-502"]),
        ({"audience": "students"}, ["EDU-101", "IT-502"]),
        ({"audience": "faculty"}, ["RES-801"]),
        ({"q": "گذرواژه"}, ["IT-502"]),
        ({"q": "یکبار"}, ["IT-502"]),  # from the FAQ answer
        ({"q": "گواهي"}, ["EDU-101"]),  # Arabic yeh typed
        ({"q": "اشتغال", "category": "it"}, []),
        ({"category": "nonsense"}, ["EDU-101", "IT-502", "RES-801"]),  # unknown filter ignored
        ({"b_start": "abc"}, ["EDU-101", "IT-502", "RES-801"]),
    ],
)
def test_filters_and_search(services, browser_factory, query, expected):
    browser = browser_factory()
    browser.open(services.absolute_url() + "?" + urlencode(query))
    assert browser.headers["status"].startswith("200")
    assert codes(browser) == expected


def test_persian_counts_and_fee(services, browser_factory):
    browser = browser_factory()
    browser.open(services.absolute_url() + "?audience=students")
    assert "۵۰۰٬۰۰۰" in browser.contents
    assert "۲ خدمت پیدا شد" in browser.contents


def test_english_ui(services, browser_factory):
    browser = browser_factory(language="en")
    browser.open(services.absolute_url())
    assert "Password reset" in browser.contents  # English title of the service
    assert "Search services and their questions" in browser.contents
    assert "500,000" in browser.contents
    assert 'dir="rtl"' not in browser.contents


def test_private_service_only_for_editors(services, browser_factory):
    anonymous = browser_factory()
    anonymous.open(services.absolute_url() + "?category=finance")
    assert "FIN-999" not in anonymous.contents
    member = browser_factory("test-member")
    member.open(services.absolute_url() + "?category=finance")
    assert "FIN-999" not in member.contents
    editor = browser_factory("test-editor")
    editor.open(services.absolute_url() + "?category=finance")
    assert codes(editor) == ["FIN-999"]


def test_search_text_is_escaped(services, browser_factory):
    browser = browser_factory()
    browser.open(services.absolute_url() + "?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert browser.headers["status"].startswith("200")
    assert "<script>alert(1)</script>" not in browser.contents
