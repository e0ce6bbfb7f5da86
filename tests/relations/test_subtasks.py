"""Sub-tasks through the domain API: access comes and goes with them, and open required
ones stop a request from being resolved (unless a supervisor overrides, with a reason)."""

from AccessControl import Unauthorized
from persistent.mapping import PersistentMapping
from plone import api
from tests.relations.conftest import submit
from tests.requests.conftest import as_user
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.requests import subtasks
from uni.servicedesk.api.validation import InputError

import pytest


def can(user_id, permission, request):
    return bool(api.user.has_permission(permission, username=user_id, obj=request))


def found_by(portal, user_id, request):
    """Does the catalog (the cartable's source) show ``request`` to ``user_id``?"""
    as_user(portal, user_id)
    try:
        catalog = api.portal.get_tool("portal_catalog")
        return len(catalog(portal_type="ServiceRequest", tracking_code=request.tracking_code))
    finally:
        as_user(portal, None)


def add(desk, request, user="expert-a", title="بررسی کارنامه", assignee="expert-b", **kw):
    as_user(desk["portal"], user)
    return subtasks.add_subtask(request, title, assignee, **kw)


def handler_roles(request, principal):
    return desk_api.HANDLER_ROLE in dict(request.get_local_roles()).get(principal, ())


class TestAssignment:
    def test_assignee_gets_access_and_loses_it_when_done(self, desk, referred):
        portal = desk["portal"]
        assert not can("expert-b", "View", referred)
        assert not found_by(portal, "expert-b", referred)
        subtask_id = add(desk, referred, note="نمرات ترم دوم")
        assert can("expert-b", "View", referred) and can("expert-b", desk_api.WORK, referred)
        assert found_by(portal, "expert-b", referred) == 1
        (subtask,) = subtasks.subtasks(referred)
        assert (
            subtask["title"],
            subtask["assignee"],
            subtask["assignee_kind"],
            subtask["required"],
            subtask["state"],
            subtask["created_by"],
        ) == ("بررسی کارنامه", "expert-b", "user", True, "open", "expert-a")
        assert isinstance(referred.subtasks, PersistentMapping)  # on the request, not content
        added = referred.timeline[-1]
        assert (added["event"], added["public"], added["subtask"]) == (
            "subtask_added",
            False,
            subtask_id,
        )

        as_user(portal, "expert-b")
        subtasks.complete(referred, subtask_id, "کارنامه بررسی شد")
        as_user(portal, None)
        (subtask,) = subtasks.subtasks(referred)
        assert (subtask["state"], subtask["closed_by"], subtask["closing_text"]) == (
            "done",
            "expert-b",
            "کارنامه بررسی شد",
        )
        assert not can("expert-b", "View", referred)
        assert not found_by(portal, "expert-b", referred)
        done = referred.timeline[-1]
        assert (done["event"], done["public"], done["text"]) == (
            "subtask_done",
            False,
            "کارنامه بررسی شد",
        )
        # The applicant never sees sub-tasks.
        events = [e["event"] for e in desk_api.public_view(referred)["timeline"]]
        assert not [e for e in events if e.startswith("subtask")]

    def test_assignee_is_told_by_email(self, desk, referred):
        add(desk, referred, title="استعلام از واحد مالی")
        messages = [
            m
            for m in outbox_api.messages_of_request(outbox_api.get_outbox(), referred.tracking_code)
            if m.event == "subtask"
        ]
        assert [(m.channel, m.recipient) for m in messages] == [("email", "expert-b@uni.example")]
        assert "استعلام از واحد مالی" in messages[0].body
        assert referred.absolute_url() in messages[0].body

    def test_unit_assignment_reaches_its_members(self, desk, referred):
        portal = desk["portal"]
        subtask_id = add(desk, referred, assignee="unit-b")
        assert handler_roles(referred, "unit-b")
        assert can("expert-b", "View", referred)
        box = outbox_api.get_outbox()
        recipients = [
            m.recipient
            for m in outbox_api.messages_of_request(box, referred.tracking_code)
            if m.event == "subtask"
        ]
        assert recipients == ["expert-b@uni.example"]
        as_user(portal, "expert-b")  # a member of the unit completes it
        subtasks.complete(referred, subtask_id)
        assert not handler_roles(referred, "unit-b")
        assert not can("expert-b", "View", referred)

    def test_cancel_takes_access_away(self, desk, referred):
        subtask_id = add(desk, referred)
        as_user(desk["portal"], "expert-a")
        subtasks.cancel(referred, subtask_id, "دیگر لازم نیست")
        assert subtasks.subtasks(referred)[0]["state"] == "cancelled"
        assert referred.timeline[-1]["event"] == "subtask_cancelled"
        assert not can("expert-b", "View", referred)

    def test_referred_unit_and_other_open_subtasks_keep_their_role(self, desk, referred):
        # unit-a is the referred unit: a sub-task for it leaves its role in place.
        subtask_id = add(desk, referred, assignee="unit-a")
        as_user(desk["portal"], "expert-a")
        subtasks.complete(referred, subtask_id)
        assert handler_roles(referred, "unit-a")
        assert can("expert-c", "View", referred)
        # Two sub-tasks for expert-b: the role stays until the last one is finished.
        first = add(desk, referred, title="یک")
        second = add(desk, referred, title="دو")
        as_user(desk["portal"], "expert-a")
        subtasks.complete(referred, first)
        assert can("expert-b", "View", referred)
        subtasks.cancel(referred, second)
        assert not can("expert-b", "View", referred)

    def test_referred_expert_keeps_the_role(self, desk):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        subtask_id = subtasks.add_subtask(request, "بررسی", "expert-a")
        subtasks.cancel(request, subtask_id)
        assert handler_roles(request, "expert-a")
        assert can("expert-a", desk_api.WORK, request)

    def test_roles_restored_after_a_new_referral(self, desk, referred):
        """A referral releases every handler; ``restore_roles`` gives open sub-tasks back."""
        add(desk, referred)
        done = add(desk, referred, assignee="expert-c", title="تمام‌شده")
        as_user(desk["portal"], "expert-a")
        subtasks.complete(referred, done)
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(referred, unit="unit-b")
        subtasks.restore_roles(referred)
        assert handler_roles(referred, "expert-b")
        assert not handler_roles(referred, "expert-c")
        assert found_by(desk["portal"], "expert-b", referred) == 1


