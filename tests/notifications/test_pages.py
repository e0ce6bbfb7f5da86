"""Managers' notification pages and staff's own preference, through the publisher."""

from plone import api
from tests.notifications.conftest import as_user
from uni.servicedesk.api.notifications import delivery
from uni.servicedesk.api.notifications import messages as notify
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api import requests as desk_api

import pytest
import transaction

SECRET = "kave-SECRET-9f8e7d"
SETTINGS = "uni.servicedesk.notifications."


def url(functional, view):
    return f"{functional['portal'].absolute_url()}/@@{view}"


class TestSettings:
    def test_manager_chooses_kavenegar_and_the_key_never_comes_back(
        self, functional, browser_factory, rest_factory
    ):
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(functional, "servicedesk-notifications"))
        assert "Not set." in browser.contents
        browser.getControl(name="form.widgets.sms_gateway:list").value = ["kavenegar"]
        browser.getControl(name="form.widgets.sender").value = "10004346"
        browser.getControl(name="form.widgets.kavenegar_api_key").value = SECRET
        browser.getControl(name="form.buttons.save").click()
        assert browser.headers["status"].startswith("200")
        transaction.begin()
        assert api.portal.get_registry_record(SETTINGS + "sms_gateway") == "kavenegar"
        assert delivery.secrets()["kavenegar_api_key"] == SECRET
        # the page says it is stored, never what it is
        browser.open(url(functional, "servicedesk-notifications"))
        assert "Stored; leave empty to keep it." in browser.contents
        assert SECRET not in browser.contents
        # saving again with the field empty keeps it
        browser.getControl(name="form.buttons.save").click()
        transaction.begin()
        assert delivery.secrets()["kavenegar_api_key"] == SECRET
        # nor through REST, even for a Manager
        rest = rest_factory("admin")
        for path in ("@registry", "@controlpanels", "@registry?b_size=10000"):
            answer = rest.get(path)
            assert SECRET not in answer.text
        assert rest.get("@registry/uni.servicedesk.notifications.sms_gateway").json() == "kavenegar"

    def test_forget_the_keys(self, functional, browser_factory):
        with api.env.adopt_roles(["Manager"]):
            delivery.set_secret("http_secret", "x-token")
        transaction.commit()
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(functional, "servicedesk-notifications"))
        browser.getControl(name="form.widgets.forget_secrets:list").value = ["selected"]
        browser.getControl(name="form.buttons.save").click()
        transaction.begin()
        assert delivery.secrets() == {}

    @pytest.mark.parametrize(
        "user", [None, "test-member", "test-editor", "test-agent", "test-supervisor"]
    )
    @pytest.mark.parametrize(
        "view",
        ["servicedesk-notifications", "servicedesk-notification-templates", "servicedesk-outbox"],
    )
    def test_others_may_not(self, functional, browser_factory, user, view):
        browser = browser_factory(user, language="en")
        browser.open(url(functional, view))
        assert "form.buttons.save" not in browser.contents
        assert "Dead letters" not in browser.contents


class TestTexts:
    def test_edit_count_and_reset(self, functional, browser_factory):
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(functional, "servicedesk-notification-templates"))
        field = browser.getControl(name="submitted/fa/sms")
        assert "${code}" in field.value
        field.value = "ثبت شد: ${code} " + "ب" * 100
        browser.getControl(name="form.buttons.save").click()
        assert "Changes saved." in browser.contents
        assert "2 SMS part(s)" in browser.contents  # over the limit of 2? no: at it
        transaction.begin()
        assert notify.template("submitted", "fa", "sms").startswith("ثبت شد: ${code}")
        changed = api.portal.get_registry_record(notify.TEMPLATES_RECORD)
        assert list(changed) == ["submitted/fa/sms"]  # unchanged texts are not copied
        browser.getControl(name="reset").click()
        transaction.begin()
        assert api.portal.get_registry_record(notify.TEMPLATES_RECORD) == {}

    def test_unknown_variable_refused_nothing_saved_text_kept(self, functional, browser_factory):
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(functional, "servicedesk-notification-templates"))
        browser.getControl(name="replied/en/email_subject").value = "Reply on ${tracking_code}"
        browser.getControl(name="replied/fa/sms").value = "پاسخ ${code}"
        browser.getControl(name="form.buttons.save").click()
        assert browser.headers["status"].startswith("400")
        assert "Unknown variables: tracking_code" in browser.contents
        assert (
            browser.getControl(name="replied/en/email_subject").value == "Reply on ${tracking_code}"
        )
        transaction.begin()
        assert not api.portal.get_registry_record(notify.TEMPLATES_RECORD)

    def test_persian_page(self, functional, browser_factory):
        browser = browser_factory("test-siteadmin")
        browser.open(url(functional, "servicedesk-notification-templates"))
        assert "متن اعلان‌ها" in browser.contents

    def test_post_without_token_is_refused(self, functional, browser_factory):
        browser = browser_factory("test-siteadmin", language="en")
        browser.post(
            url(functional, "servicedesk-notification-templates"),
            "form.buttons.save=1&submitted%2Ffa%2Fsms=hacked",
        )
        assert browser.headers["status"].startswith("403")
        transaction.begin()
        assert not api.portal.get_registry_record(notify.TEMPLATES_RECORD)


