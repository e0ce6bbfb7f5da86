"""Merging a duplicate into its main request, and relating requests, through the API."""

from AccessControl import Unauthorized
from Acquisition import aq_base
from plone import api
from tests.helpers import APPLICANT
from tests.relations.conftest import OTHER_APPLICANT
from tests.relations.conftest import submit
from tests.requests.conftest import as_user
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.requests import relations
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.requests import subtasks
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.localization import localize_digits

import pytest


@pytest.fixture
def pair(desk):
    """The main request (APPLICANT) and a duplicate from OTHER_APPLICANT."""
    main = submit(desk, APPLICANT, subject="گواهی اشتغال به تحصیل سارا")
    duplicate = submit(desk, OTHER_APPLICANT, subject="گواهی اشتغال رضا")
    return main, duplicate


def merged_messages(request):
    return [
        m
        for m in outbox_api.messages_of_request(outbox_api.get_outbox(), request.tracking_code)
        if m.event == "merged"
    ]


def secrets_of(request, applicant):
    """What the other applicant must never be sent or shown of ``request``."""
    code = request.tracking_code
    return [
        code,
        localize_digits(code, "fa"),
        request.tracking_secret,
        request.subject,
        request.absolute_url(),
        applicant["applicant_name"],
        applicant["applicant_mobile"],
        applicant["applicant_email"],
        applicant["applicant_national_code"],
    ]


def snapshot(*requests):
    return [
        (
            desk_api.state(r),
            len(r.timeline),
            relations.merged_into(r),
            relations.merged_from(r),
            relations.related_codes(r),
        )
        for r in requests
    ]


