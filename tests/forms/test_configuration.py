"""A misconfigured action is told to the editor and never shown to the applicant as a traceback."""

from plone import api
from tests.forms.conftest import FIELDS
from tests.forms.conftest import request_action
from tests.forms.test_form_submission import attach
from tests.forms.test_form_submission import requests_in
from uni.servicedesk.forms import builder

import pytest
import transaction

PROBLEMS = "servicedesk-form-problems"


def misconfigure(form, fields=FIELDS, **settings):
    form.fields_model = builder.fields_model(fields)
    form.actions_model = builder.actions_model([request_action(**settings)])
    transaction.commit()


class TestMisconfiguredOnSubmit:
    @pytest.mark.parametrize(
        "fields, settings",
        [
            # The field mapped to the name was removed from the form.
            ([f for f in FIELDS if f["name"] != "full_name"], {}),
            # The mapping of the name left empty (an action added but not set up).
            (FIELDS, {"name_field": None}),
            # No way to follow the request: neither email nor mobile mapped.
            (FIELDS, {"email_field": None, "mobile_field": None}),
            # A service code that no service has.
            (FIELDS, {"service_code": "NOPE-1"}),
        ],
    )
    def test_clear_error_and_no_request(self, form_desk, browser_factory, fields, settings):
        portal, form = form_desk["portal"], form_desk["form"]
        misconfigure(form, fields, **settings)
        browser = browser_factory()
        browser.open(form.absolute_url())
        for name, value in (
            ("full_name", "سارا"),
            ("national_code", "0084575948"),
            ("mobile", "09121234567"),
        ):
            if f"form.widgets.{name}" in browser.contents:
                browser.getControl(name=f"form.widgets.{name}").value = value
        browser.getControl("کارشناسی ارشد").selected = True
        attach(browser)
        browser.getControl(name="form.buttons.submit").click()
        assert browser.headers["status"].startswith("200")
        assert "این فرم اکنون نمی‌تواند درخواست بپذیرد" in browser.contents
        assert "Traceback" not in browser.contents
        assert PROBLEMS not in browser.contents  # that is for editors
        assert requests_in(portal) == []

    def test_editors_see_what_to_fix(self, form_desk, browser_factory):
        form = form_desk["form"]
        misconfigure(form, [f for f in FIELDS if f["name"] != "full_name"])
        browser = browser_factory("test-editor")
        with api.env.adopt_roles(["Manager"]):
            form.manage_setLocalRoles("test-editor", ["Editor"])
        transaction.commit()
        browser.open(form.absolute_url())
        assert PROBLEMS in browser.contents
        assert "full_name" in browser.contents

    def test_a_working_form_shows_editors_nothing(self, form_desk, browser_factory):
        browser = browser_factory("admin")
        browser.open(form_desk["form"].absolute_url())
        assert PROBLEMS not in browser.contents


class TestCheckedWhenSaved:
    def test_action_edit_form_refuses_no_contact_field(self, form_desk, browser_factory):
        form = form_desk["form"]
        browser = browser_factory("admin")
        browser.open(f"{form.absolute_url()}/actions/create_request")
        browser.getControl(name="form.widgets.email_field:list").value = ["--NOVALUE--"]
        browser.getControl(name="form.widgets.mobile_field:list").value = ["--NOVALUE--"]
        browser.getControl(name="form.buttons.save").click()
        assert "ایمیل یا تلفن همراه متقاضی در آن است انتخاب کنید" in browser.contents
        transaction.begin()
        action = dict(api_actions(form))["create_request"]
        assert action.mobile_field == "mobile"

    def test_mapping_offers_only_the_forms_fields(self, form_desk, browser_factory):
        form = form_desk["form"]
        browser = browser_factory("admin")
        browser.open(f"{form.absolute_url()}/actions/create_request")
        options = browser.getControl(name="form.widgets.name_field:list").options
        assert set(options) - {"--NOVALUE--"} == {f["name"] for f in FIELDS}


def api_actions(form):
    from collective.easyform.api import get_actions
    from zope.schema import getFieldsInOrder

    return getFieldsInOrder(get_actions(form))
