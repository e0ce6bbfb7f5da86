"""Request pages through the publisher: submit, receipt, track, act, staff page, my requests."""

from plone import api
from tests.helpers import APPLICANT
from tests.helpers import make_service
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import tracking
from uni.servicedesk.testing import TEST_PASSWORD

from urllib.parse import urlencode

import io
import pytest
import re
import transaction


@pytest.fixture
def desk(functional, service_catalog):
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-a", title="واحد الف")
        api.group.create(groupname="unit-b", title="واحد ب")
        for user_id, group in (("expert-a", "unit-a"), ("expert-b", "unit-b")):
            portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, ["Service Desk Agent"], [])
            api.group.add_user(groupname=group, username=user_id)
        service = make_service(
            service_catalog,
            code="EDU-101",
            allow_anonymous=True,
            required_documents=["تصویر کارت ملی"],
            steps=["ثبت | دانشجو", "بررسی | کارشناس"],
            duration_max=3,
            fee=250000,
        )
        members_only = make_service(service_catalog, code="EDU-102")
    transaction.commit()
    return {"portal": portal, "service": service, "members_only": members_only}


def fill(browser, **values):
    data = dict(APPLICANT, body="لطفا گواهی صادر شود")
    data.pop("notify_channels")
    data.update(values)
    for name, value in data.items():
        browser.getControl(name=name).value = value


def attach(browser, name="document-0", data=b"%PDF-1.4 x", filename="card.pdf"):
    browser.getControl(name=name).add_file(io.BytesIO(data), "application/pdf", filename)


def code_on(browser):
    match = re.search(r'class="servicedesk-code[^"]*"><bdi[^>]*>([^<]+)</bdi>', browser.contents)
    return tracking.normalize_code(match.group(1)) if match else None


def post_action(browser, url, **fields):
    """POST an action form of ``url`` the way its page does (with the CSRF token)."""
    browser.open(url)
    token = re.search(r'name="_authenticator" value="([^"]+)"', browser.contents)
    fields["_authenticator"] = token.group(1) if token else ""
    browser.post(url + "/@@request-view", urlencode(fields))
    return browser


class TestSubmitPage:
    def test_request_button_on_card(self, desk, browser_factory):
        browser = browser_factory()
        browser.open(desk["service"].absolute_url())
        assert "@@request-service" in browser.contents
        browser.open(desk["members_only"].absolute_url())
        assert "@@request-service" not in browser.contents

    def test_anonymous_submit_and_receipt(self, desk, browser_factory):
        browser = browser_factory()
        browser.open(desk["service"].absolute_url() + "/@@request-service")
        fill(browser)
        attach(browser)
        browser.getControl(name="form.buttons.send").click()
        assert browser.headers["status"].startswith("200"), browser.contents[-2000:]
        code = code_on(browser)
        assert code is not None
        assert "درخواست شما ثبت شد" in browser.contents
        assert "۲۵۰٬۰۰۰" in browser.contents  # the fee
        transaction.begin()
        request = desk_api.requests_folder()[code]
        assert request.applicant_name == APPLICANT["applicant_name"]
        assert len(request.attachments) == 1

    def test_errors_keep_input_and_create_nothing(self, desk, browser_factory):
        browser = browser_factory(language="en")
        browser.open(desk["service"].absolute_url() + "/@@request-service")
        fill(browser, applicant_national_code="۱۲۳۴۵۶۷۸۹۰", applicant_mobile="0912")
        browser.getControl(name="form.buttons.send").click()
        assert browser.headers["status"].startswith("400")
        assert "This national code is not valid" in browser.contents
        assert "Enter an Iranian mobile number" in browser.contents
        assert "Please attach: تصویر کارت ملی" in browser.contents
        assert browser.getControl(name="applicant_name").value == APPLICANT["applicant_name"]
        transaction.begin()
        assert list(desk_api.requests_folder().objectIds()) == []

    def test_forbidden_file_type(self, desk, browser_factory):
        browser = browser_factory(language="en")
        browser.open(desk["service"].absolute_url() + "/@@request-service")
        fill(browser)
        attach(browser, filename="script.exe")
        browser.getControl(name="form.buttons.send").click()
        assert "Files of type exe are not accepted" in browser.contents
        transaction.begin()
        assert list(desk_api.requests_folder().objectIds()) == []

    def test_anonymous_refused_where_service_requires_login(self, desk, browser_factory):
        browser = browser_factory()
        browser.open(desk["members_only"].absolute_url() + "/@@request-service")
        assert "form.submitted" not in browser.contents

    def test_csrf_token_required(self, desk, browser_factory):
        browser = browser_factory("test-member")
        browser.post(
            desk["service"].absolute_url() + "/@@request-service",
            "form.submitted=1&applicant_name=x&applicant_mobile=09121234567&applicant_national_code=0084575948",
        )
        assert not browser.headers["status"].startswith("200")
        transaction.begin()
        assert list(desk_api.requests_folder().objectIds()) == []

    def test_logged_in_details_filled_and_my_requests(self, desk, browser_factory):
        with api.env.adopt_roles(["Manager"]):
            api.user.get("test-member").setMemberProperties({
                "fullname": "عضو آزمایشی",
                "email": "member@example.com",
            })
        transaction.commit()
        browser = browser_factory("test-member")
        browser.open(desk["members_only"].absolute_url() + "/@@request-service")
        assert browser.getControl(name="applicant_name").value == "عضو آزمایشی"
        browser.getControl(name="applicant_mobile").value = "09121234567"
        browser.getControl(name="form.buttons.send").click()
        code = code_on(browser)
        assert code
        browser.open(desk["portal"].absolute_url() + "/@@my-requests")
        assert code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in browser.contents
        other = browser_factory("test-editor")
        other.open(desk["portal"].absolute_url() + "/@@my-requests")
        assert code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) not in other.contents

    def test_general_form_complaint(self, desk, browser_factory):
        browser = browser_factory()
        browser.open(desk["portal"].absolute_url() + "/@@contact")
        browser.getControl(name="kind").value = ["complaint"]
        browser.getControl(name="target_unit").value = ["unit-a"]
        browser.getControl(name="subject").value = "برخورد نامناسب"
        fill(browser, body="شرح شکایت")
        browser.getControl(name="applicant_national_code").value = ""
        browser.getControl(name="form.buttons.send").click()
        code = code_on(browser)
        assert code, browser.contents[-3000:]
        transaction.begin()
        request = desk_api.requests_folder()[code]
        assert (request.kind, request.target_unit, request.service_uid) == (
            "complaint",
            "unit-a",
            None,
        )