class TestOutboxPage:
    def test_manager_sees_dead_letters_and_retries_them(self, desk, submit, browser_factory):
        request = submit(notify_channels=["email", "sms"])
        box = outbox_api.get_outbox()
        for message in outbox_api.messages_of_request(box, request.tracking_code):
            outbox_api.mark_failed(box, message, "550 no such user", True, 6, 60)
        transaction.commit()
        browser = browser_factory("test-siteadmin", language="en")
        browser.open(url(desk, "servicedesk-outbox"))
        assert "550 no such user" in browser.contents
        assert request.tracking_code in browser.contents
        browser.getControl(name="form.buttons.retry_all").click()
        assert "2 messages back in the queue." in browser.contents
        transaction.begin()
        states = {
            m.state
            for m in outbox_api.messages_of_request(outbox_api.get_outbox(), request.tracking_code)
        }
        assert states == {outbox_api.PENDING}
        browser.open(url(desk, "servicedesk-outbox") + f"?code={request.tracking_code}")
        assert "request-messages" in browser.contents


class TestPreferences:
    def test_expert_chooses_the_daily_digest(self, desk, submit, browser_factory):
        browser = browser_factory("expert-a", language="en")
        browser.open(url(desk, "notification-preferences"))
        browser.getControl(name="delivery").value = ["digest"]
        browser.getControl(name="form.buttons.save").click()
        assert "Changes saved." in browser.contents
        transaction.begin()
        assert outbox_api.preference(outbox_api.get_outbox(), "expert-a") == outbox_api.DIGEST
        request = submit(notify_channels=[])
        as_user(desk["portal"], "supervisor")
        desk_api.refer(request, expert="expert-a")
        (message,) = outbox_api.messages_of_request(outbox_api.get_outbox(), request.tracking_code)
        assert message.state == outbox_api.HELD

    @pytest.mark.parametrize("user", [None, "test-member", "test-editor"])
    def test_not_for_applicants_or_editors(self, desk, browser_factory, user):
        browser = browser_factory(user, language="en")
        browser.open(url(desk, "notification-preferences"))
        assert 'name="delivery"' not in browser.contents

    def test_bad_choice_refused(self, desk, browser_factory):
        browser = browser_factory("expert-a", language="en")
        browser.open(url(desk, "notification-preferences"))
        token = browser.getControl(name="_authenticator").value
        browser.post(
            url(desk, "notification-preferences"),
            f"delivery=hourly&form.buttons.save=1&_authenticator={token}",
        )
        assert browser.headers["status"].startswith("400")
        transaction.begin()
        assert outbox_api.preference(outbox_api.get_outbox(), "expert-a") == outbox_api.IMMEDIATE


class TestOnTheRequest:
    def test_staff_see_what_was_sent_the_applicant_does_not(self, desk, submit, browser_factory):
        from tests.notifications.conftest import APPLICANT_MOBILE

        request = submit(notify_channels=["sms"])
        as_user(desk["portal"], "supervisor")
        desk_api.refer(request, expert="expert-a")
        transaction.commit()
        browser = browser_factory("expert-a", language="en")
        browser.open(request.absolute_url())
        assert "servicedesk-notifications" in browser.contents
        assert APPLICANT_MOBILE in browser.contents and "Waiting to be sent" in browser.contents
        applicant = browser_factory(None, language="en")
        applicant.open(desk_api.tracking_url(request))
        assert "servicedesk-notifications" not in applicant.contents


def test_escalation_and_overdue_reach_the_named_staff(desk, submit):
    """The SLA sweep (issue 5) names who to tell; the words and the outbox are here."""
    request = submit(notify_channels=[])
    as_user(desk["portal"], None)  # the sweep, not a person
    notify.notify_staff(
        request,
        "escalated",
        ["expert-a", "supervisor"],
        level="2",
        entry={"text": "بدون پاسخ در مهلت", "actor": ""},
    )
    notify.notify_staff(request, "overdue", ["expert-b"], entry={"actor": ""})
    box = outbox_api.get_outbox()
    sent = {
        (m.event, m.recipient): m
        for m in outbox_api.messages_of_request(box, request.tracking_code)
    }
    assert set(sent) == {
        ("escalated", "expert-a@uni.example"),
        ("escalated", "supervisor@uni.example"),
        ("overdue", "expert-b@uni.example"),
    }
    escalated = sent[("escalated", "expert-a@uni.example")]
    assert "سطح 2" in escalated.subject or "سطح ۲" in escalated.subject
    assert "بدون پاسخ در مهلت" in escalated.body
    assert request.absolute_url() in escalated.body
