"""Finding, exporting and erasing one person's data through the domain API (integration)."""

from AccessControl import Unauthorized
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import TEST_USER_NAME
from tests.privacy.conftest import SARA
from tests.privacy.conftest import SARA_FILE
from tests.privacy.conftest import SARA_WROTE
from tests.privacy.conftest import annotations_text
from tests.privacy.conftest import catalog_text
from tests.privacy.conftest import leaks
from tests.privacy.conftest import outbox_text
from uni.servicedesk.api import privacy
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.api.privacy import keys

import io
import json
import pytest
import zipfile


def codes(found):
    return (
        [r.tracking_code for r in found.requests],
        [b.tracking_code for b, _c in found.bookings],
    )


class TestFind:
    @pytest.mark.parametrize(
        "given",
        [
            {"national_code": "0084575948"},
            {"national_code": "۰۰۸۴۵۷۵۹۴۸"},
            {"mobile": "+98 912 123 4567"},
            {"mobile": "۰۹۱۲۱۲۳۴۵۶۷"},
            {"email": "SARA@example.COM"},
            {"email": "nobody@example.com", "mobile": "09121234567"},
        ],
    )
    def test_by_any_identifier_in_any_form(self, people, given):
        found = privacy.find(privacy.person(given))
        requests, bookings = codes(found)
        assert requests == [people["main"].tracking_code, people["complaint"].tracking_code]
        assert bookings == [people["sara_booking"].tracking_code]
        assert found.total == 3

    def test_someone_else_is_not_found(self, people):
        found = privacy.find(privacy.person({"email": "reza@example.com"}))
        assert codes(found) == (
            [people["other"].tracking_code],
            [people["reza_booking"].tracking_code],
        )

    def test_nobody(self, people):
        assert privacy.find(privacy.person({"mobile": "09190000000"})).total == 0

    @pytest.mark.parametrize(
        "given,field",
        [
            ({}, "national_code"),
            ({"national_code": "1234"}, "national_code"),
            ({"national_code": "0084575949"}, "national_code"),
            ({"mobile": "0912"}, "mobile"),
            ({"email": "not an address"}, "email"),
        ],
    )
    def test_bad_identifiers(self, people, given, field):
        with pytest.raises(privacy.PersonError) as error:
            privacy.person(given)
        assert field in error.value.errors

    @pytest.mark.parametrize(
        "user",
        ["test-supervisor", "test-agent", "test-editor", "test-member", "test-reviewer", None],
    )
    def test_others_may_not(self, people, user):
        person = privacy.person({"mobile": "09121234567"})
        if user:
            login(people["portal"], user)
        else:
            logout()
        for call in (
            lambda: privacy.find(person),
            lambda: privacy.export(person, io.BytesIO()),
            lambda: privacy.erase(person),
            privacy.erasures,
        ):
            with pytest.raises(Unauthorized):
                call()
        assert people["main"].applicant_name == SARA["applicant_name"]

    def test_site_administrators_and_managers_may(self, people):
        person = privacy.person({"mobile": "09121234567"})
        login(people["portal"], "test-siteadmin")
        assert privacy.find(person).total == 3
        login(people["portal"], TEST_USER_NAME)  # a Manager (the manager fixture)
        assert privacy.find(person).total == 3


class TestKeys:
    def test_the_catalog_holds_keyed_hashes_not_values(self, people):
        catalog = api.portal.get_tool("portal_catalog")
        values = list(catalog._catalog.getIndex("privacy_keys").uniqueValues())
        assert len(values) == 6  # three of Sara (both requests), three of Reza
        assert all(len(v) == 32 and int(v, 16) >= 0 for v in values)
        assert not leaks("\n".join(values), ("0084575948", "09121234567", "sara@example.com"))
        # keyed: the same value with another site's secret gives another key
        assert keys.key("mobile", "09121234567", b"another site") not in values
        assert keys.key("mobile", "09121234567", keys.site_secret()) in values

    def test_bookings_index(self, people):
        secret = keys.site_secret()
        found = keys.booked_under([keys.key("email", "sara@example.com", secret)])
        assert found == {people["sara_booking"].tracking_code: people["calendar"].UID()}

    @pytest.mark.parametrize(
        "user", ["test-supervisor", "test-agent", "test-editor", "test-member", None]
    )
    def test_the_index_answers_nobody_else(self, people, user):
        catalog = api.portal.get_tool("portal_catalog")
        key = keys.key("mobile", "09121234567", keys.site_secret())
        rid = catalog.getrid("/".join(people["main"].getPhysicalPath()))
        assert len(catalog.unrestrictedSearchResults(privacy_keys=key)) == 2  # a Manager
        if user:
            login(people["portal"], user)
        else:
            logout()
        assert len(catalog.searchResults(privacy_keys=key)) == 0
        assert len(catalog.unrestrictedSearchResults(privacy_keys=key)) == 0
        assert len(catalog.unrestrictedSearchResults(privacy_keys={"not": key})) == 0
        assert list(catalog.uniqueValuesFor("privacy_keys")) == []
        assert catalog.getIndexDataForRID(rid)["privacy_keys"] == ""
        if user == "test-supervisor":  # who sees every request, still not by this index
            assert len(catalog.searchResults(portal_type="ServiceRequest")) == 3


