"""Requests through an easyform form: anonymous and logged in, with files, through the publisher."""
from plone import api
from stdnum import verhoeff
from tests.helpers import VALID_NATIONAL_CODE
from uni.servicedesk.api import requests as desk_api

import io
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
    def test_creates_the_request_with_mapped_fields_answers_and_file(self, form_desk, browser_factory):
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
            "مقطع": "کارشناسی ارشد", "علت درخواست": "برای ارائه به سفارت",
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
