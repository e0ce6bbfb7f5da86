"""Resolved requests close by themselves after the set working days (api/autoclose.py):
on the working calendar, found through the catalog, written on the timeline as the
system's step, once however often it runs."""

from AccessControl import Unauthorized
from DateTime import DateTime
from plone import api
from tests.helpers import APPLICANT
from tests.helpers import Upload
from tests.requests.conftest import as_user
from uni.servicedesk.api.sla import autoclose
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api import requests as desk_api
from zoneinfo import ZoneInfo

import datetime
import pytest

TEHRAN = ZoneInfo("Asia/Tehran")
# Wednesday 2 December 2026 (1405/09/11); Friday the 4th is the weekly day off.
WEDNESDAY = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=TEHRAN)


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=TEHRAN)


@pytest.fixture(autouse=True)
def in_one_transaction(monkeypatch):
    """Each request is closed in a commit of its own; the integration layer may not commit."""
    from uni.servicedesk.api import transactions

    monkeypatch.setattr(transactions, "committed", lambda change, *a, **k: change(*a, **k))


def resolved(desk, when=None, **changes):
    """A request referred to expert-a and resolved by them (``when``: as if then)."""
    as_user(desk["portal"], None)
    data = dict(APPLICANT, kind="request", body="لطفا گواهی صادر شود", **changes)
    request = desk_api.submit(data, service=desk["service"], documents={0: Upload()})
    as_user(desk["portal"], "test-supervisor")
    desk_api.refer(request, expert="expert-a")
    as_user(desk["portal"], "expert-a")
    desk_api.resolve(request, "گواهی صادر شد")
    if when is not None:
        request.resolved_at = DateTime(when.isoformat())
        request.reindexObject(idxs=["resolved_at"])
    as_user(desk["portal"], None)
    return request


def state(request):
    with api.env.adopt_roles(["Manager"]):
        return api.content.get_state(request)


def closings(request):
    return [e for e in request.timeline if e["event"] == "transition" and e["to_state"] == "closed"]


def set_days(days):
    api.portal.set_registry_record(autoclose.SETTING, days)


class TestWhen:
    def test_default_is_seven_working_days(self, desk):
        assert api.portal.get_registry_record(autoclose.SETTING) == 7

    def test_counted_in_working_days_from_the_day_resolved(self, desk):
        set_days(2)
        request = resolved(desk, WEDNESDAY)
        # Thursday and Saturday are the two working days (Friday is off): it closes at the
        # end of Saturday's working hours (14:30), not 48 hours later.
        assert autoclose.closes_at(request) == at(5, 14, 30)
        assert autoclose.close_resolved(now=at(4, 23)) == 0
        assert autoclose.close_resolved(now=at(5, 14, 29)) == 0
        assert state(request) == "resolved"
        assert autoclose.close_resolved(now=at(5, 14, 31)) == 1
        assert state(request) == "closed"

    def test_holidays_do_not_count(self, desk):
        set_days(1)
        api.portal.set_registry_record("uni.servicedesk.sla.holidays", ["1405/09/12 تعطیل"])
        request = resolved(desk, WEDNESDAY)  # Thursday 1405/09/12 is a holiday now
        assert autoclose.closes_at(request) == at(5, 14, 30)
        assert autoclose.close_resolved(now=at(3, 15)) == 0
        assert autoclose.close_resolved(now=at(5, 15)) == 1

    def test_zero_means_never(self, desk):
        set_days(0)
        request = resolved(desk, WEDNESDAY)
        assert autoclose.closes_at(request) is None
        assert autoclose.close_resolved(now=WEDNESDAY + datetime.timedelta(days=400)) == 0
        assert state(request) == "resolved"

    def test_naive_now_is_local_time(self, desk):
        set_days(2)
        request = resolved(desk, WEDNESDAY)
        assert autoclose.close_resolved(now=datetime.datetime(2026, 12, 5, 14, 0)) == 0
        assert autoclose.close_resolved(now=datetime.datetime(2026, 12, 5, 15, 0)) == 1
        assert state(request) == "closed"

    def test_just_resolved_waits(self, desk):
        request = resolved(desk)  # resolved now, by the real clock
        assert autoclose.close_resolved() == 0
        assert (
            autoclose.close_resolved(
                now=datetime.datetime.now(TEHRAN) + datetime.timedelta(days=30)
            )
            == 1
        )
        assert state(request) == "closed"