@pytest.fixture
def submitted(desk):
    from plone.app.testing import logout

    logout()
    from tests.helpers import Upload

    request = desk_api.submit(
        dict(APPLICANT, kind="request"), service=desk["service"], documents={0: Upload()}
    )
    transaction.commit()
    return request


class TestTrackPage:
    def test_lookup_and_internal_notes_hidden(self, desk, submitted, browser_factory):
        from plone.app.testing import login

        login(desk["portal"], "test-supervisor")
        desk_api.refer(submitted, unit="unit-a", note="یادداشت محرمانه ارجاع")
        desk_api.note(submitted, "یادداشت داخلی")
        transaction.commit()
        browser = browser_factory()
        browser.open(desk["portal"].absolute_url() + "/@@track")
        browser.getControl(name="code").value = submitted.tracking_code.translate(
            str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        )
        browser.getControl(name="verifier").value = "۰۹۱۲۱۲۳۴۵۶۷"
        browser.getControl(name="form.buttons.follow").click()
        assert browser.headers["status"].startswith("200")
        assert "ارجاع" in browser.contents and "واحد الف" in browser.contents
        assert "یادداشت داخلی" not in browser.contents
        assert "محرمانه" not in browser.contents
        assert "servicedesk-step-current" in browser.contents

    def test_wrong_pair_reveals_nothing(self, desk, submitted, browser_factory):
        browser = browser_factory()
        for code, verifier in (
            (submitted.tracking_code, "09120000000"),
            ("1234567890", "09121234567"),
        ):
            browser.open(desk["portal"].absolute_url() + "/@@track")
            browser.getControl(name="code").value = code
            browser.getControl(name="verifier").value = verifier
            browser.getControl(name="form.buttons.follow").click()
            assert browser.headers["status"].startswith("404")
            assert APPLICANT["applicant_name"] not in browser.contents
            assert "هیچ درخواستی با این کد رهگیری" in browser.contents

    def test_throttled(self, desk, submitted, browser_factory):
        browser = browser_factory()
        url = desk["portal"].absolute_url() + "/@@track"
        for _ in range(10):
            browser.post(url, f"code={submitted.tracking_code}&verifier=09120000000")
        browser.post(url, f"code={submitted.tracking_code}&verifier=09121234567")
        assert browser.headers["status"].startswith("429")

    def test_secret_link_reply_and_withdraw(self, desk, submitted, browser_factory):
        browser = browser_factory()
        browser.open(desk_api.tracking_url(submitted))
        assert browser.headers["status"].startswith("200")
        browser.getControl(name="text", index=0).value = "توضیح بیشتر"
        browser.getControl(name="form.buttons.reply").click()
        assert "پیام شما افزوده شد" in browser.contents
        browser.getControl(name="form.buttons.withdraw").click()
        transaction.begin()
        assert api.content.get_state(submitted) == "withdrawn"
        assert "توضیح بیشتر" in [e["text"] for e in submitted.timeline]

    def test_applicant_downloads_delivered_result(self, desk, submitted, browser_factory):
        from plone.app.testing import login
        from tests.helpers import Upload

        login(desk["portal"], "test-supervisor")
        desk_api.refer(submitted, unit="unit-a")
        desk_api.deliver(submitted, [Upload(b"%PDF result", "result.pdf")])
        transaction.commit()
        browser = browser_factory()
        browser.open(desk_api.tracking_url(submitted))
        browser.getLink("result.pdf").click()
        assert browser.contents in (b"%PDF result", "%PDF result")
        attachment_id = desk_api.attachments(submitted, "result")[0]["id"]
        browser.open(
            f"{desk['portal'].absolute_url()}/@@track-file?code={submitted.tracking_code}"
            f"&token=wrong&id={attachment_id}"
        )
        assert browser.headers["status"].startswith("404")


