"""Service levels on requests: business-time due dates, the paused clock, the sweep and
its escalation levels (integration), and the SLA control panel (through the publisher)."""

from AccessControl import Unauthorized
from persiantools.jdatetime import JalaliDate
from plone import api
from tests.helpers import APPLICANT
from tests.helpers import Upload
from tests.requests.conftest import as_user
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import sla
from uni.servicedesk.api.validation import InputError
from zoneinfo import ZoneInfo

import datetime
import pytest

TEHRAN = ZoneInfo("Asia/Tehran")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TEHRAN)


def jalali(year, month, day, hour=10):
    g = JalaliDate(year, month, day).to_gregorian()
    return at(g.year, g.month, g.day, hour)


def submit(desk, started=None, **changes):
    as_user(desk["portal"], None)
    data = dict(APPLICANT, kind="request", body="لطفا گواهی صادر شود")
    data.update(changes)
    request = desk_api.submit(data, service=desk["service"], documents={0: Upload()})
    if started is not None:  # as if registered then
        sla.start(request, desk["service"], now=started)
        request.reindexObject()
    return request


def escalations(request):
    return [e for e in request.timeline if e["event"] == "escalated"]


class TestDueDates:
    def test_three_working_days_skip_friday(self, desk):
        # Wednesday 2026-11-25 10:00: Thursday, (Friday off), Saturday, Sunday → Sunday 14:30
        request = submit(desk, started=at(2026, 11, 25, 10))
        assert request.due_date == datetime.datetime(2026, 11, 29, 14, 30)
        assert request.sla_state == sla.ON_TIME
        assert request.sla_budget == datetime.timedelta(
            hours=4, minutes=30
        ) + 3 * datetime.timedelta(hours=7)

    def test_nowruz_holidays_are_skipped(self, desk):
        # registered on Thursday 1405/12/27: 12/28 is a Friday, 12/29 and 1406/01/01-04
        # holidays; then 01/05 (Thursday), 01/06 a Friday, 01/07, 01/08
        request = submit(desk, started=jalali(1405, 12, 27, 9))
        due = JalaliDate(request.due_date.date())
        assert (due.year, due.month, due.day) == (1406, 1, 8)

    def test_first_response_target_in_working_hours(self, desk):
        request = submit(desk, started=at(2026, 11, 25, 13, 0))  # Wednesday 13:00
        # 1 h 30 left on Wednesday, then Thursday 07:30 + 2 h 30
        assert request.first_response_due == datetime.datetime(2026, 11, 26, 10, 0)

    def test_unreadable_holidays_refused_by_the_settings(self, desk):
        from uni.servicedesk.interfaces import ISLASettings
        from zope.interface import Invalid

        with pytest.raises(Invalid):
            ISLASettings["holidays"].validate(["1405/13/01 nonsense"])
        ISLASettings["holidays"].validate(["۱۴۰۵/۰۱/۰۱ نوروز", "01/12"])


class TestPausedClock:
    def test_awaiting_the_applicant_pauses_and_moves_the_due_date(self, desk):
        request = submit(desk, started=at(2026, 11, 22, 8))  # Sunday
        due = request.due_date
        sla.pause(request, now=at(2026, 11, 23, 8))  # Monday 08:00
        assert request.sla_state == sla.PAUSED
        sla.resume(request, now=at(2026, 11, 24, 8))  # Tuesday 08:00: one working day later
        assert request.due_date == due + datetime.timedelta(days=1)
        assert request.sla_state in (sla.ON_TIME, sla.OVERDUE, sla.AT_RISK)

    def test_pause_over_the_weekend_costs_nothing_extra(self, desk):
        request = submit(desk, started=at(2026, 11, 22, 8))
        due = request.due_date
        sla.pause(request, now=at(2026, 11, 26, 14, 30))  # Thursday closing time
        sla.resume(request, now=at(2026, 11, 28, 7, 30))  # Saturday opening
        assert request.due_date == due

    def test_the_workflow_pauses_and_resumes(self, desk):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        as_user(desk["portal"], "expert-a")
        desk_api.request_documents(request, ["کارت دانشجویی"])
        assert request.sla_state == sla.PAUSED and request.sla_pauses[-1][1] is None
        as_user(desk["portal"], None)
        with desk_api.as_applicant(request):
            desk_api.applicant_reply(request, "پیوست شد", [Upload()])
        assert request.sla_pauses[-1][1] is not None
        assert request.sla_state != sla.PAUSED

    def test_first_response_and_resolution(self, desk):
        request = submit(desk)
        assert request.first_response_at is None
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        as_user(desk["portal"], "expert-a")
        desk_api.reply(request, "در حال بررسی")
        assert request.first_response_at is not None
        desk_api.resolve(request)
        assert request.sla_state == sla.MET
        late = submit(desk, started=at(2020, 1, 4, 8))
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(late, expert="expert-a")
        as_user(desk["portal"], "expert-a")
        desk_api.resolve(late)
        assert late.sla_state == sla.MISSED


