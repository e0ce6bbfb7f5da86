"""The rules of requests from forms (uni.servicedesk.api.forms), without the publisher."""

from decimal import Decimal
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from tests.forms.conftest import FIELDS
from tests.forms.conftest import MAPPING
from tests.helpers import make_catalog
from tests.helpers import make_service
from tests.helpers import VALID_NATIONAL_CODE
from uni.servicedesk.api import forms as forms_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.forms import builder
from uni.servicedesk.forms.action import form_fields

import datetime
import pytest


class Settings:
    def __init__(self, **settings):
        defaults = dict(
            MAPPING, service_code=None, subject_field=None, body_field=None, number_field=None
        )
        for key, value in dict(defaults, **settings).items():
            setattr(self, key, value)


@pytest.fixture
def setup(manager):
    catalog = make_catalog(manager)
    service = make_service(catalog, code="EDU-201", allow_anonymous=True)
    other = make_service(catalog, code="EDU-202")
    inside = builder.create_form(service, "form", "فرم", FIELDS, [])
    elsewhere = builder.create_form(manager, "elsewhere", "فرم دیگر", FIELDS, [])
    return {"service": service, "other": other, "inside": inside, "elsewhere": elsewhere}


def answers(**changes):
    values = {
        "full_name": "سارا محمدی",
        "national_code": "۰۰۸۴۵۷۵۹۴۸",
        "mobile": "09121234567",
        "level": "کارشناسی",
        "reason": "",
        "transcript": NamedBlobFile(b"%PDF-1.4", filename="t.pdf"),
    }
    values.update(changes)
    return values


class TestWhichService:
    def test_the_service_the_form_is_in(self, setup):
        assert forms_api.service_of_form(setup["inside"]) == setup["service"]

    def test_the_service_that_names_the_form(self, setup):
        setup["other"].request_form = setup["elsewhere"].UID()
        setup["other"].reindexObject()
        assert forms_api.service_of_form(setup["elsewhere"]) == setup["other"]

    def test_none(self, setup):
        assert forms_api.service_of_form(setup["elsewhere"]) is None

    def test_a_chosen_code_wins(self, setup):
        assert (
            forms_api.service_for(Settings(service_code="EDU-202"), setup["inside"])
            == setup["other"]
        )

    def test_request_form_only_when_the_visitor_may_see_it(self, setup):
        setup["service"].request_form = setup["inside"].UID()
        assert forms_api.request_form(setup["service"]) == setup["inside"]
        with api.env.adopt_roles(["Anonymous"]):
            assert forms_api.request_form(setup["service"]) is None  # the form is private


class TestConfigurationProblems:
    def problems(self, form, **settings):
        return [
            str(p)
            for p in forms_api.configuration_problems(Settings(**settings), form, form_fields(form))
        ]

    def test_complete(self, setup):
        assert self.problems(setup["inside"]) == []

    def test_each_problem(self, setup):
        form = setup["elsewhere"]  # in no service
        problems = self.problems(
            form, name_field=None, email_field=None, mobile_field=None, national_code_field="gone"
        )
        assert len(problems) == 4
        assert any("${field}" in p for p in problems)

    def test_feedback_needs_a_message_not_a_service(self, setup):
        assert self.problems(setup["elsewhere"], kind="complaint") == [
            "Choose the form field that holds the message."
        ]
        assert self.problems(setup["elsewhere"], kind="complaint", body_field="reason") == []

    def test_anonymous_service_needs_the_national_code(self, setup):
        problems = self.problems(setup["inside"], national_code_field=None)
        assert len(problems) == 1 and "national code" in problems[0]


class TestSubmitForm:
    def test_creates_with_mapped_fields_answers_and_files(self, setup):
        request = forms_api.submit_form(
            Settings(), setup["inside"], form_fields(setup["inside"]), answers()
        )
        assert request.applicant_national_code == VALID_NATIONAL_CODE  # Persian digits read
        assert request.subject == setup["service"].Title()
        assert request.form_answers == (("مقطع", "کارشناسی"),)  # empty answers left out
        assert [a["label"] for a in desk_api.attachments(request)] == ["کارنامه"]
        assert request.notify_channels == ["sms"]

    def test_errors_keyed_by_the_forms_fields(self, setup):
        values = answers(national_code="1234567890", full_name="")
        with pytest.raises(desk_api.SubmissionError) as raised:
            forms_api.submit_form(Settings(), setup["inside"], form_fields(setup["inside"]), values)
        assert set(raised.value.errors) == {"national_code", "full_name"}
        assert len(desk_api.requests_folder().objectIds()) == 0

    def test_service_documents_not_asked_again(self, setup):
        setup["service"].required_documents = ["کارت ملی"]
        request = forms_api.submit_form(
            Settings(), setup["inside"], form_fields(setup["inside"]), answers()
        )
        assert request is not None

    def test_misconfigured_creates_nothing(self, setup):
        with pytest.raises(desk_api.SubmissionError) as raised:
            forms_api.submit_form(
                Settings(name_field=None), setup["inside"], form_fields(setup["inside"]), answers()
            )
        assert list(raised.value.errors) == ["form"]
        assert len(desk_api.requests_folder().objectIds()) == 0


@pytest.mark.parametrize(
    "value, kept",
    [
        ("متن", "متن"),
        (3, 3),
        (True, True),
        (Decimal("2.50"), "2.50"),
        (datetime.date(2026, 3, 21), datetime.date(2026, 3, 21)),
        ({"b", "a"}, ("a", "b")),
        (RichTextValue("<p>x</p>", "text/html", "text/x-html-safe"), "<p>x</p>"),
    ],
)
def test_answer_value(value, kept):
    result = forms_api.answer_value(value)
    assert (tuple(sorted(result)) if isinstance(value, set) else result) == kept