class TestExport:
    def test_round_trip(self, people):
        person = privacy.person({"national_code": "0084575948"})
        data = io.BytesIO()
        found = privacy.export(person, data)
        archive = zipfile.ZipFile(io.BytesIO(data.getvalue()))
        main, complaint = people["main"], people["complaint"]
        names = set(archive.namelist())
        folder = f"requests/{main.tracking_code}"
        summary = json.loads(archive.read("person.json"))
        assert summary["searched_by"] == {"national_code": "0084575948"}
        assert summary["requests"] == [main.tracking_code, complaint.tracking_code]
        assert summary["bookings"] == [people["sara_booking"].tracking_code]
        assert summary["exported_by"] == "test-siteadmin"
        record = json.loads(archive.read(f"{folder}/request.json"))
        for field in (
            "tracking_code",
            "kind",
            "subject",
            "applicant_name",
            "applicant_national_code",
            "applicant_number",
            "applicant_mobile",
            "applicant_email",
        ):
            assert record[field] == getattr(main, field), field
        assert record["body"] == SARA_WROTE
        assert record["state"] == desk_api.state(main) == "in_progress"
        assert record["service_code"] == "EDU-101"
        assert record["created"] == main.created().ISO8601()
        # the files, byte for byte, where request.json says they are
        assert len(record["files"]) == 2
        for info in record["files"]:
            assert (
                archive.read(f"{folder}/{info['path']}")
                == main.attachments[info["id"]]["file"].data
            )
        assert SARA_FILE in [archive.read(f"{folder}/{i['path']}") for i in record["files"]]
        # the whole timeline, internal steps marked
        timeline = json.loads(archive.read(f"{folder}/timeline.json"))
        assert [e["event"] for e in timeline] == [e["event"] for e in main.timeline]
        assert [e["text"] for e in timeline] == [e["text"] for e in main.timeline]
        assert [e["when"] for e in timeline] == [e["when"].ISO8601() for e in main.timeline]
        # the messages she was sent, not the staff's
        messages = json.loads(archive.read(f"{folder}/messages.json"))
        sent = [
            m
            for m in outbox_api.messages_of_request(outbox_api.get_outbox(), main.tracking_code)
            if not m.recipient_user
        ]
        assert [(m["recipient"], m["body"]) for m in messages] == [
            (m.recipient, m.body) for m in sent
        ]
        assert {m["recipient"] for m in messages} == {"sara@example.com", "09121234567"}
        booking = json.loads(
            archive.read(f"bookings/{people['sara_booking'].tracking_code}/booking.json")
        )
        assert booking["applicant_mobile"] == "09121234567"
        assert booking["start"] == "2026-12-05T08:00:00"
        assert booking["calendar"] == people["calendar"].Title()
        assert f"bookings/{people['sara_booking'].tracking_code}/messages.json" in names
        # nothing of Reza
        assert not any(people["other"].tracking_code in name for name in names)
        assert "رضا" not in "".join(archive.read(n).decode("utf-8", "replace") for n in names)
        assert found.total == 3

    def test_stream(self, people):
        found, iterator, size = privacy.export_stream(privacy.person({"mobile": "09121234567"}))
        data = b"".join(iterator)
        assert len(data) == size and found.total == 3
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


