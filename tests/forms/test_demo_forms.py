"""The demo's forms work through the publisher: a student's certificate, a visitor's dormitory."""

from tests.forms.test_form_submission import requests_in
from uni.servicedesk.api import requests as desk_api

import io


def test_student_requests_a_certificate_with_extra_fields(demo_functional, demo_browser_factory):
    portal = demo_functional["portal"]
    before = {r.getId() for r in requests_in(portal)}
    browser = demo_browser_factory("student")
    browser.open(f"{portal.absolute_url()}/services/edu-101")
    browser.getLink(url="/services/edu-101/form").click()
    browser.getControl(name="form.widgets.full_name").value = "امیر حسینی"
    browser.getControl(name="form.widgets.mobile").value = "09121234567"
    browser.getControl(name="form.widgets.student_number").value = "۴۰۱۱۲۳۴۵۶"
    browser.getControl(name="form.widgets.recipient").value = "سفارت آلمان"
    browser.getControl("انگلیسی").selected = True
    browser.getControl(name="form.widgets.copies").value = "۲"
    browser.getControl(name="form.widgets.notes").value = "لطفاً با مهر برجسته"
    browser.getControl(name="form.buttons.submit").click()
    [request] = [r for r in requests_in(portal) if r.getId() not in before]
    assert request.applicant_user == "student"
    assert request.applicant_number == "401123456"
    assert request.body == "لطفاً با مهر برجسته"
    assert dict(request.form_answers) == {
        "سازمان گیرنده گواهی": "سفارت آلمان",
        "زبان گواهی": "انگلیسی",
        "تعداد نسخه": 2,
        "نسخه کاغذی را حضوری تحویل می‌گیرم": False,
    }
    assert request.tracking_code in browser.contents.translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )


def test_student_asks_for_guest_study_with_documents(demo_functional, demo_browser_factory):
    portal = demo_functional["portal"]
    before = {r.getId() for r in requests_in(portal)}
    browser = demo_browser_factory("student")
    browser.open(f"{portal.absolute_url()}/services/edu-102/@@request-service")  # -> its form
    assert browser.url.endswith("/services/edu-102/form")
    for name, value in (
        ("full_name", "امیر حسینی"),
        ("mobile", "09121234567"),
        ("student_number", "401123456"),
        ("host", "دانشگاه تبریز"),
        ("courses", "ریاضی ۲، فیزیک ۲"),
    ):
        browser.getControl(name=f"form.widgets.{name}").value = value
    browser.getControl("تابستان").selected = True
    for name in ("guest_form", "transcript"):
        browser.getControl(name=f"form.widgets.{name}").add_file(
            io.BytesIO(b"%PDF-1.4 scan"), "application/pdf", f"{name}.pdf"
        )
    browser.getControl(name="form.buttons.submit").click()
    [request] = [r for r in requests_in(portal) if r.getId() not in before]
    assert request.applicant_user == "student" and request.channel == "form"
    assert sorted(a["label"] for a in desk_api.attachments(request)) == [
        "فرم تکمیل‌شده درخواست مهمانی",
        "کارنامه آخرین نیمسال",
    ]
    assert ("درس‌هایی که می‌گذرانید", "ریاضی ۲، فیزیک ۲") in request.form_answers
