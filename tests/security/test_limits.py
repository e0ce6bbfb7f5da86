"""Visitors' creations limited per address and per person per hour on every channel;
a honeypot and an optional question on every visitors' form. Refusals are clear and
translated, and nothing is half-made."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.appointments.conftest import BOOKER
from tests.appointments.conftest import make_calendar
from tests.forms.conftest import FIELDS
from tests.forms.conftest import request_action
from tests.helpers import APPLICANT
from tests.helpers import make_service
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.browser import antispam
from uni.servicedesk.forms import builder

import pytest
import re
import transaction

PREFIX = "uni.servicedesk.security."
COMPLAINT = dict(APPLICANT, kind="complaint", subject="کلاس سرد", body="بخاری کار نمی‌کند")


def set_limits(**values):
    for name, value in values.items():
        api.portal.set_registry_record(PREFIX + name, value)
    transaction.commit()


def requests_now():
    transaction.begin()
    return len(desk_api.requests_folder().objectIds())


# -- the rule, in the domain API ------------------------------------------------------------


def test_one_person_at_most_n_an_hour(manager):
    """Five complaints an hour from one mobile (the default); the sixth is refused, and
    nothing of it is made. Logged-in users are not limited."""
    # The test layer switches limits off for the other capabilities' tests: the default here.
    api.portal.set_registry_record(PREFIX + "creations_per_person_per_hour", 5)
    logout()
    for _ in range(5):
        desk_api.submit(dict(COMPLAINT))
    before = len(desk_api.requests_folder().objectIds())
    with pytest.raises(desk_api.SubmissionError) as refused:
        desk_api.submit(dict(COMPLAINT, applicant_email="", applicant_national_code=""))
    assert refused.value.too_many and "form" in refused.value.errors
    assert len(desk_api.requests_folder().objectIds()) == before
    # Another person is not affected; the same person logged in is not limited.
    desk_api.submit(
        dict(
            COMPLAINT,
            applicant_mobile="09351234567",
            applicant_email="",
            applicant_national_code="",
        )
    )
    login(manager, TEST_USER_NAME)
    desk_api.submit(dict(COMPLAINT))


def test_limits_are_settings(manager):
    api.portal.set_registry_record(PREFIX + "creations_per_person_per_hour", 0)  # off
    logout()
    for _ in range(7):
        desk_api.submit(dict(COMPLAINT))


# -- every channel ------------------------------------------------------------------------


@pytest.fixture
def desk(functional, service_catalog):
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        service = make_service(service_catalog, "edu-101", allow_anonymous=True)
    transaction.commit()
    return {"portal": portal, "service": service}


def test_rest_answers_429_per_address(desk, rest_factory):
    set_limits(creations_per_client_per_hour=2, creations_per_person_per_hour=0)
    rest = rest_factory()
    for index in range(2):
        body = dict(COMPLAINT, applicant_mobile=f"0912000000{index}")
        assert rest.post("/requests", json=body).status_code == 201
    before = requests_now()
    answer = rest.post("/requests", json=dict(COMPLAINT, applicant_mobile="09120000009"))
    assert answer.status_code == 429
    error = answer.json()["error"]
    assert error["type"] == "TooManyRequests"
    assert error["errors"][0]["field"] == "form"
    assert "ساعت گذشته" in error["errors"][0]["message"]  # translated: "in the last hour"
    assert requests_now() == before


def test_contact_form_per_person(desk, browser_factory):
    set_limits(creations_per_person_per_hour=1)
    for expected in ("200", "429"):
        browser = browser_factory()
        browser.open(desk["portal"].absolute_url() + "/@@contact")
        browser.getControl(name="kind").value = ["complaint"]
        for name in ("applicant_name", "applicant_mobile", "subject", "body"):
            browser.getControl(name=name).value = COMPLAINT[name]
        before = requests_now()
        browser.getControl(name="form.buttons.send").click()
        assert browser.headers["status"].startswith(expected)
    assert "ساعت گذشته" in browser.contents
    assert requests_now() == before


def test_bookings_per_person(desk, rest_factory):
    """One mobile does not take every seat: the second booking within the hour is refused."""
    with api.env.adopt_roles(["Manager"]):
        calendar = make_calendar(desk["service"])
    transaction.commit()
    first, second = (slot.key for slot in booking_api.next_free(calendar, limit=2))
    set_limits(creations_per_person_per_hour=1)
    rest = rest_factory()
    url = "/services/edu-101/appointments/@book"
    assert rest.post(url, json=dict(BOOKER, slot=first)).status_code == 201
    again = rest.post(url, json=dict(BOOKER, slot=second))
    assert again.status_code == 429
    assert again.json()["error"]["type"] == "TooManyRequests"
    transaction.begin()
    assert len(calendar.bookings) == 1


@pytest.fixture
def form_desk(functional, service_catalog):
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    service = make_service(service_catalog, code="EDU-201", allow_anonymous=True)
    fields = [field for field in FIELDS if field["kind"] != "file"]
    form = builder.create_form(service, "form", "فرم درخواست", fields, [request_action()])
    api.content.transition(obj=form, transition="publish")
    survey = builder.create_form(
        portal,
        "survey",
        "نظرسنجی",
        [{"name": "comment", "kind": "textarea", "title": "پیشنهاد شما"}],
        [("answers", builder.SAVE_DATA_TYPE, "پاسخ‌ها", {"DownloadFormat": "tsv"})],
    )
    api.content.transition(obj=survey, transition="publish")
    logout()
    transaction.commit()
    return {"portal": portal, "form": form, "survey": survey}


def fill_request_form(browser, url):
    browser.open(url)
    browser.getControl(name="form.widgets.full_name").value = APPLICANT["applicant_name"]
    browser.getControl(name="form.widgets.national_code").value = APPLICANT[
        "applicant_national_code"
    ]
    browser.getControl(name="form.widgets.mobile").value = APPLICANT["applicant_mobile"]
    browser.getControl("کارشناسی ارشد").selected = True


def test_easyform_action_per_person(form_desk, browser_factory):
    set_limits(creations_per_person_per_hour=1)
    url = form_desk["form"].absolute_url()
    for expected in ("200", "429"):
        browser = browser_factory()
        fill_request_form(browser, url)
        before = requests_now()
        browser.getControl(name="form.buttons.submit").click()
        assert browser.headers["status"].startswith(expected)
    assert "ساعت گذشته" in browser.contents
    assert requests_now() == before


# -- honeypot and question --------------------------------------------------------------------


def test_a_filled_honeypot_is_refused_on_our_form(desk, browser_factory):
    browser = browser_factory()
    browser.open(desk["service"].absolute_url() + "/@@request-service")
    assert 'class="servicedesk-hp"' in browser.contents
    browser.getControl(name=antispam.HONEYPOT).value = "http://spam.example"
    for name in ("applicant_name", "applicant_mobile", "applicant_national_code"):
        browser.getControl(name=name).value = APPLICANT[name]
    before = requests_now()
    browser.getControl(name="form.buttons.send").click()
    assert browser.headers["status"].startswith("400")
    assert "برنامه" in browser.contents  # "…as if a program filled it in", in Persian
    assert requests_now() == before


def test_a_post_without_the_page_is_refused(desk, browser_factory):
    browser = browser_factory()
    browser.open(desk["portal"].absolute_url() + "/@@contact")
    token = re.search(r'name="_authenticator" value="([^"]+)"', browser.contents).group(1)
    before = requests_now()
    browser.post(
        desk["portal"].absolute_url() + "/@@contact",
        f"form.submitted=1&_authenticator={token}&kind=complaint&subject=x&body=y"
        "&applicant_name=x&applicant_mobile=09121234567",
    )
    assert browser.headers["status"].startswith("400")
    assert requests_now() == before


def test_logged_in_users_are_not_asked(desk, browser_factory):
    browser = browser_factory("test-member")
    browser.open(desk["portal"].absolute_url() + "/@@contact")
    assert 'class="servicedesk-hp"' not in browser.contents


def test_the_honeypot_on_an_easyform_survey(form_desk, browser_factory):
    survey = form_desk["survey"]
    browser = browser_factory()
    browser.open(survey.absolute_url())
    assert 'class="servicedesk-hp"' in browser.contents
    browser.getControl(name="form.widgets.comment").value = "خرید ارزان"
    browser.getControl(name=antispam.HONEYPOT).value = "spam"
    browser.getControl(name="form.buttons.submit").click()
    assert "برنامه" in browser.contents
    transaction.begin()
    assert "answers" not in getattr(survey, "_inputStorage", {})  # nothing saved
    browser = browser_factory()
    browser.open(survey.absolute_url())
    browser.getControl(name="form.widgets.comment").value = "کتابخانه شب‌ها باز باشد"
    browser.getControl(name="form.buttons.submit").click()
    transaction.begin()
    assert len(survey._inputStorage["answers"]) == 1


def answer_question(browser, right=True):
    token = browser.getControl(name=antispam.TOKEN).value
    first, second = (int(part) for part in token.split(".")[:2])
    answer = str(first + second + (0 if right else 1))
    # Persian digits are accepted.
    browser.getControl(name=antispam.ANSWER).value = answer.translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )


def test_the_question_when_it_is_on(desk, browser_factory):
    browser = browser_factory()
    browser.open(desk["portal"].absolute_url() + "/@@contact")
    assert "sd-challenge" not in browser.contents  # off by default
    set_limits(question_challenge=True)
    for right, status in ((False, "400"), (True, "200")):
        browser = browser_factory()
        browser.open(desk["portal"].absolute_url() + "/@@contact")
        assert "حاصل" in browser.contents  # the sum, asked in Persian
        browser.getControl(name="kind").value = ["complaint"]
        for name in ("applicant_name", "applicant_mobile", "subject", "body"):
            browser.getControl(name=name).value = COMPLAINT[name]
        answer_question(browser, right)
        before = requests_now()
        browser.getControl(name="form.buttons.send").click()
        assert browser.headers["status"].startswith(status)
    assert requests_now() == before + 1


def test_a_forged_question_token_is_refused(integration):
    first, second, token = antispam.new_question()
    assert antispam.answer_is_right(token, first + second)
    assert not antispam.answer_is_right(token, first + second + 1)
    forged = ".".join(["1", "1"] + token.split(".")[2:])
    assert not antispam.answer_is_right(forged, 2)