class TestWhoMay:
    @pytest.mark.parametrize("user", [None, "test-member", "expert-b", "test-agent"])
    def test_only_those_working_it_add(self, desk, referred, user):
        as_user(desk["portal"], user)
        with pytest.raises(Unauthorized):
            subtasks.add_subtask(referred, "بررسی", "expert-c")
        assert subtasks.subtasks(referred) == []
        assert not handler_roles(referred, "expert-c")

    @pytest.mark.parametrize("user", [None, "test-member", "test-agent"])
    def test_only_assignee_or_worker_completes(self, desk, referred, user):
        subtask_id = add(desk, referred)
        as_user(desk["portal"], user)
        with pytest.raises(Unauthorized):
            subtasks.complete(referred, subtask_id)
        with pytest.raises(Unauthorized):
            subtasks.cancel(referred, subtask_id)
        assert subtasks.subtasks(referred)[0]["state"] == "open"

    def test_another_units_member_may_not_complete_a_unit_subtask(self, desk):
        """expert-b is in unit-b; a sub-task of unit-a on a request unit-b cannot see."""
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-c")
        subtask_id = subtasks.add_subtask(request, "بررسی", "unit-a")
        as_user(desk["portal"], "expert-b")
        with pytest.raises(Unauthorized):
            subtasks.complete(request, subtask_id)
        as_user(desk["portal"], "expert-a")  # a member of unit-a may
        subtasks.complete(request, subtask_id)
        assert subtasks.subtasks(request)[0]["closed_by"] == "expert-a"

    def test_supervisor_completes_any(self, desk, referred):
        subtask_id = add(desk, referred)
        as_user(desk["portal"], "test-supervisor")
        subtasks.complete(referred, subtask_id)
        assert subtasks.subtasks(referred)[0]["state"] == "done"

    def test_finished_subtask_cannot_be_finished_again(self, desk, referred):
        subtask_id = add(desk, referred)
        as_user(desk["portal"], "expert-a")
        subtasks.complete(referred, subtask_id)
        with pytest.raises(InputError) as info:
            subtasks.cancel(referred, subtask_id)
        assert info.value.field == "subtask"
        assert subtasks.subtasks(referred)[0]["state"] == "done"


class TestBadInput:
    @pytest.mark.parametrize(
        "title,assignee,field",
        [
            ("", "expert-b", "title"),
            ("   ", "expert-b", "title"),
            ("بررسی", "", "assignee"),
            ("بررسی", "nobody", "assignee"),
            ("بررسی", "test-member", "assignee"),  # not an expert
            ("بررسی", "unit-nowhere", "assignee"),
            ("بررسی", "Reviewers", "assignee"),  # a group, not a unit
        ],
    )
    def test_refused_and_nothing_changed(self, desk, referred, title, assignee, field):
        timeline = len(referred.timeline)
        roles = sorted(referred.get_local_roles())
        as_user(desk["portal"], "expert-a")
        with pytest.raises(InputError) as info:
            subtasks.add_subtask(referred, title, assignee)
        assert info.value.field == field
        assert subtasks.subtasks(referred) == []
        assert len(referred.timeline) == timeline
        assert sorted(referred.get_local_roles()) == roles

    def test_unknown_subtask(self, desk, referred):
        as_user(desk["portal"], "expert-a")
        with pytest.raises(InputError) as info:
            subtasks.complete(referred, "nope")
        assert info.value.field == "subtask"

    def test_not_on_a_finished_request(self, desk, referred):
        as_user(desk["portal"], "expert-a")
        desk_api.resolve(referred)
        with pytest.raises(InputError) as info:
            subtasks.add_subtask(referred, "بررسی", "expert-b")
        assert info.value.field == "subtask"
        assert subtasks.subtasks(referred) == []