class TestErase:
    def test_nothing_of_her_is_left(self, people):
        portal = people["portal"]
        main, complaint, other = people["main"], people["complaint"], people["other"]
        states = {r.tracking_code: desk_api.state(r) for r in (main, complaint)}
        steps = len(main.timeline)
        assert leaks(catalog_text(portal)) and leaks(outbox_text(portal))  # there before
        counts = privacy.erase(privacy.person({"mobile": "۰۹۱۲۱۲۳۴۵۶۷"}))
        assert counts == {"requests": 2, "bookings": 1, "messages": counts["messages"], "files": 2}
        assert counts["messages"] >= 8
        for request in (main, complaint):
            assert request.applicant_name == privacy.PLACEHOLDER_NAME
            assert request.applicant_national_code == request.applicant_mobile == ""
            assert request.applicant_email == request.applicant_number == ""
            assert request.subject == request.title == request.body == privacy.ERASED_TEXT
            assert request.attachments == {}
            assert desk_api.state(request) == states[request.tracking_code]  # kept
            assert request.notify_channels == []
        assert len(main.timeline) == steps + 1  # the erasure, on the timeline
        assert main.timeline[-1]["event"] == "anonymised" and not main.timeline[-1]["public"]
        # staff keep their words, not her name or codes; her own words are gone
        [reply] = [e for e in main.timeline if e["event"] == "reply"]
        assert reply["text"] == "[حذف شد] گرامی، مدرک شما با کد ملی [حذف شد] رسید."
        [answer] = [e for e in main.timeline if e["event"] == "applicant_reply"]
        assert answer["text"] == privacy.ERASED_TEXT
        assert answer["actor_name"] == privacy.PLACEHOLDER_NAME
        assert SARA_WROTE not in repr(main.timeline) and "ممنون" not in repr(main.timeline)
        booking = people["sara_booking"]
        assert booking.applicant_name == privacy.PLACEHOLDER_NAME
        assert booking.applicant_mobile == booking.applicant_email == ""
        assert booking.state == "booked"
        # nowhere: catalog indexes and metadata, timelines, outbox, our stores
        assert leaks(catalog_text(portal)) == []
        assert leaks(outbox_text(portal)) == []
        assert leaks(repr(list(main.timeline)) + repr(list(complaint.timeline))) == []
        assert leaks(repr(vars(booking))) == []
        assert leaks(annotations_text(portal)) == []
        assert privacy.find(privacy.person({"national_code": "0084575948"})).total == 0
        # Reza is untouched
        assert other.applicant_name == "رضا کریمی" and len(other.attachments) == 1
        assert people["reza_booking"].applicant_mobile == "09351112233"
        assert privacy.find(privacy.person({"email": "reza@example.com"})).total == 2

    def test_audit_says_who_when_how_many_not_whose(self, people):
        privacy.erase(privacy.person({"email": "sara@example.com"}))
        [entry] = privacy.erasures()
        assert entry["actor"] == "test-siteadmin" and entry["action"] == "erase"
        assert (entry["requests"], entry["bookings"], entry["files"]) == (2, 1, 2)
        assert entry["when"] > 0
        assert leaks(repr(entry)) == []
        assert people["main"].tracking_code not in repr(entry)

    def test_messages_not_sent_yet_are_never_sent(self, people):
        box = outbox_api.get_outbox()
        code = people["main"].tracking_code
        waiting = [
            m for m in outbox_api.messages_of_request(box, code) if m.state == outbox_api.PENDING
        ]
        assert waiting
        pending = box.pending_count()
        privacy.erase(privacy.person({"mobile": "09121234567"}))
        assert all(m.state == outbox_api.ERASED for m in waiting)
        assert not [m for m in outbox_api.due(box, now=10**10) if m.request_code == code]
        assert box.pending_count() == pending - len([
            m
            for c in (code, people["complaint"].tracking_code, people["sara_booking"].tracking_code)
            for m in outbox_api.messages_of_request(box, c)
            if m.erased and m.state == outbox_api.ERASED and not m.recipient_user
        ])
        assert all(not outbox_api.retry(box, m.id) for m in waiting)

    def test_the_staff_digest_loses_her_line(self, people):
        box = outbox_api.get_outbox()
        [digest] = [m for m in box.messages.values() if m.event == "digest"]
        assert "سارا محمدی" in digest.body
        privacy.erase(privacy.person({"mobile": "09121234567"}))
        assert leaks(digest.body) == []
        assert privacy.ERASED_TEXT in digest.body

    def test_a_logged_in_applicant_loses_the_link(self, people):
        login(people["portal"], "test-member")
        request = desk_api.submit(
            dict(SARA, kind="complaint", subject="از حساب", body="از حساب خودم")
        )
        assert [b.getObject() for b in desk_api.my_requests()] == [request]
        login(people["portal"], "test-siteadmin")
        privacy.erase(privacy.person({"mobile": "09121234567"}))
        assert request.applicant_user is None and request.creators == ()
        assert not [p for p, roles in request.get_local_roles() if "Owner" in roles]
        login(people["portal"], "test-member")
        assert list(desk_api.my_requests()) == []
        assert not api.user.has_permission("View", obj=request)
        assert request.timeline[0]["actor"] == ""

    def test_erasing_twice_changes_nothing_more(self, people):
        person = privacy.person({"mobile": "09121234567"})
        privacy.erase(person)
        assert privacy.erase(person) == {"requests": 0, "bookings": 0, "messages": 0, "files": 0}
        assert len(privacy.erasures()) == 1