class TestRequestPage:
    def test_staff_and_permissions(self, desk, submitted, browser_factory):
        url = submitted.absolute_url()
        for user in (None, "test-member", "expert-a", "test-editor"):
            browser = browser_factory(user)
            browser.open(url)
            assert APPLICANT["applicant_name"] not in browser.contents, user
        supervisor = browser_factory("test-supervisor", language="en")
        supervisor.open(url)
        assert APPLICANT["applicant_name"] in supervisor.contents
        # The service is linked, not rendered inside the page (a path expression calls it).
        assert 'id="servicedesk-availability"' not in supervisor.contents
        supervisor.getControl(name="unit").value = ["unit-a"]
        supervisor.getControl(name="form.buttons.refer").click()
        transaction.begin()
        assert api.content.get_state(submitted) == "assigned"
        expert = browser_factory("expert-a", language="en")
        expert.open(url)
        assert APPLICANT["applicant_name"] in expert.contents
        post_action(expert, url, action="reply", text="پاسخ کارشناس")
        assert "Done." in expert.contents
        other = browser_factory("expert-b")
        other.open(url)
        assert APPLICANT["applicant_name"] not in other.contents
        transaction.begin()
        assert "پاسخ کارشناس" in [e["text"] for e in submitted.timeline]

    def test_expert_cannot_post_actions_on_others_requests(self, desk, submitted, browser_factory):
        browser = browser_factory("expert-b")
        post_action(browser, submitted.absolute_url(), action="note", text="x")
        assert "Done." not in browser.contents and "انجام شد" not in browser.contents
        transaction.begin()
        assert [e["event"] for e in submitted.timeline] == ["submitted"]


class TestRequestsFolderPage:
    def test_counts_and_jump_for_supervisors_only(self, desk, submitted, browser_factory):
        folder_url = desk_api.requests_folder().absolute_url()
        supervisor = browser_factory("test-supervisor")
        supervisor.open(folder_url)
        assert supervisor.headers["status"].startswith("200")
        assert "ثبت‌شده" in supervisor.contents
        assert submitted.tracking_code not in supervisor.contents  # counts, not a listing
        supervisor.open(folder_url + "?code=" + submitted.tracking_code)
        assert supervisor.url.startswith(submitted.absolute_url())
        for user in (None, "test-member", "expert-a"):
            browser = browser_factory(user)
            browser.open(folder_url)
            assert "ثبت‌شده" not in browser.contents, user


def test_no_inherited_portlets_on_requests(desk):
    from plone.portlets.constants import CONTEXT_CATEGORY
    from plone.portlets.interfaces import ILocalPortletAssignmentManager
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    folder = desk_api.requests_folder()
    manager = getUtility(IPortletManager, name="plone.leftcolumn")
    assert (
        getMultiAdapter((folder, manager), ILocalPortletAssignmentManager).getBlacklistStatus(
            CONTEXT_CATEGORY
        )
        is True
    )
