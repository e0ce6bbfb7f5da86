"""Which steps tell whom what, in which words: messages stored with the change."""

from plone import api
from tests.notifications.conftest import APPLICANT_EMAIL
from tests.notifications.conftest import APPLICANT_MOBILE
from tests.notifications.conftest import as_user
from uni.servicedesk.api.notifications import messages as notify
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.requests import SubmissionError

import pytest
import transaction


def messages(request=None):
    box = outbox_api.get_outbox()
    if request is None:
        return [box.messages[i] for i in box.messages]
    return outbox_api.messages_of_request(box, request.tracking_code)


def events(request, channel=None):
    return [
        (m.event, m.channel, m.recipient)
        for m in messages(request)
        if channel is None or m.channel == channel
    ]


class TestStoredWithTheChange:
    def test_submission_queues_email_and_sms_in_its_transaction(self, submit):
        request = submit()
        assert sorted(events(request)) == [
            ("submitted", "email", APPLICANT_EMAIL),
            ("submitted", "sms", APPLICANT_MOBILE),
        ]
        assert all(m.state == outbox_api.PENDING for m in messages(request))

    def test_aborted_change_leaves_no_message(self, submit):
        before = len(messages())
        submit(commit=False)
        transaction.abort()
        assert len(messages()) == before

    def test_refused_submission_queues_nothing(self, submit):
        before = len(messages())
        with pytest.raises(SubmissionError):
            submit(commit=False, applicant_mobile="123")
        transaction.abort()
        assert len(messages()) == before

    def test_chosen_channels_are_honoured(self, submit):
        assert events(submit(notify_channels=["sms"])) == [("submitted", "sms", APPLICANT_MOBILE)]
        assert events(submit(notify_channels=["email"])) == [
            ("submitted", "email", APPLICANT_EMAIL)
        ]
        assert events(submit(notify_channels=[])) == []


class TestEveryStep:
    def test_applicant_told_of_each_step_staff_of_theirs(self, desk, submit):
        portal = desk["portal"]
        request = submit(notify_channels=["email"])
        as_user(portal, "supervisor")
        desk_api.refer(request, unit="unit-a")
        # The unit's experts are told; the applicant learns where it went.
        assert ("assigned", "email", "expert-a@uni.example") in events(request)
        assert ("assigned", "email", "expert-b@uni.example") in events(request)
        assert ("referred", "email", APPLICANT_EMAIL) in events(request)
        desk_api.refer(request, unit="unit-a", expert="expert-a")
        as_user(portal, "expert-a")
        desk_api.reply(request, "پاسخ کارشناس")
        desk_api.request_documents(request, ["کارت دانشجویی"], "لطفا بفرستید")
        as_user(portal, None)
        with desk_api.as_applicant(request):
            desk_api.applicant_reply(request, "فرستادم")
        as_user(portal, "expert-a")
        desk_api.resolve(request, "انجام شد")
        as_user(portal, None)
        with desk_api.as_applicant(request):
            desk_api.reopen(request, "هنوز مشکل دارم")
        applicant = [e for e, c, r in events(request) if r == APPLICANT_EMAIL]
        assert applicant == [
            "submitted",
            "referred",
            "referred",
            "replied",
            "documents_requested",
            "resolved",
            "reopened",
        ]
        staff = [(e, r) for e, c, r in events(request) if r != APPLICANT_EMAIL]
        # the second referral tells the expert (not the one who referred); the applicant's
        # reply tells the expert handling it, not the whole unit
        assert staff.count(("assigned", "expert-a@uni.example")) == 2
        assert ("applicant_replied", "expert-a@uni.example") in staff
        assert ("applicant_replied", "expert-b@uni.example") not in staff

    def test_reject_and_close(self, desk, submit):
        portal = desk["portal"]
        first, second = submit(notify_channels=["sms"]), submit(notify_channels=["sms"])
        as_user(portal, "supervisor")
        desk_api.transition(first, "reject", "خارج از ضوابط")
        desk_api.refer(second, expert="expert-a")
        as_user(portal, "expert-a")
        desk_api.resolve(second)
        as_user(portal, "supervisor")
        desk_api.transition(second, "close")
        assert [e for e, c, r in events(first, "sms")] == ["submitted", "rejected"]
        # closing has no SMS text by default: the email alone would say it
        assert [e for e, c, r in events(second, "sms")] == ["submitted", "referred", "resolved"]

    def test_the_actor_is_not_told_of_their_own_step(self, desk, submit):
        request = submit(notify_channels=[])
        as_user(desk["portal"], "expert-a")
        with api.env.adopt_roles(["Service Desk Supervisor"]):
            desk_api.refer(request, expert="expert-a")
        assert events(request) == []