class TestMerge:
    def test_merge(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        relations.merge(duplicate, main, note="همان درخواست، دوباره ثبت شده")
        assert desk_api.state(duplicate) == "merged"
        assert desk_api.state(main) == "submitted"
        assert duplicate.merged_into == main.tracking_code
        assert main.merged_from == (duplicate.tracking_code,)
        into_entry = [e for e in duplicate.timeline if e["event"] == "merged_into"]
        from_entry = [e for e in main.timeline if e["event"] == "merged_from"]
        assert [(e["public"], e["text"], e["merged_into"]) for e in into_entry] == [
            (False, "همان درخواست، دوباره ثبت شده", main.tracking_code)
        ]
        assert [(e["public"], e["merged_from"]) for e in from_entry] == [
            (False, duplicate.tracking_code)
        ]
        # The state is final: nothing leads out of it, and nobody works on it any more.
        workflow = api.portal.get_tool("portal_workflow")
        assert workflow.getTransitionsFor(duplicate) == ()
        assert not api.user.has_permission(desk_api.WORK, obj=duplicate)
        catalog = api.portal.get_tool("portal_catalog")
        assert [b.review_state for b in catalog(tracking_code=duplicate.tracking_code)] == [
            "merged"
        ]

    def test_both_applicants_told_each_only_of_their_own(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        relations.merge(duplicate, main, note="یادداشت داخلی ادغام")
        to_duplicate = merged_messages(duplicate)
        to_main = merged_messages(main)
        assert sorted((m.channel, m.recipient) for m in to_duplicate) == [
            ("email", OTHER_APPLICANT["applicant_email"]),
            ("sms", OTHER_APPLICANT["applicant_mobile"]),
        ]
        assert sorted((m.channel, m.recipient) for m in to_main) == [
            ("email", APPLICANT["applicant_email"]),
            ("sms", APPLICANT["applicant_mobile"]),
        ]
        for messages, own, other, other_applicant in (
            (to_duplicate, duplicate, main, APPLICANT),
            (to_main, main, duplicate, OTHER_APPLICANT),
        ):
            email = next(m for m in messages if m.channel == "email")
            assert own.tracking_secret in email.body  # their own private link
            for message in messages:
                text = f"{message.subject}\n{message.body}"
                for secret in secrets_of(other, other_applicant):
                    assert secret not in text, (message.recipient, secret)
                assert "یادداشت داخلی ادغام" not in text

    def test_both_codes_still_track(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(main, unit="unit-a")
        relations.merge(duplicate, main, note="یادداشت داخلی ادغام")
        as_user(desk["portal"], None)
        found = desk_api.verify(duplicate.tracking_code, OTHER_APPLICANT["applicant_mobile"])
        assert aq_base(found) is aq_base(duplicate)
        found = desk_api.verify(main.tracking_code, APPLICANT["applicant_mobile"])
        assert aq_base(found) is aq_base(main)
        # Each verifier opens only its own request.
        assert desk_api.verify(duplicate.tracking_code, APPLICANT["applicant_mobile"]) is None
        seen = desk_api.public_view(duplicate)
        assert (seen["tracking_code"], seen["state"], seen["can_reply"]) == (
            duplicate.tracking_code,
            "merged",
            False,
        )
        assert "merged" in [e.get("to_state") for e in seen["timeline"]]
        shown = repr(seen)
        for secret in secrets_of(main, APPLICANT):
            assert secret not in shown
        assert "یادداشت داخلی ادغام" not in shown
        # The main request's status (its state, nothing else) for the duplicate's applicant.
        assert relations.public_info(duplicate) == {"merged": True, "merged_into_state": "assigned"}
        assert seen["merged_into_state"] == "assigned"  # on the tracking page and @track
        assert desk_api.public_view(main)["state"] == "assigned"
        assert relations.public_info(main) == {"merged": False, "merged_into_state": None}

    def test_open_subtasks_of_the_duplicate_are_cancelled(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(duplicate, unit="unit-a")
        subtasks.add_subtask(duplicate, "بررسی", "expert-b")
        relations.merge(duplicate, main)
        assert [s["state"] for s in subtasks.subtasks(duplicate)] == ["cancelled"]
        assert not api.user.has_permission("View", username="expert-b", obj=duplicate)


class TestMergeRefused:
    def _refused(self, desk, duplicate, into, field):
        before = snapshot(duplicate, into)
        messages = len(merged_messages(duplicate)) + len(merged_messages(into))
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(InputError) as info:
            relations.merge(duplicate, into)
        assert info.value.field == field
        assert snapshot(duplicate, into) == before
        assert len(merged_messages(duplicate)) + len(merged_messages(into)) == messages
        return info.value

    def test_into_itself(self, desk, pair):
        main, _ = pair
        self._refused(desk, main, main, "into")

    @pytest.mark.parametrize("finish", ["reject", "withdraw", "resolve", "close"])
    def test_into_a_finished_request(self, desk, pair, finish):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        if finish == "reject":
            desk_api.transition(main, "reject", "تکراری")
        elif finish == "withdraw":
            with desk_api.as_applicant(main):
                desk_api.withdraw(main)
        else:
            desk_api.refer(main, unit="unit-a")
            desk_api.resolve(main)
            if finish == "close":
                desk_api.transition(main, "close")
        error = self._refused(desk, duplicate, main, "into")
        assert error.message.mapping["code"] == main.tracking_code

    def test_into_a_merged_request_chain(self, desk, pair):
        main, duplicate = pair
        third = submit(desk, OTHER_APPLICANT)
        as_user(desk["portal"], "test-supervisor")
        relations.merge(duplicate, main)
        self._refused(desk, third, duplicate, "into")

    def test_a_merged_request_again(self, desk, pair):
        main, duplicate = pair
        third = submit(desk, OTHER_APPLICANT)
        as_user(desk["portal"], "test-supervisor")
        relations.merge(duplicate, main)
        self._refused(desk, duplicate, third, "duplicate")

    def test_a_request_others_were_merged_into(self, desk, pair):
        main, duplicate = pair
        third = submit(desk, OTHER_APPLICANT)
        as_user(desk["portal"], "test-supervisor")
        relations.merge(duplicate, main)
        self._refused(desk, main, third, "duplicate")

    @pytest.mark.parametrize("user", [None, "test-member", "expert-a", "test-agent"])
    def test_who_may_not(self, desk, pair, user):
        main, duplicate = pair
        as_user(desk["portal"], user)
        before = snapshot(duplicate, main)
        with pytest.raises(Unauthorized):
            relations.merge(duplicate, main)
        assert snapshot(duplicate, main) == before

    def test_expert_handling_only_the_duplicate(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(duplicate, expert="expert-a")  # gives expert-a REFER on it
        as_user(desk["portal"], "expert-a")
        assert api.user.has_permission(desk_api.REFER, obj=duplicate)
        with pytest.raises(Unauthorized):
            relations.merge(duplicate, main)
        assert desk_api.state(duplicate) == "assigned"

    @pytest.mark.parametrize("code", ["", "123", "1234567890", "۱۲۳"])
    def test_unknown_code(self, desk, code):
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(InputError) as info:
            relations.other_request(code)
        assert info.value.field == "code"

    def test_code_of_a_request_out_of_reach(self, desk, pair):
        """Staff who cannot see a request get the same answer as for an unknown code."""
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(duplicate, unit="unit-a")
        as_user(desk["portal"], "expert-a")
        with pytest.raises(InputError) as info:
            relations.other_request(localize_digits(main.tracking_code, "fa"))
        assert info.value.field == "code"
        assert aq_base(relations.other_request(duplicate.tracking_code)) is aq_base(duplicate)


class TestRelated:
    def test_link_both_ways_and_unlink(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        relations.link(main, duplicate, note="هر دو درباره یک درس")
        assert relations.related_codes(main) == (duplicate.tracking_code,)
        assert relations.related_codes(duplicate) == (main.tracking_code,)
        assert [e["related"] for e in main.timeline if e["event"] == "linked"] == [
            duplicate.tracking_code
        ]
        assert [e["public"] for e in duplicate.timeline if e["event"] == "linked"] == [False]
        assert duplicate.tracking_code not in repr(desk_api.public_view(main))
        relations.unlink(duplicate, main)
        assert relations.related_codes(main) == relations.related_codes(duplicate) == ()

    def test_refused(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(InputError):
            relations.link(main, main)
        relations.link(main, duplicate)
        with pytest.raises(InputError):
            relations.link(duplicate, main)  # already related
        assert relations.related_codes(main) == (duplicate.tracking_code,)
        relations.unlink(main, duplicate)
        with pytest.raises(InputError):
            relations.unlink(main, duplicate)

    def test_expert_working_both_may_link(self, desk, pair):
        main, duplicate = pair
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(main, unit="unit-a")
        as_user(desk["portal"], "expert-a")
        with pytest.raises(Unauthorized):  # only one of them is theirs
            relations.link(main, duplicate)
        assert relations.related_codes(main) == ()
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(duplicate, unit="unit-a")
        as_user(desk["portal"], "expert-a")
        relations.link(main, duplicate)
        assert relations.related_codes(duplicate) == (main.tracking_code,)

    @pytest.mark.parametrize("user", [None, "test-member", "expert-b"])
    def test_who_may_not(self, desk, pair, user):
        main, duplicate = pair
        third = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        relations.link(main, duplicate)
        as_user(desk["portal"], user)
        with pytest.raises(Unauthorized):
            relations.link(main, third)
        with pytest.raises(Unauthorized):
            relations.unlink(main, duplicate)
        assert relations.related_codes(main) == (duplicate.tracking_code,)