class TestTheStep:
    def test_on_the_timeline_as_the_systems_step(self, desk):
        set_days(2)
        request = resolved(desk, WEDNESDAY, notify_channels=["email"])
        # Whoever runs the job (here an expert, who may not close) does not sign the step.
        as_user(desk["portal"], "expert-a")
        assert autoclose.close_resolved(now=at(8, 10)) == 1
        [entry] = closings(request)
        assert entry["actor"] == "" and entry["actor_name"] == ""
        assert entry["public"] is True and entry["transition"] == "close"
        assert entry["text"] == "۲ روز کاری پس از حل شدن، خودکار بسته شد."
        assert api.user.get_current().getId() == "expert-a"  # the caller's rights are back
        # the applicant hears of it like of any closing
        messages = outbox_api.messages_of_request(outbox_api.get_outbox(), request.tracking_code)
        assert "closed" in [m.event for m in messages]
        catalog = api.portal.get_tool("portal_catalog")
        [brain] = catalog.unrestrictedSearchResults(tracking_code=request.tracking_code)
        assert brain.review_state == "closed"

    def test_once_however_often_it_runs(self, desk):
        set_days(1)
        request = resolved(desk, WEDNESDAY)
        assert autoclose.close_resolved(now=at(10, 10)) == 1
        assert autoclose.close_resolved(now=at(10, 10)) == 0
        assert autoclose.close_resolved(now=at(20, 10)) == 0
        assert len(closings(request)) == 1

    def test_reopened_and_closed_ones_are_left_alone(self, desk):
        set_days(1)
        reopened = resolved(desk, WEDNESDAY)
        with desk_api.as_applicant(reopened):
            desk_api.reopen(reopened, "هنوز مشکل دارم")
        by_hand = resolved(desk, WEDNESDAY)
        as_user(desk["portal"], "test-supervisor")
        desk_api.transition(by_hand, "close")
        as_user(desk["portal"], None)
        assert autoclose.close_resolved(now=at(20, 10)) == 0
        assert state(reopened) == "in_progress"
        assert len(closings(by_hand)) == 1

    def test_resolved_again_counts_from_the_new_day(self, desk):
        set_days(1)
        request = resolved(desk, WEDNESDAY)
        # The catalog still has the first day when the request is resolved again (e.g. a
        # reindex that did not happen): the request itself is checked before closing.
        request.resolved_at = DateTime(at(12, 10).isoformat())
        assert autoclose.close_resolved(now=at(10, 10)) == 0
        assert state(request) == "resolved"


class TestFinding:
    def test_candidates_come_from_the_catalog(self, desk):
        set_days(1)
        old = resolved(desk, WEDNESDAY)
        recent = resolved(desk, at(9, 10))
        as_user(desk["portal"], None)
        working = desk_api.submit(
            dict(APPLICANT, kind="request", body="x"),
            service=desk["service"],
            documents={0: Upload()},
        )
        working.resolved_at = DateTime(WEDNESDAY.isoformat())  # not resolved: never a candidate
        working.reindexObject(idxs=["resolved_at"])
        path = "/".join(old.getPhysicalPath())
        assert autoclose.candidates(now=at(8, 10)) == [path]
        assert sorted(autoclose.candidates(now=at(12, 10))) == sorted([
            path,
            "/".join(recent.getPhysicalPath()),
        ])

    def test_resolved_at_is_indexed_whichever_door_resolves(self, desk):
        as_user(desk["portal"], None)
        request = desk_api.submit(
            dict(APPLICANT, kind="request", body="x"),
            service=desk["service"],
            documents={0: Upload()},
        )
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        as_user(desk["portal"], "expert-a")
        workflow = api.portal.get_tool("portal_workflow")
        workflow.doActionFor(request, "start")
        workflow.doActionFor(request, "resolve")  # as @workflow and content_status_modify do
        catalog = api.portal.get_tool("portal_catalog")
        found = catalog.unrestrictedSearchResults(
            tracking_code=request.tracking_code,
            resolved_at={"query": DateTime() + 1, "range": "max"},
        )
        assert len(found) == 1

    def test_without_the_index_nothing_is_woken(self, desk):
        set_days(1)
        request = resolved(desk, WEDNESDAY)
        api.portal.get_tool("portal_catalog").delIndex("resolved_at")
        assert autoclose.candidates(now=at(20, 10)) == []
        assert autoclose.close_resolved(now=at(20, 10)) == 0
        assert state(request) == "resolved"


class TestWhoMayClose:
    @pytest.mark.parametrize("user", ["expert-a", "test-member", None])
    def test_not_the_expert_nor_the_applicant(self, desk, user):
        request = resolved(desk, WEDNESDAY)
        request.manage_setLocalRoles("test-member", ["Owner"])
        as_user(desk["portal"], user)
        workflow = api.portal.get_tool("portal_workflow")
        assert "close" not in [t["id"] for t in workflow.getTransitionsFor(request)]
        with pytest.raises(Unauthorized):
            desk_api.transition(request, "close")
        assert state(request) == "resolved"

    @pytest.mark.parametrize("user", ["test-supervisor", "test-siteadmin"])
    def test_supervisors_and_site_administrators(self, desk, user):
        request = resolved(desk, WEDNESDAY)
        as_user(desk["portal"], user)
        desk_api.transition(request, "close", "پایان کار")
        assert state(request) == "closed"
        assert closings(request)[0]["actor"] == user