class TestWords:
    def test_persian_text_with_jalali_due_date_and_persian_digits(self, submit):
        request = submit(notify_channels=["email", "sms"])
        email, sms = sorted(messages(request), key=lambda m: m.channel)
        code = request.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert code in email.subject and code in sms.body
        assert sms.parts == 1 and email.parts == 0
        assert "مریم احمدی گرامی" in email.body
        assert request.tracking_secret in email.body  # the private tracking link
        due = request.due_date
        from persiantools.jdatetime import JalaliDate

        assert (
            str(JalaliDate(due.date()).year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
            in email.body
        )

    def test_english_applicant_gets_english(self, desk, submit):
        api.portal.get().REQUEST["LANGUAGE"] = "en"
        request = submit(notify_channels=["email"])
        assert request.notify_language == "en"
        (email,) = messages(request)
        assert email.subject == f"Request registered — tracking code {request.tracking_code}"

    def test_manager_text_is_used_and_reset_restores(self, desk, submit):
        with api.env.adopt_roles(["Manager"]):
            api.portal.set_registry_record(
                notify.TEMPLATES_RECORD, {"submitted/fa/sms": "کد ${code} — ${service}"}
            )
        transaction.commit()
        request = submit(notify_channels=["sms"])
        (sms,) = messages(request)
        assert sms.body.startswith("کد ") and "صدور گواهی" in sms.body

    def test_unknown_variables_are_found(self):
        assert notify.unknown_variables("${code} ${cdoe} $name $nmae") == ["cdoe", "nmae"]

    def test_every_default_uses_known_variables_only(self):
        from uni.servicedesk.api.notifications import templates

        for event in templates.EVENTS:
            for language in templates.LANGUAGES:
                for part in templates.parts_of(event):
                    assert notify.unknown_variables(templates.default(event, language, part)) == []

    def test_default_sms_fit_in_one_part(self, desk):
        from uni.servicedesk.api.notifications import templates
        from uni.servicedesk.browser.notifications import sample_values
        from string import Template
        from uni.servicedesk.channels.sms import sms_parts

        for event in templates.EVENTS:
            for language in templates.LANGUAGES:
                text = templates.default(event, language, "sms")
                filled = Template(text).safe_substitute(sample_values(language))
                assert sms_parts(filled).parts <= 1, (event, language, filled)


class TestStaffDigest:
    def test_digest_preference_holds_staff_messages(self, desk, submit):
        box = outbox_api.get_outbox()
        outbox_api.set_preference(box, "expert-a", outbox_api.DIGEST)
        transaction.commit()
        request = submit(notify_channels=[])
        as_user(desk["portal"], "supervisor")
        desk_api.refer(request, unit="unit-a")
        held = {m.recipient: m.state for m in messages(request)}
        assert held == {
            "expert-a@uni.example": outbox_api.HELD,
            "expert-b@uni.example": outbox_api.PENDING,
        }

    def test_one_digest_a_day_however_often_asked(self, desk, submit):
        from uni.servicedesk.api.notifications.digests import make_digests

        box = outbox_api.get_outbox()
        outbox_api.set_preference(box, "expert-a", outbox_api.DIGEST)
        transaction.commit()
        for _ in range(3):
            request = submit(notify_channels=[])
            as_user(desk["portal"], "supervisor")
            desk_api.refer(request, unit="unit-a")
            transaction.commit()
        api.portal.set_registry_record("uni.servicedesk.notifications.digest_hour", 0)
        transaction.commit()
        assert make_digests() == 1
        assert make_digests() == 0
        box = outbox_api.get_outbox()
        digests = [box.messages[i] for i in box.messages if box.messages[i].event == "digest"]
        assert len(digests) == 1
        assert digests[0].recipient == "expert-a@uni.example"
        assert digests[0].body.count("- ") == 3
        assert not len(box.held)