@pytest.fixture
def in_one_transaction(monkeypatch):
    """The sweep commits each request on its own; the integration layer may not commit."""
    from uni.servicedesk.api.sla import escalation

    monkeypatch.setattr(escalation, "committed", lambda change, *a, **k: change(*a, **k))


@pytest.mark.usefixtures("in_one_transaction")
class TestSweep:
    def test_overdue_escalates_once_however_often_swept(self, desk):
        request = submit(desk, started=at(2020, 1, 4, 8))
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, unit="unit-a")
        as_user(desk["portal"], None)
        first = sla.sweep()
        assert first["overdue"] == 1
        assert request.sla_state == sla.OVERDUE and request.escalation_level == 2
        assert api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
            sla_state="overdue", tracking_code=request.tracking_code
        )
        again = sla.sweep()
        assert again == {"at_risk": 0, "overdue": 0, "first_response": 0}
        assert [e["level"] for e in escalations(request)] == [2]
        # the handlers were told it is overdue; the supervisors of level 2 that it came to them
        box = outbox_api.get_outbox()
        events = {
            (m.event, m.recipient_user)
            for m in outbox_api.messages_of_request(box, request.tracking_code)
        }
        assert ("escalated", "test-supervisor") in events or not api.user.get(
            userid="test-supervisor"
        ).getProperty("email")

    def test_at_risk_goes_to_the_unit_head_named_in_the_settings(self, desk):
        api.portal.set_registry_record(
            sla.ESCALATION_RECORD,
            [{"unit": "unit-a", "head": ["expert-b"], "supervisors": ["test-supervisor"]}],
        )
        api.portal.set_registry_record("uni.servicedesk.sla.first_response_hours", 0)
        now = sla.now_local()
        request = submit(desk, started=now - datetime.timedelta(days=10))
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, unit="unit-a")
        # Not overdue yet, but past the risk moment.
        request.due_date = (now + datetime.timedelta(days=30)).replace(tzinfo=None)
        request.sla_risk_at = (now - datetime.timedelta(hours=1)).replace(tzinfo=None)
        request.reindexObject()
        as_user(desk["portal"], None)
        assert sla.sweep()["at_risk"] == 1
        assert request.sla_state == sla.AT_RISK and request.escalation_level == 1
        assert escalations(request)[-1]["people"] == ["expert-b"]
        assert "Request Handler" in dict(request.get_local_roles())["expert-b"]
        assert sla.sweep()["at_risk"] == 0

    def test_no_first_response_in_time_escalates_once(self, desk):
        request = submit(desk)
        request.first_response_due = (sla.now_local() - datetime.timedelta(hours=1)).replace(
            tzinfo=None
        )
        request.reindexObject()
        assert sla.sweep()["first_response"] == 1
        assert request.escalation_level == 1
        assert sla.sweep()["first_response"] == 0

    def test_answered_in_time_is_not_escalated(self, desk):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        as_user(desk["portal"], "expert-a")
        desk_api.reply(request, "پاسخ")
        request.first_response_due = (sla.now_local() - datetime.timedelta(hours=1)).replace(
            tzinfo=None
        )
        request.reindexObject()
        assert sla.sweep()["first_response"] == 0

    def test_paused_requests_are_not_made_overdue(self, desk):
        request = submit(desk, started=at(2020, 1, 4, 8))
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        as_user(desk["portal"], "expert-a")
        desk_api.request_documents(request, ["کارت"])
        assert sla.sweep()["overdue"] == 0
        assert request.sla_state == sla.PAUSED


class TestManualEscalation:
    def test_supervisor_escalates_with_a_reason(self, desk):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(InputError):
            sla.escalate(request, "")
        assert sla.escalate(request, "متقاضی چند بار پیگیری کرده")
        assert request.escalation_level == 1
        assert escalations(request)[-1]["automatic"] is False

    @pytest.mark.parametrize("user", ["expert-a", "test-member", None])
    def test_others_may_not(self, desk, user):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        as_user(desk["portal"], user)
        with pytest.raises(Unauthorized):
            sla.escalate(request, "دلیل")
        assert request.escalation_level == 0
