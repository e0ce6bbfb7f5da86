"""Requests through plone.restapi: POST /requests, GET under the same rules, POST /@track."""

from plone import api
from tests.helpers import APPLICANT
from tests.helpers import make_service
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import tracking

import base64
import pytest
import transaction

PDF = {"filename": "card.pdf", "data": base64.b64encode(b"%PDF-1.4 card").decode()}


@pytest.fixture
def service(functional, service_catalog):
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-a", title="واحد الف")
        service = make_service(
            service_catalog,
            code="EDU-101",
            allow_anonymous=True,
            required_documents=["تصویر کارت ملی"],
        )
    transaction.commit()
    return service


def payload(**changes):
    data = dict(APPLICANT, kind="request", service="edu-101", documents=[PDF])
    data.update(changes)
    return data


def test_anonymous_post_and_track(service, rest_factory):
    anonymous = rest_factory()
    response = anonymous.post("/requests", json=payload(applicant_mobile="۰۹۱۲۱۲۳۴۵۶۷"))
    assert response.status_code == 201, response.text
    body = response.json()
    code = body["tracking_code"]
    assert tracking.normalize_code(code) == code
    assert body["review_state"] == "submitted"
    # The request itself stays closed to anonymous readers...
    assert anonymous.get(f"/requests/{code}").status_code == 401
    assert anonymous.get("/requests").status_code == 401
    # ...and is followed by code and verifier.
    tracked = anonymous.post("/@track", json={"code": code, "verifier": "09121234567"})
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["state"] == "submitted"
    assert tracked.json()["documents"][0]["filename"] == "card.pdf"
    assert (
        anonymous.post("/@track", json={"code": code, "verifier": "09120000000"}).status_code == 404
    )
    transaction.begin()
    assert desk_api.requests_folder()[code].channel == "rest"


def test_bad_input_is_400_and_creates_nothing(service, rest_factory):
    anonymous = rest_factory()
    for data in (
        payload(applicant_national_code="1111111111"),
        payload(documents=[]),
        payload(documents=[{"filename": "x.pdf", "data": "not base64!"}]),
        payload(service="NO-SUCH"),
        payload(kind="spam"),
    ):
        response = anonymous.post("/requests", json=data)
        assert response.status_code == 400, data
        assert response.json()["error"]["errors"]
    assert (
        anonymous.post(
            "/requests", data="not json", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    transaction.begin()
    assert list(desk_api.requests_folder().objectIds()) == []


def test_owner_reads_own_request_without_internal_notes(service, rest_factory):
    member = rest_factory("test-member")
    code = member.post("/requests", json=payload()).json()["tracking_code"]
    supervisor = rest_factory("test-supervisor")
    transaction.begin()
    from plone.app.testing import login

    login(service.__parent__.__parent__, "test-supervisor")
    request = desk_api.requests_folder()[code]
    desk_api.refer(request, unit="unit-a", note="محرمانه")
    desk_api.note(request, "یادداشت داخلی")
    transaction.commit()
    data = member.get(f"/requests/{code}").json()
    assert data["tracking_code"] == code
    assert "tracking_secret" not in data or data["tracking_secret"] is None
    texts = [entry["text"] for entry in data["timeline"]]
    assert "یادداشت داخلی" not in texts and "محرمانه" not in texts
    staff = supervisor.get(f"/requests/{code}").json()
    assert "یادداشت داخلی" in [entry["text"] for entry in staff["timeline"]]
    assert rest_factory("test-editor").get(f"/requests/{code}").status_code in (401, 403)
    tracked = rest_factory().post(
        "/@track", json={"code": code, "verifier": APPLICANT["applicant_mobile"]}
    )
    assert "یادداشت داخلی" not in tracked.text and "محرمانه" not in tracked.text


def test_workflow_endpoint_keeps_the_rules(service, rest_factory):
    member = rest_factory("test-member")
    code = member.post("/requests", json=payload()).json()["tracking_code"]
    # The applicant may not refer or reject their own request.
    assert member.post(f"/requests/{code}/@workflow/assign").status_code in (400, 401, 403)
    assert member.post(f"/requests/{code}/@workflow/reject").status_code in (400, 401, 403)
    response = member.post(
        f"/requests/{code}/@workflow/withdraw", json={"comment": "دیگر لازم نیست"}
    )
    assert response.status_code == 200, response.text
    transaction.begin()
    request = desk_api.requests_folder()[code]
    assert api.content.get_state(request) == "withdrawn"
    assert request.timeline[-1]["event"] == "transition"


def test_concurrent_submissions_all_land(service, functional):
    """Four clients at once through the publisher (whose test server retries no conflict):
    every submission is acknowledged, every acknowledged one is found, none twice.

    Some requests first, so that the catalog's B-trees have several buckets, and the cache
    of an instance; a write conflict, when it happens, is retried by the API."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    functional["zodbDB"].setCacheSize(30000)  # as an instance: stale objects stay cached
    with api.env.adopt_roles(["Manager"]):
        for index in range(200):
            desk_api.create(
                "question",
                None,
                "",
                f"پیش از {index}",
                "متن",
                "normal",
                dict(APPLICANT, notify_channels=[]),
                [],
                "web",
                None,
            )
    transaction.commit()
    url = f"{functional['portal'].absolute_url()}/requests"

    def client(index):
        codes = []
        for n in range(10):
            response = requests.post(
                url,
                json=payload(subject=f"هم‌زمان {index}-{n}"),
                headers={"Accept": "application/json"},
                timeout=60,
            )
            assert response.status_code == 201, response.text[:300]
            codes.append(response.json()["tracking_code"])
        return codes

    with ThreadPoolExecutor(4) as pool:
        codes = [code for batch in pool.map(client, range(4)) for code in batch]
    transaction.begin()
    folder = desk_api.requests_folder()
    assert len(set(codes)) == 40
    assert all(code in folder for code in codes)
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog.unrestrictedSearchResults(portal_type="ServiceRequest")) == 200 + 40


# What GET of a request gave before the applicant's details became a behavior (1009).
REQUEST_KEYS = {
    "@components",
    "@id",
    "@type",
    "UID",
    "allow_discussion",
    "applicant_email",
    "applicant_mobile",
    "applicant_name",
    "applicant_national_code",
    "applicant_number",
    "applicant_user",
    "attachments",
    "body",
    "channel",
    "created",
    "due_date",
    "form_answers",
    "id",
    "is_folderish",
    "kind",
    "layout",
    "lock",
    "modified",
    "next_item",
    "notify_channels",
    "parent",
    "previous_item",
    "priority",
    "referred_expert",
    "referred_unit",
    "review_state",
    "service_uid",
    "subject",
    "target_unit",
    "timeline",
    "tracking_code",
    "tracking_secret",
    "type_title",
    "version",
}


def test_get_gives_the_applicant_details_under_the_same_names(service, rest_factory):
    member = rest_factory("test-member")
    response = member.post(
        "/requests", json=payload(applicant_number="۴۰۱۱۲۳", applicant_email="Sara@Example.com")
    )
    code = response.json()["tracking_code"]
    data = rest_factory("admin").get(f"/requests/{code}").json()
    assert set(data) == REQUEST_KEYS
    own = member.get(f"/requests/{code}").json()
    assert {k: own[k] for k in own if k.startswith("applicant_")} == {
        "applicant_name": "سارا محمدی",
        "applicant_national_code": "0084575948",
        "applicant_number": "401123",
        "applicant_email": "sara@example.com",
        "applicant_mobile": "09121234567",
        "applicant_user": "test-member",
    }
    assert [c["token"] for c in own["notify_channels"]] == ["sms"]
