"""Submitting and working requests through the domain API, with who may and may not."""

from AccessControl import Unauthorized
from Acquisition import aq_base
from plone import api
from tests.helpers import APPLICANT
from tests.helpers import Upload
from tests.requests.conftest import as_user
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.validation import InputError

import pytest


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"  # a JPEG's start


def submit(desk, user=None, **changes):
    as_user(desk["portal"], user)
    data = dict(APPLICANT, kind="request", body="لطفا گواهی صادر شود")
    data.update(changes)
    documents = changes.pop("documents", {0: Upload()})
    return desk_api.submit(data, service=desk["service"], documents=documents)


def count_requests():
    return len(desk_api.requests_folder().objectIds())


class TestSubmit:
    def test_anonymous_submission(self, desk):
        request = submit(desk)
        assert request.getId() == request.tracking_code
        assert api.content.get_state(request) == "submitted"
        assert request.applicant_mobile == "09121234567"
        assert request.due_date is not None
        assert [e["event"] for e in request.timeline] == ["submitted"]
        assert len(desk_api.attachments(request, "applicant")) == 1
        # Nobody owns an anonymous request; it is reached by tracking only.
        assert not [p for p, roles in request.get_local_roles() if "Owner" in roles]

    def test_subject_line_is_not_keywords(self, desk):
        """The subject line is stored where Dublin Core keeps keywords; it must not become
        one keyword per character (catalog bloat, a row of letters on the page)."""
        request = submit(desk, subject="صدور گواهی")
        catalog = api.portal.get_tool("portal_catalog")
        assert request.subject == "صدور گواهی" and request.Subject() == ()
        assert not catalog.unrestrictedSearchResults(Subject="ص")

    def test_logged_in_applicant_owns_it(self, desk):
        request = submit(desk, "test-member")
        assert ("test-member", ("Owner",)) in request.get_local_roles()
        assert request.applicant_user == "test-member"
        assert [b.getObject() for b in desk_api.my_requests()] == [request]

    def test_persian_digits(self, desk):
        request = submit(desk, applicant_national_code="۰۰۸۴۵۷۵۹۴۸", applicant_mobile="۰۹۱۲۱۲۳۴۵۶۷")
        assert request.applicant_national_code == "0084575948"
        assert request.applicant_mobile == "09121234567"

    @pytest.mark.parametrize(
        "changes,field",
        [
            ({"applicant_national_code": "0084575949"}, "applicant_national_code"),
            ({"applicant_mobile": "12345", "applicant_email": ""}, "applicant_mobile"),
            ({"applicant_email": "no-at-sign"}, "applicant_email"),
            ({"applicant_mobile": "", "applicant_email": ""}, "applicant_mobile"),
            ({"applicant_name": ""}, "applicant_name"),
            ({"documents": {}}, "document-0"),
            ({"documents": {0: Upload(filename="virus.exe")}}, "document-0"),
            ({"documents": {0: Upload(data=b"")}}, "document-0"),
            ({"kind": "nonsense"}, "kind"),
            ({"notify_channels": ["email"], "applicant_email": ""}, "applicant_email"),
        ],
    )
    def test_bad_input_creates_nothing(self, desk, changes, field):
        before = count_requests()
        with pytest.raises(desk_api.SubmissionError) as info:
            submit(desk, **changes)
        assert field in info.value.errors
        assert count_requests() == before

    def test_upload_size_limit(self, desk):
        api.portal.set_registry_record("uni.servicedesk.max_upload_mb", 1)
        with pytest.raises(desk_api.SubmissionError) as info:
            submit(desk, documents={0: Upload(data=b"x" * (1024 * 1024 + 1))})
        assert "document-0" in info.value.errors

    def test_service_not_open_to_anonymous(self, desk):
        as_user(desk["portal"], None)
        with pytest.raises(desk_api.SubmissionError) as info:
            desk_api.submit(dict(APPLICANT, kind="request"), service=desk["members_only"])
        assert "service" in info.value.errors

    def test_service_switched_off(self, desk):
        desk["service"].available = False
        with pytest.raises(desk_api.SubmissionError) as info:
            submit(desk, "test-member")
        assert "service" in info.value.errors

    def test_complaint_without_service(self, desk):
        as_user(desk["portal"], None)
        request = desk_api.submit(
            dict(
                APPLICANT,
                kind="complaint",
                subject="رفتار نامناسب",
                body="شرح شکایت",
                target_unit="unit-a",
            )
        )
        assert request.kind == "complaint" and request.service_uid is None
        assert request.target_unit == "unit-a"

    def test_complaint_needs_a_message(self, desk):
        as_user(desk["portal"], None)
        with pytest.raises(desk_api.SubmissionError) as info:
            desk_api.submit(dict(APPLICANT, kind="complaint", subject="x", body=""))
        assert "body" in info.value.errors


