"""@servicedesk-privacy (find, export, erase, the log), and @search by others, through the
publisher."""

from plone import api
from tests.privacy.conftest import SARA_FILE
from tests.privacy.conftest import leaks
from uni.servicedesk.api import privacy
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.privacy import keys

import io
import json
import pytest
import transaction
import zipfile

OTHERS = ["test-supervisor", "test-agent", "test-editor", "test-reviewer", "test-member", None]


class TestManagers:
    def test_find(self, people_site, rest_factory):
        answer = rest_factory("test-siteadmin").post(
            "@servicedesk-privacy/find", json={"national_code": "۰۰۸۴۵۷۵۹۴۸"}
        )
        assert answer.status_code == 200
        assert "no-store" in answer.headers["Cache-Control"]
        data = answer.json()
        assert data["items_total"] == 3
        assert [r["tracking_code"] for r in data["requests"]] == [
            people_site["main"].tracking_code,
            people_site["complaint"].tracking_code,
        ]
        assert data["requests"][0]["applicant_name"] == "سارا محمدی"
        assert data["bookings"][0]["tracking_code"] == people_site["sara_booking"].tracking_code

    def test_export(self, people_site, rest_factory):
        answer = rest_factory("admin").post(
            "@servicedesk-privacy/export", json={"mobile": "09121234567"}
        )
        assert answer.status_code == 200
        assert answer.headers["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        main = people_site["main"]
        record = json.loads(archive.read(f"requests/{main.tracking_code}/request.json"))
        assert record["applicant_email"] == "sara@example.com"
        assert SARA_FILE in [archive.read(n) for n in archive.namelist() if "/files/" in n]

    def test_erase_needs_confirm(self, people_site, rest_factory):
        rest = rest_factory("test-siteadmin")
        answer = rest.post("@servicedesk-privacy/erase", json={"email": "sara@example.com"})
        assert answer.status_code == 400
        assert answer.json()["error"]["errors"][0]["field"] == "confirm"
        transaction.begin()
        assert (
            desk_api.find_by_code(people_site["main"].tracking_code).applicant_name == "سارا محمدی"
        )
        answer = rest.post(
            "@servicedesk-privacy/erase", json={"email": "sara@example.com", "confirm": True}
        )
        assert answer.status_code == 200
        assert answer.json() == {
            "requests": 2,
            "bookings": 1,
            "files": 2,
            "messages": answer.json()["messages"],
        }
        transaction.begin()
        assert (
            desk_api.find_by_code(people_site["main"].tracking_code).applicant_name
            == privacy.PLACEHOLDER_NAME
        )
        log = rest.get("@servicedesk-privacy").json()
        assert log["retention_years"] == 0
        assert [(e["action"], e["actor"], e["requests"]) for e in log["erasures"]] == [
            ("erase", "test-siteadmin", 2)
        ]
        assert leaks(json.dumps(log, ensure_ascii=False)) == []

    @pytest.mark.parametrize(
        "path,body,field",
        [
            ("find", {}, "national_code"),
            ("find", {"mobile": "12"}, "mobile"),
            ("erase", {"email": "no", "confirm": True}, "email"),
        ],
    )
    def test_bad_input(self, people_site, rest_factory, path, body, field):
        answer = rest_factory("admin").post(f"@servicedesk-privacy/{path}", json=body)
        assert answer.status_code == 400
        assert [e["field"] for e in answer.json()["error"]["errors"]] == [field]

    def test_unknown_action_and_not_json(self, people_site, rest_factory):
        rest = rest_factory("admin")
        assert (
            rest.post("@servicedesk-privacy/delete", json={"mobile": "09121234567"}).status_code
            == 404
        )
        assert rest.post("@servicedesk-privacy", json={"mobile": "09121234567"}).status_code == 404
        answer = rest.post(
            "@servicedesk-privacy/find", data="[1, 2]", headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 400


class TestOthers:
    @pytest.mark.parametrize("user", OTHERS)
    def test_may_not_find_export_or_erase(self, people_site, rest_factory, user):
        rest = rest_factory(user)
        for path in ("find", "export", "erase"):
            answer = rest.post(
                f"@servicedesk-privacy/{path}", json={"mobile": "09121234567", "confirm": True}
            )
            assert answer.status_code in (401, 403), (path, answer.status_code)
            assert leaks(answer.text) == []
        assert rest.get("@servicedesk-privacy").status_code in (401, 403)
        transaction.begin()
        assert (
            desk_api.find_by_code(people_site["main"].tracking_code).applicant_name == "سارا محمدی"
        )

    @pytest.mark.parametrize("user", OTHERS)
    def test_search_by_the_index_finds_nothing(self, people_site, rest_factory, user):
        """Even with the right key (which only the site's secret makes)."""
        with api.env.adopt_roles(["Manager"]):
            key = keys.key("mobile", "09121234567", keys.site_secret(people_site["portal"]))
        rest = rest_factory(user)
        answer = rest.get(f"@search?privacy_keys={key}&portal_type=ServiceRequest")
        assert answer.status_code == 200
        assert answer.json()["items_total"] == 0
        answer = rest.get(f"@search?privacy_keys.query={key}&privacy_keys.not={key}")
        assert answer.json()["items_total"] == 0
        if user == "test-supervisor":  # sees every request, but not by this index
            everything = rest.get("@search?portal_type=ServiceRequest").json()
            assert everything["items_total"] == 3

    def test_managers_search_by_the_index(self, people_site, rest_factory):
        with api.env.adopt_roles(["Manager"]):
            key = keys.key("mobile", "09121234567", keys.site_secret(people_site["portal"]))
        answer = rest_factory("test-siteadmin").get(f"@search?privacy_keys={key}")
        assert answer.json()["items_total"] == 2
