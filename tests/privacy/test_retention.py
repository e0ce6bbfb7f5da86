"""Retention: ended requests lose their personal data after the set years, once, as a
periodic job and from cron."""

from DateTime import DateTime
from pathlib import Path
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from tests.helpers import Upload
from tests.privacy.conftest import REZA
from tests.privacy.conftest import leaks
from tests.privacy.conftest import setup_desk
from uni.servicedesk.api import privacy
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import scheduler
from uni.servicedesk.api import transactions
from uni.servicedesk.api.events import IPeriodicJob
from uni.servicedesk.api.privacy import retention
from zope.component import getUtility
from unittest import mock

import datetime
import pytest
import transaction

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "retention.py"
LATER = datetime.datetime.now() + datetime.timedelta(days=3 * 366)  # three years on


def in_place(change, *args, **kwargs):
    """``transactions.committed`` without the commit (the integration layer may not)."""
    return change(*args, **kwargs)


def run(now=None):
    with mock.patch.object(transactions, "committed", in_place):
        return privacy.anonymise_expired(now=now)


def ended(catalog=None):
    catalog = catalog or api.portal.get_tool("portal_catalog")
    return sorted(
        b.getId
        for b in catalog.unrestrictedSearchResults(
            ended_at={"query": DateTime("2100-01-01"), "range": "max"}
        )
    )


@pytest.fixture
def withdrawn(people):
    complaint = people["complaint"]
    logout()  # she withdraws it from the tracking page
    with desk_api.as_applicant(complaint):
        desk_api.withdraw(complaint, "دیگر لازم نیست؛ سارا")
    login(people["portal"], "test-siteadmin")
    return complaint


class TestEndedAt:
    def test_only_ended_requests_are_in_the_index(self, people, withdrawn):
        entry = withdrawn.timeline[-1]
        assert entry["to_state"] == "withdrawn"
        assert withdrawn.ended_at == entry["when"]
        assert ended() == [withdrawn.getId()]
        with api.env.adopt_roles(["Manager"]):
            desk_api.transition(people["other"], "reject", "تکراری")
        assert ended() == sorted([withdrawn.getId(), people["other"].getId()])
        assert getattr(people["main"], "ended_at", None) is None


class TestAnonymiseExpired:
    def test_kept_for_ever_by_default(self, people, withdrawn):
        assert privacy.retention_years() == 0
        assert run(LATER) == 0
        assert withdrawn.applicant_name == "سارا محمدی"

    def test_after_the_years(self, people, withdrawn):
        api.portal.set_registry_record(privacy.RETENTION_SETTING, 2)
        assert run(datetime.datetime.now() + datetime.timedelta(days=366)) == 0  # not yet
        assert run(LATER) == 1
        assert withdrawn.applicant_name == privacy.PLACEHOLDER_NAME
        assert withdrawn.applicant_mobile == withdrawn.applicant_national_code == ""
        assert withdrawn.timeline[-2]["text"] == privacy.ERASED_TEXT  # her reason to withdraw
        assert withdrawn.timeline[-1]["event"] == "anonymised"
        assert withdrawn.timeline[-1]["actor"] == ""  # the system, not whoever ran it
        assert api.content.get_state(withdrawn) == "withdrawn"
        assert leaks(repr(list(withdrawn.timeline)) + withdrawn.subject + withdrawn.body) == []
        assert ended() == []  # out of the index: the next run does not look at it again
        # what has not ended keeps its data, whatever its age
        assert people["main"].applicant_name == "سارا محمدی"
        assert people["other"].applicant_name == REZA["applicant_name"]
        assert run(LATER) == 0
        [entry] = privacy.erasures()
        assert (entry["action"], entry["requests"], entry["actor"]) == ("retention", 1, "")
        assert entry["years"] == 2

    def test_cutoff_on_29_february(self):
        assert retention.cutoff(1, datetime.datetime(2028, 2, 29, 10)) == datetime.datetime(
            2027, 2, 28, 10
        )

    def test_a_periodic_job(self):
        job = getUtility(IPeriodicJob, name="retention")
        assert isinstance(job, retention.RetentionJob)
        assert "retention" in [name for name, _job in scheduler.jobs()]
        assert job.interval == 3600


def run_script(app):
    exec(compile(SCRIPT.read_text(), str(SCRIPT), "exec"), {"app": app, "__name__": "__main__"})


def test_cron_script(functional, capsys):
    portal, app = functional["portal"], functional["app"]
    with api.env.adopt_roles(["Manager"]):
        service, _calendar = setup_desk(portal)
        api.portal.set_registry_record(privacy.RETENTION_SETTING, 1)
    logout()
    old = desk_api.submit(
        dict(REZA, kind="request", body="قدیمی"), service=service, documents={0: Upload()}
    )
    recent = desk_api.submit(dict(REZA, kind="complaint", subject="تازه", body="تازه"))
    with api.env.adopt_roles(["Manager"]):
        for request in (old, recent):
            desk_api.transition(request, "reject", "تکراری")
    old.ended_at = DateTime() - 400
    old.reindexObject(idxs=["ended_at"])
    transaction.commit()
    run_script(app)
    run_script(app)
    assert capsys.readouterr().out.splitlines() == [
        "plone anonymised 1 request(s)",
        "plone anonymised 0 request(s)",
    ]
    transaction.begin()
    old, recent = (desk_api.requests_folder()[r.getId()] for r in (old, recent))
    assert old.applicant_name == privacy.PLACEHOLDER_NAME and old.attachments == {}
    assert recent.applicant_name == REZA["applicant_name"]
    with api.env.adopt_roles(["Manager"]):
        assert [e["action"] for e in privacy.erasures()] == ["retention"]
