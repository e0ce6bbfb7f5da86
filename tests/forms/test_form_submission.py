"""Requests through an easyform form: anonymous and logged in, with files, through the publisher."""

from plone import api
from stdnum import verhoeff
from tests.helpers import VALID_NATIONAL_CODE
from uni.servicedesk.api import requests as desk_api

import io
import re
import transaction


def fill(browser, url, **values):
    browser.open(url)
    answers = {
        "full_name": "سارا محمدی",
        "national_code": VALID_NATIONAL_CODE,
        "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
        "email": "sara@example.com",
        "reason": "برای ارائه به سفارت",
    }
    answers.update(values)
    for name, value in answers.items():
        if value is not None:
            browser.getControl(name=f"form.widgets.{name}").value = value
    browser.getControl("کارشناسی ارشد").selected = True
    return browser


def attach(browser, data=b"%PDF-1.4 transcript", filename="transcript.pdf"):
    control = browser.getControl(name="form.widgets.transcript")
    control.add_file(io.BytesIO(data), "application/pdf", filename)


def requests_in(portal):
    transaction.begin()
    return list(desk_api.requests_folder().objectValues())


class TestAnonymousSubmission:
    def test_creates_the_request_with_mapped_fields_answers_and_file(
        self, form_desk, browser_factory
    ):
        portal, form = form_desk["portal"], form_desk["form"]
        browser = fill(browser_factory(handle_errors=False), form.absolute_url())
        attach(browser)
        browser.getControl(name="form.buttons.submit").click()
        assert browser.headers["status"].startswith("200")
        [request] = requests_in(portal)
        code = request.tracking_code
        assert len(code) == 10 and verhoeff.is_valid(code)
        assert request.kind == "request" and request.channel == "form"
        assert request.service_uid == form_desk["service"].UID()
        assert request.applicant_name == "سارا محمدی"
        assert request.applicant_national_code == VALID_NATIONAL_CODE
        assert request.applicant_mobile == "09121234567"
        assert request.applicant_user is None
        assert dict(request.form_answers) == {
            "مقطع": "کارشناسی ارشد",
            "علت درخواست": "برای ارائه به سفارت",
        }
        [document] = desk_api.attachments(request, "applicant")
        assert document["label"] == "کارنامه"
        assert document["file"].filename == "transcript.pdf"
        assert document["file"].data == b"%PDF-1.4 transcript"
        assert api.content.get_state(request) == "submitted"
        # The thank-you page: the code (in Persian digits) and the private tracking link.
        assert "کد رهگیری" in browser.contents or "رهگیری" in browser.contents
        assert code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in browser.contents
        assert desk_api.tracking_url(request).replace("&", "&amp;") in browser.contents


class TestLoggedInSubmission:
    def test_the_request_is_the_members_own(self, form_desk, browser_factory):
        portal, form = form_desk["portal"], form_desk["form"]
        browser = fill(browser_factory("test-member"), form.absolute_url(), national_code="")
        attach(browser)
        browser.getControl(name="form.buttons.submit").click()
        [request] = requests_in(portal)
        assert request.applicant_user == "test-member"
        assert request.applicant_national_code == ""  # not asked of members
        assert request.notify_channels == ["email", "sms"]
        browser.open(f"{portal.absolute_url()}/@@my-requests")
        assert request.tracking_code in browser.contents.translate(
            str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
        )


class TestBadInput:
    def test_invalid_national_code_shown_on_its_field_and_nothing_kept(
        self, form_desk, browser_factory
    ):
        portal, form = form_desk["portal"], form_desk["form"]
        browser = fill(
            browser_factory(), form.absolute_url(), national_code="1234567890", mobile="12345"
        )
        attach(browser)
        browser.getControl(name="form.buttons.submit").click()
        assert requests_in(portal) == []
        # Each message on its own field (easyform's own shows the last one on every field).
        feedback = re.findall(r'class="invalid-feedback">([^<]*)<', browser.contents)
        assert feedback == [
            "این کد ملی معتبر نیست؛ رقم‌های آن را بررسی کنید.",
            "شماره همراه ایرانی وارد کنید؛ برای نمونه ۰۹۱۲۱۲۳۴۵۶۷.",
        ]
        assert browser.getControl(name="form.widgets.national_code").value == "1234567890"

    def test_forbidden_file_type_refused(self, form_desk, browser_factory):
        portal, form = form_desk["portal"], form_desk["form"]
        browser = fill(browser_factory(), form.absolute_url())
        attach(browser, b"MZ\x90\x00", "setup.exe")
        browser.getControl(name="form.buttons.submit").click()
        assert requests_in(portal) == []
        [feedback] = re.findall(r'class="invalid-feedback">([^<]*)<', browser.contents)
        assert "exe" in feedback and "pdf" in feedback

    def test_missing_required_file_refused_by_the_form(self, form_desk, browser_factory):
        portal, form = form_desk["portal"], form_desk["form"]
        browser = fill(browser_factory(), form.absolute_url())
        browser.getControl(name="form.buttons.submit").click()
        assert requests_in(portal) == []
        assert len(re.findall(r'class="invalid-feedback">', browser.contents)) == 1

    def test_refused_submission_keeps_no_saved_data(self, form_desk, browser_factory):
        """An action before ours (save data) must not keep answers we refused."""
        from tests.forms.conftest import request_action
        from uni.servicedesk.forms import builder

        portal, form = form_desk["portal"], form_desk["form"]
        form.actions_model = builder.actions_model([
            ("saved", builder.SAVE_DATA_TYPE, "ذخیره", {}),
            request_action(),
        ])
        transaction.commit()
        browser = fill(browser_factory(), form.absolute_url(), national_code="1234567890")
        attach(browser)
        browser.getControl(name="form.buttons.submit").click()
        transaction.begin()
        assert requests_in(portal) == []
        storage = getattr(form, "_inputStorage", {})
        assert not storage or not len(storage.get("saved", ()))
        # A good submission keeps both.
        browser = fill(browser_factory(), form.absolute_url())
        attach(browser)
        browser.getControl(name="form.buttons.submit").click()
        transaction.begin()
        assert len(requests_in(portal)) == 1
        assert len(form._inputStorage["saved"]) == 1
