"""Around the form: the service card opens it, the receipt in English, answers on every page."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import TEST_USER_NAME
from tests.forms.test_form_submission import attach
from tests.forms.test_form_submission import fill
from tests.forms.test_form_submission import requests_in
from uni.servicedesk.api import requests as desk_api

import pytest
import transaction


@pytest.fixture
def named_form(form_desk):
    """The service names its form (the form is in the service already)."""
    portal, service, form = form_desk["portal"], form_desk["service"], form_desk["form"]
    login(portal, TEST_USER_NAME)
    service.request_form = form.UID()
    service.reindexObject()
    logout()
    transaction.commit()
    return form_desk


def submit(browser_factory, form, language="fa", user=None):
    browser = fill(browser_factory(user, language=language), form.absolute_url())
    attach(browser)
    browser.getControl(name="form.buttons.submit").click()
    return browser


class TestServiceOpensItsForm:
    def test_card_links_the_form(self, named_form, browser_factory):
        browser = browser_factory()
        browser.open(named_form["service"].absolute_url())
        link = browser.getLink(url=named_form["form"].absolute_url())
        assert "servicedesk-request-button" in str(link.attrs.get("class", ""))

    def test_standard_form_redirects_to_it(self, named_form, browser_factory):
        browser = browser_factory()
        browser.open(f"{named_form['service'].absolute_url()}/@@request-service")
        assert browser.url == named_form["form"].absolute_url()

    def test_without_a_form_the_standard_one(self, form_desk, browser_factory):
        browser = browser_factory()
        browser.open(form_desk["service"].absolute_url())
        browser.getLink(url="@@request-service").click()
        assert browser.url.endswith("/@@request-service")

    def test_a_private_form_is_not_offered(self, named_form, browser_factory):
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(obj=named_form["form"], transition="retract")
        transaction.commit()
        browser = browser_factory()
        browser.open(named_form["service"].absolute_url())
        assert named_form["form"].absolute_url() not in browser.contents
        browser.getLink(url="@@request-service")


class TestReceipt:
    def test_english_thank_you_page(self, form_desk, browser_factory):
        browser = submit(browser_factory, form_desk["form"], language="en")
        [request] = requests_in(form_desk["portal"])
        assert "Keep your tracking code" in browser.contents
        assert request.tracking_code in browser.contents

    def test_persian_thank_you_page(self, form_desk, browser_factory):
        browser = submit(browser_factory, form_desk["form"])
        assert "کد رهگیری خود را نگه دارید" in browser.contents


class TestAnswersShown:
    def test_on_the_tracking_page_and_at_track(self, form_desk, browser_factory, rest_factory):
        submit(browser_factory, form_desk["form"])
        [request] = requests_in(form_desk["portal"])
        browser = browser_factory()
        browser.open(desk_api.tracking_url(request))
        assert "پاسخ‌های فرم" in browser.contents
        assert "کارشناسی ارشد" in browser.contents and "برای ارائه به سفارت" in browser.contents
        response = rest_factory().post(
            "/@track", json={"code": request.tracking_code, "verifier": "09121234567"}
        )
        assert response.status_code == 200
        assert {"label": "مقطع", "value": "کارشناسی ارشد"} in response.json()["form_answers"]

    def test_on_the_staff_page_and_in_rest(self, form_desk, browser_factory, rest_factory):
        submit(browser_factory, form_desk["form"])
        [request] = requests_in(form_desk["portal"])
        browser = browser_factory("test-supervisor")
        browser.open(request.absolute_url())
        assert "پاسخ‌های فرم" in browser.contents and "کارشناسی ارشد" in browser.contents
        data = rest_factory("test-supervisor").get(f"/requests/{request.getId()}").json()
        assert ["مقطع", "کارشناسی ارشد"] in data["form_answers"]
        assert [a["label"] for a in data["attachments"]] == ["کارنامه"]

    def test_not_to_another_member(self, form_desk, browser_factory, rest_factory):
        submit(browser_factory, form_desk["form"])
        [request] = requests_in(form_desk["portal"])
        browser = browser_factory("test-member")
        browser.open(request.absolute_url())
        assert "کارشناسی ارشد" not in browser.contents
        assert rest_factory("test-member").get(f"/requests/{request.getId()}").status_code in (
            401,
            403,
        )


class TestFormSaysWhenClosed:
    def test_not_yet_open(self, form_desk, browser_factory):
        from tests.helpers import days

        form_desk["service"].available_from = days(10)
        transaction.commit()
        browser = browser_factory()
        browser.open(form_desk["form"].absolute_url())
        assert "servicedesk-form-closed" in browser.contents
        assert "درخواست این خدمت از" in browser.contents

    def test_members_only_service_asks_visitors_to_log_in(self, form_desk, browser_factory):
        form_desk["service"].allow_anonymous = False
        transaction.commit()
        browser = browser_factory()
        browser.open(form_desk["form"].absolute_url())
        assert "servicedesk-form-closed" in browser.contents
        browser = browser_factory("test-member")
        browser.open(form_desk["form"].absolute_url())
        assert "servicedesk-form-closed" not in browser.contents

    def test_open_form_says_nothing(self, form_desk, browser_factory):
        browser = browser_factory()
        browser.open(form_desk["form"].absolute_url())
        assert "servicedesk-form-closed" not in browser.contents