class TestCheckResolvable:
    """``check_resolvable`` itself (what ``requests.resolve`` calls first)."""

    def test_open_required_blocks_and_names_them(self, desk, referred):
        add(desk, referred, title="استعلام آموزش")
        add(desk, referred, title="پیگیری اختیاری", required=False)
        as_user(desk["portal"], "expert-a")
        with pytest.raises(InputError) as info:
            subtasks.check_resolvable(referred)
        assert info.value.field == "subtasks"
        assert info.value.message.mapping["subtasks"] == "«استعلام آموزش»"

    def test_optional_and_finished_ones_do_not_block(self, desk, referred):
        optional = add(desk, referred, title="اختیاری", required=False)
        done = add(desk, referred, title="لازم")
        as_user(desk["portal"], "expert-a")
        subtasks.complete(referred, done)
        subtasks.check_resolvable(referred)  # no error
        assert subtasks.subtasks(referred)[0]["id"] == optional

    def test_override_by_supervisor_with_reason_is_recorded(self, desk, referred):
        subtask_id = add(desk, referred, title="استعلام آموزش")
        as_user(desk["portal"], "test-supervisor")
        subtasks.check_resolvable(referred, override=True, reason="درخواست فوری رئیس دانشگاه")
        entry = referred.timeline[-1]
        assert (
            entry["event"],
            entry["public"],
            entry["text"],
            entry["actor"],
            entry["subtasks"],
        ) == (
            "subtasks_overridden",
            False,
            "درخواست فوری رئیس دانشگاه",
            "test-supervisor",
            [subtask_id],
        )

    def test_override_refused_for_an_expert(self, desk, referred):
        add(desk, referred)
        as_user(desk["portal"], "expert-a")
        timeline = len(referred.timeline)
        with pytest.raises(InputError) as info:
            subtasks.check_resolvable(referred, override=True, reason="عجله دارم")
        assert info.value.field == "subtasks"
        assert len(referred.timeline) == timeline

    def test_override_refused_without_reason(self, desk, referred):
        add(desk, referred)
        as_user(desk["portal"], "test-supervisor")
        timeline = len(referred.timeline)
        with pytest.raises(InputError) as info:
            subtasks.check_resolvable(referred, override=True, reason="  ")
        assert info.value.field == "reason"
        assert len(referred.timeline) == timeline


class TestResolve:
    """Through ``requests.resolve(request, text, override, reason)``: these need the call to
    ``subtasks.check_resolvable`` in ``requests.resolve``."""

    def test_open_required_subtask_blocks_resolve(self, desk, referred):
        add(desk, referred, title="استعلام آموزش")
        as_user(desk["portal"], "expert-a")
        with pytest.raises(InputError) as info:
            desk_api.resolve(referred, "انجام شد")
        assert info.value.field == "subtasks"
        assert desk_api.state(referred) == "in_progress"

    def test_optional_subtask_does_not_block(self, desk, referred):
        add(desk, referred, required=False)
        as_user(desk["portal"], "expert-a")
        desk_api.resolve(referred, "انجام شد", override=False, reason="")
        assert desk_api.state(referred) == "resolved"

    def test_resolvable_once_done(self, desk, referred):
        subtask_id = add(desk, referred)
        as_user(desk["portal"], "expert-b")
        subtasks.complete(referred, subtask_id)
        as_user(desk["portal"], "expert-a")
        desk_api.resolve(referred, "انجام شد", override=False, reason="")
        assert desk_api.state(referred) == "resolved"

    def test_supervisor_overrides_with_reason(self, desk, referred):
        add(desk, referred)
        as_user(desk["portal"], "test-supervisor")
        desk_api.resolve(referred, "انجام شد", override=True, reason="تصمیم شورای آموزشی")
        assert desk_api.state(referred) == "resolved"
        overrides = [e for e in referred.timeline if e["event"] == "subtasks_overridden"]
        assert [e["text"] for e in overrides] == ["تصمیم شورای آموزشی"]

    def test_expert_cannot_override(self, desk, referred):
        add(desk, referred)
        as_user(desk["portal"], "expert-a")
        with pytest.raises(InputError):
            desk_api.resolve(referred, "انجام شد", override=True, reason="عجله")
        assert desk_api.state(referred) == "in_progress"

    def test_supervisor_needs_a_reason(self, desk, referred):
        add(desk, referred)
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(InputError):
            desk_api.resolve(referred, "انجام شد", override=True, reason="")
        assert desk_api.state(referred) == "in_progress"
        assert not [e for e in referred.timeline if e["event"] == "subtasks_overridden"]
