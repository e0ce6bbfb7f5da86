"""Services through plone.restapi: GET, POST and PATCH under the same rules as the forms."""

from plone import api
from tests.helpers import make_service

import pytest
import transaction

PAYLOAD = {
    "@type": "Service",
    "service_code": "wel-۴۰۱",
    "title": "درخواست خوابگاه",
    "description": "اسکان در خوابگاه",
    "title_en": "Dormitory application",
    "description_en": "A place in the dormitories.",
    "process_title": "اسکان دانشجویی",
    "service_type": "g2c",
    "service_category": "welfare",
    "service_audiences": ["students", "applicants"],
    "start_trigger": "applicant_request",
    "procedure": {"data": "<p>ثبت درخواست</p>", "content-type": "text/html"},
    "steps": ["ثبت درخواست | دانشجو", "تخصیص | اداره خوابگاه"],
    "required_documents": ["کارت ملی", "گواهی سکونت"],
    "rules": {"data": "<p>آیین‌نامه خوابگاه</p>", "content-type": "text/html"},
    "duration_average": 10,
    "duration_max": "۱۵",
    "fee": 4500000,
    "fee_payment": "درگاه اینترنتی",
    "frequency": "yearly",
    "in_person_visits": 1,
    "channels": ["online"],
    "delivery": "in_person",
    "responsible_unit": "unit-welfare",
    "responsible_person": "مدیر رفاه",
    "complaint_procedure": "ثبت شکایت",
    "contact": "تلفن ۶۱۱۱",
    "location": "ساختمان رفاه",
    "hours": "۸ تا ۱۴",
    "available": True,
    "available_from": "2026-08-01",
    "available_until": "2026-09-15",
    "request_audiences": ["students"],
    "allow_anonymous": True,
}

EXPECTED = dict(PAYLOAD, service_code="WEL-401", duration_max=15)
del EXPECTED["@type"]
TOKEN_FIELDS = (
    "service_type",
    "service_category",
    "start_trigger",
    "frequency",
    "delivery",
    "responsible_unit",
)
TOKEN_LISTS = ("service_audiences", "channels", "request_audiences")


def _plain(name, value):
    """The REST representation reduced to what was sent."""
    if name in TOKEN_FIELDS and isinstance(value, dict):
        return value["token"]
    if name in TOKEN_LISTS:
        return [item["token"] for item in value]
    if name in ("procedure", "rules"):
        return {"data": value["data"], "content-type": value["content-type"]}
    return value


@pytest.fixture
def unit(functional, service_catalog):
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-welfare", title="اداره رفاه")
    transaction.commit()
    return service_catalog


def test_post_get_patch_as_editor(unit, rest_factory):
    with api.env.adopt_roles(["Manager"]):
        related = make_service(unit, code="WEL-402")
    transaction.commit()
    editor = rest_factory("test-editor")
    response = editor.post("/services", json=dict(PAYLOAD, relatedItems=[related.UID()]))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["@id"].endswith("/services/wel-401")
    assert created["review_state"] == "private"

    data = editor.get("/services/wel-401").json()
    for name, expected in EXPECTED.items():
        assert _plain(name, data[name]) == expected, name
    assert [item["UID"] for item in data["relatedItems"]] == [related.UID()]

    patch = {
        "fee": "۵٬۰۰۰٬۰۰۰",
        "steps": ["یک | دو"],
        "service_audiences": ["students"],
        "title_en": "Dormitory",
        "available_until": "2026-10-01",
    }
    response = editor.patch("/services/wel-401", json=patch)
    assert response.status_code == 204, response.text
    data = editor.get("/services/wel-401").json()
    assert data["fee"] == 5000000
    assert data["steps"] == ["یک | دو"]
    assert [a["token"] for a in data["service_audiences"]] == ["students"]
    assert data["title_en"] == "Dormitory"
    assert data["available_until"] == "2026-10-01"


def test_duplicate_code_refused(unit, rest_factory):
    with api.env.adopt_roles(["Manager"]):
        make_service(unit, code="WEL-401")
    transaction.commit()
    editor = rest_factory("test-editor")
    response = editor.post("/services", json=PAYLOAD)
    assert response.status_code == 400
    assert "service_code" in response.text
    transaction.begin()
    assert unit.objectIds() == ["wel-401"]


def test_patch_to_another_services_code_refused(unit, rest_factory):
    with api.env.adopt_roles(["Manager"]):
        make_service(unit, code="EDU-101", publish=False)
        make_service(unit, code="EDU-102", publish=False)
    transaction.commit()
    editor = rest_factory("test-editor")
    response = editor.patch("/services/edu-102", json={"service_code": "EDU-101"})
    assert response.status_code == 400
    # Re-saving its own code is fine.
    assert editor.patch("/services/edu-102", json={"service_code": "EDU-102"}).status_code == 204


@pytest.mark.parametrize(
    "changes",
    [
        {"service_code": "کد فارسی"},
        {"fee": "رایگان"},
        {"fee": -5},
        {"service_category": "no-such-category"},
        {"service_audiences": ["martians"]},
        {"available_from": "2026-09-01", "available_until": "2026-08-01"},
    ],
)
def test_bad_input_is_a_clear_400(unit, rest_factory, changes):
    editor = rest_factory("test-editor")
    response = editor.post("/services", json=dict(PAYLOAD, **changes))
    assert response.status_code == 400, response.text
    transaction.begin()
    assert unit.objectIds() == []


@pytest.mark.parametrize("user", [None, "test-member", "test-agent"])
def test_who_may_not_create(unit, rest_factory, user):
    response = rest_factory(user).post("/services", json=PAYLOAD)
    assert response.status_code in (401, 403)
    transaction.begin()
    assert unit.objectIds() == []


def test_anonymous_reads_published_not_private(unit, rest_factory):
    with api.env.adopt_roles(["Manager"]):
        make_service(unit, code="EDU-101")
        make_service(unit, code="EDU-102", publish=False)
    transaction.commit()
    anonymous = rest_factory()
    assert anonymous.get("/services/edu-101").status_code == 200
    assert anonymous.get("/services/edu-102").status_code == 401
    found = anonymous.get("/@search", params={"portal_type": "Service"}).json()
    assert [item["@id"].rsplit("/", 1)[1] for item in found["items"]] == ["edu-101"]


def test_editor_cannot_publish_reviewer_can(unit, rest_factory):
    with api.env.adopt_roles(["Manager"]):
        make_service(unit, code="EDU-101", publish=False)
    transaction.commit()
    editor = rest_factory("test-editor")
    assert editor.post("/services/edu-101/@workflow/publish").status_code in (400, 401, 403)
    assert editor.post("/services/edu-101/@workflow/submit").status_code == 200
    reviewer = rest_factory("test-reviewer")
    response = reviewer.post("/services/edu-101/@workflow/publish")
    assert response.status_code == 200, response.text
    assert response.json()["review_state"] == "published"