@pytest.fixture
def request_obj(desk):
    request = submit(desk, "test-member")
    as_user(desk["portal"], None)
    return request


def can_view(portal, user, obj):
    as_user(portal, user)
    return bool(api.user.has_permission("View", obj=obj))


class TestVisibility:
    def test_who_sees_a_new_request(self, desk, request_obj):
        portal = desk["portal"]
        assert can_view(portal, "test-member", request_obj)
        assert can_view(portal, "test-supervisor", request_obj)
        assert not can_view(portal, None, request_obj)
        assert not can_view(portal, "applicant-b", request_obj)
        assert not can_view(portal, "expert-a", request_obj)
        assert not can_view(portal, "test-editor", request_obj)

    def test_referral_opens_it_to_that_unit_only(self, desk, request_obj):
        portal = desk["portal"]
        as_user(portal, "test-supervisor")
        desk_api.refer(request_obj, unit="unit-a")
        assert api.content.get_state(request_obj) == "assigned"
        assert can_view(portal, "expert-a", request_obj)
        assert not can_view(portal, "expert-b", request_obj)
        catalog = api.portal.get_tool("portal_catalog")
        as_user(portal, "expert-b")
        assert len(catalog(portal_type="ServiceRequest")) == 0
        as_user(portal, "expert-a")
        assert len(catalog(portal_type="ServiceRequest")) == 1

    def test_anonymous_cannot_list_or_search(self, desk, request_obj):
        as_user(desk["portal"], None)
        catalog = api.portal.get_tool("portal_catalog")
        assert len(catalog(portal_type="ServiceRequest")) == 0
        assert len(catalog(tracking_code=request_obj.tracking_code)) == 0
        assert not api.user.has_permission("View", obj=desk_api.requests_folder())


class TestWork:
    def test_full_cycle(self, desk, request_obj):
        portal = desk["portal"]
        as_user(portal, "test-supervisor")
        desk_api.refer(request_obj, unit="unit-a", expert="expert-a", note="فوری")
        as_user(portal, "expert-a")
        desk_api.note(request_obj, "سابقه را بررسی کنید")
        desk_api.request_documents(request_obj, ["گواهی سکونت"], "لطفا ارسال کنید")
        assert api.content.get_state(request_obj) == "awaiting_applicant"
        as_user(portal, "test-member")
        desk_api.applicant_reply(request_obj, "ارسال شد", [Upload(JPEG, filename="home.jpg")])
        assert api.content.get_state(request_obj) == "in_progress"
        assert request_obj.requested_documents == []
        as_user(portal, "expert-a")
        desk_api.reply(request_obj, "گواهی آماده است")
        desk_api.deliver(request_obj, [Upload(filename="certificate.pdf")], "فایل گواهی")
        desk_api.resolve(request_obj)
        assert api.content.get_state(request_obj) == "resolved"
        as_user(portal, "test-supervisor")
        desk_api.transition(request_obj, "close")
        assert api.content.get_state(request_obj) == "closed"
        events = [e["event"] for e in request_obj.timeline]
        for event in (
            "submitted",
            "referred",
            "note",
            "documents_requested",
            "applicant_reply",
            "reply",
            "delivered",
            "transition",
        ):
            assert event in events
        assert all(e["when"] for e in request_obj.timeline)
        assert {e["actor"] for e in request_obj.timeline} >= {"test-supervisor", "expert-a"}

    def test_internal_notes_never_reach_the_applicant(self, desk, request_obj):
        portal = desk["portal"]
        as_user(portal, "test-supervisor")
        desk_api.refer(request_obj, unit="unit-a", note="یادداشت داخلی ارجاع")
        desk_api.note(request_obj, "یادداشت داخلی محرمانه")
        as_user(portal, "test-member")
        texts = [e["text"] for e in desk_api.timeline(request_obj)]
        assert "یادداشت داخلی محرمانه" not in texts
        assert "یادداشت داخلی ارجاع" not in texts
        public = desk_api.public_view(request_obj)
        assert "محرمانه" not in repr(public)
        as_user(portal, "test-supervisor")
        assert "یادداشت داخلی محرمانه" in [e["text"] for e in desk_api.timeline(request_obj)]

    @pytest.mark.parametrize(
        "user", ["test-member", "expert-b", "applicant-b", "test-editor", None]
    )
    def test_who_may_not_refer(self, desk, request_obj, user):
        as_user(desk["portal"], user)
        with pytest.raises(Unauthorized):
            desk_api.refer(request_obj, unit="unit-b")

    @pytest.mark.parametrize("user", ["test-member", "expert-b", "applicant-b", None])
    def test_who_may_not_work(self, desk, request_obj, user):
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request_obj, unit="unit-a")
        as_user(desk["portal"], user)
        for action in (
            lambda: desk_api.reply(request_obj, "x"),
            lambda: desk_api.note(request_obj, "x"),
            lambda: desk_api.resolve(request_obj),
        ):
            with pytest.raises(Unauthorized):
                action()

    def test_expert_cannot_reject_supervisor_can(self, desk, request_obj):
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request_obj, unit="unit-a")
        as_user(desk["portal"], "expert-a")
        with pytest.raises(Unauthorized):
            desk_api.transition(request_obj, "reject", "خارج از صلاحیت")
        as_user(desk["portal"], "test-supervisor")
        desk_api.transition(request_obj, "reject", "خارج از صلاحیت")
        assert api.content.get_state(request_obj) == "rejected"

    def test_hand_back_and_pass_on(self, desk, request_obj):
        portal = desk["portal"]
        as_user(portal, "test-supervisor")
        desk_api.refer(request_obj, unit="unit-a", expert="expert-a")
        as_user(portal, "expert-a")
        desk_api.refer(request_obj, unit="unit-b")  # pass it on
        assert not can_view(portal, "expert-a", request_obj)
        assert can_view(portal, "expert-b", request_obj)
        as_user(portal, "expert-b")
        desk_api.hand_back(request_obj, "مربوط به ما نیست")
        assert api.content.get_state(request_obj) == "submitted"
        assert not can_view(portal, "expert-b", request_obj)

    def test_refer_bad_target(self, desk, request_obj):
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(InputError):
            desk_api.refer(request_obj, unit="students")
        with pytest.raises(InputError):
            desk_api.refer(request_obj, expert="test-member")
        assert api.content.get_state(request_obj) == "submitted"


