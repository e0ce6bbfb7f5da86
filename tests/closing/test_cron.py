"""The cron script closes what is due with real commits, once however often it runs."""

from DateTime import DateTime
from pathlib import Path
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from tests.helpers import APPLICANT
from tests.helpers import make_service
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.testing import TEST_PASSWORD

import transaction

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "autoclose.py"


def run_script(app):
    exec(compile(SCRIPT.read_text(), str(SCRIPT), "exec"), {"app": app, "__name__": "__main__"})


def test_cron_script(functional, service_catalog, capsys):
    portal, app = functional["portal"], functional["app"]
    with api.env.adopt_roles(["Manager"]):
        portal.acl_users.userFolderAddUser("expert-a", TEST_PASSWORD, ["Service Desk Agent"], [])
        service = make_service(service_catalog, code="EDU-101", allow_anonymous=True)
    codes = []
    for days_ago in (30, 0):
        logout()
        request = desk_api.submit(dict(APPLICANT, kind="request", body="x"), service=service)
        login(portal, "test-supervisor")
        desk_api.refer(request, expert="expert-a")
        login(portal, "expert-a")
        desk_api.resolve(request)
        request.resolved_at = DateTime() - days_ago
        request.reindexObject(idxs=["resolved_at"])
        codes.append(request.tracking_code)
    logout()
    transaction.commit()
    run_script(app)
    run_script(app)
    assert capsys.readouterr().out.splitlines() == [
        "plone closed 1 resolved request(s)",
        "plone closed 0 resolved request(s)",
    ]
    transaction.begin()
    old, recent = (desk_api.requests_folder()[code] for code in codes)
    with api.env.adopt_roles(["Manager"]):
        assert api.content.get_state(old) == "closed"
        assert api.content.get_state(recent) == "resolved"
    closed = [e for e in old.timeline if e.get("to_state") == "closed"]
    assert len(closed) == 1 and closed[0]["actor"] == ""