class TestApplicantActions:
    def test_withdraw_only_by_the_applicant(self, desk, request_obj):
        as_user(desk["portal"], "applicant-b")
        with pytest.raises(Unauthorized):
            desk_api.withdraw(request_obj)
        as_user(desk["portal"], "test-member")
        desk_api.withdraw(request_obj, "دیگر لازم نیست")
        assert api.content.get_state(request_obj) == "withdrawn"

    def test_reopen_within_window_only(self, desk, request_obj):
        portal = desk["portal"]
        as_user(portal, "test-supervisor")
        desk_api.refer(request_obj, unit="unit-a")
        desk_api.resolve(request_obj)
        as_user(portal, "test-member")
        desk_api.reopen(request_obj, "مشکل حل نشد")
        assert api.content.get_state(request_obj) == "in_progress"
        as_user(portal, "test-supervisor")
        desk_api.resolve(request_obj)
        request_obj.resolved_at = request_obj.resolved_at - 30
        as_user(portal, "test-member")
        with pytest.raises((InputError, Unauthorized)):
            desk_api.reopen(request_obj)
        assert api.content.get_state(request_obj) == "resolved"


class TestTracking:
    def test_verify_with_mobile_email_or_secret(self, desk):
        request = submit(desk)
        code = request.tracking_code
        persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        for verifier in ("09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "SARA@example.com", request.tracking_secret):
            assert aq_base(desk_api.verify(persian_code, verifier)) is aq_base(request), verifier

    def test_wrong_pairs_reveal_nothing(self, desk):
        request = submit(desk)
        assert desk_api.verify(request.tracking_code, "09129999999") is None
        assert desk_api.verify("1234567890", "09121234567") is None
        assert desk_api.verify(request.tracking_code, "") is None

    def test_throttled(self, desk):
        """The guesser waits; the applicant, from another address, gets through."""
        request = submit(desk)
        for _ in range(10):
            desk_api.verify(request.tracking_code, "09120000000", client="10.0.0.1")
        with pytest.raises(desk_api.TooManyAttempts):
            desk_api.verify(request.tracking_code, "09121234567", client="10.0.0.1")
        found = desk_api.verify(request.tracking_code, "09121234567", client="10.0.0.2")
        assert aq_base(found) is aq_base(request)

    def test_public_view_marks_current_step(self, desk):
        request = submit(desk)
        view = desk_api.public_view(request)
        assert [s["status"] for s in view["steps"]] == ["current", "todo", "todo"]
        assert view["can_withdraw"] and not view["can_reopen"]

    def test_anonymous_applicant_acts_through_tracking(self, desk):
        request = submit(desk)
        as_user(desk["portal"], None)
        with pytest.raises(Unauthorized):
            desk_api.withdraw(request)
        found = desk_api.verify(request.tracking_code, "09121234567")
        with desk_api.as_applicant(found):
            desk_api.withdraw(found, "اشتباه ثبت شد")
        assert api.content.get_state(request) == "withdrawn"


def test_service_found_after_it_moved(desk):
    """The request keeps its service's path; a service found elsewhere (moved before it
    had requests, or a path kept by an older version) is found by UID instead. A service
    with requests is not moved any more (tests/integrity/test_records.py)."""
    request = submit(desk)
    service = desk["service"]
    assert desk_api.service_of(request) == service
    request.service_path = "/plone/services/edu-101-moved"
    assert desk_api.service_of(request).UID() == service.UID()
