"""Settings kept as rows through plone.restapi's @controlpanels: read as JSON rows, written
under the same rules as the control panel forms, refused with a 400 that names the field;
only for those who may manage the settings."""

from plone import api

import pytest
import transaction

CATEGORIES = "uni.servicedesk.service_categories"
ESCALATION = "uni.servicedesk.sla.escalation_levels"
ENGLISH = {"Cookie": "I18N_LANGUAGE=en"}  # the language switch's cookie (Persian without it)


@pytest.fixture
def unit(functional):
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-it", title="فناوری اطلاعات")
    transaction.commit()
    return "unit-it"


def test_our_panels_are_listed(rest_factory):
    names = [
        panel["@id"].rsplit("/", 1)[1]
        for panel in rest_factory("admin").get("@controlpanels").json()
    ]
    assert "servicedesk-settings" in names and "servicedesk-sla" in names


def test_read_rows(rest_factory):
    answer = rest_factory("test-siteadmin").get("@controlpanels/servicedesk-settings")
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert data["service_categories"][0] == {
        "token": "education",
        "title_fa": "آموزشی",
        "title_en": "Education",
    }
    assert data["reopen_days"] == 14
    assert answer.json()["schema"]["properties"]["service_categories"]["factory"] == "JSONField"


def test_write_rows(rest_factory):
    rest = rest_factory("test-siteadmin")
    rows = [
        {"token": "library", "title_fa": "کتابخانه", "title_en": "Library"},
        {"token": "it", "title_fa": "فناوری اطلاعات"},
    ]
    answer = rest.patch("@controlpanels/servicedesk-settings", json={"service_categories": rows})
    assert answer.status_code == 204, answer.text
    transaction.begin()
    assert api.portal.get_registry_record(CATEGORIES) == rows
    assert (
        rest.get("@controlpanels/servicedesk-settings").json()["data"]["service_categories"] == rows
    )


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            [{"token": "it", "title_fa": "الف"}, {"token": "it", "title_fa": "ب"}],
            "The token it is used by more than one row.",
        ),
        ([{"token": "Library", "title_fa": "کتابخانه"}], "Library is not a token"),
        ([{"token": "library", "title_fa": ""}], "The row of library needs a Persian title."),
        ([{"token": "library", "title_fa": "کتابخانه", "colour": "red"}], "Row 1:"),
        (["it|فناوری|IT"], "Row 1:"),
        ({"token": "it"}, "A list of rows is expected"),
    ],
)
def test_bad_rows_refused(rest_factory, rows, message):
    before = api.portal.get_registry_record(CATEGORIES)
    answer = rest_factory("test-siteadmin").patch(
        "@controlpanels/servicedesk-settings", json={"service_categories": rows}, headers=ENGLISH
    )
    assert answer.status_code == 400
    assert message in answer.json()["message"]
    assert "service_categories" in answer.json()["message"]
    transaction.begin()
    assert api.portal.get_registry_record(CATEGORIES) == before


def test_escalation_rows(rest_factory, unit):
    rest = rest_factory("test-siteadmin")
    rows = [
        {
            "unit": unit,
            "head": ["test-agent"],
            "supervisors": ["test-supervisor"],
            "managers": ["test-siteadmin"],
        },
        {"unit": "*", "supervisors": ["test-supervisor"]},
    ]
    answer = rest.patch("@controlpanels/servicedesk-sla", json={"escalation_levels": rows})
    assert answer.status_code == 204, answer.text
    transaction.begin()
    from uni.servicedesk.api import sla

    assert sla.escalation_table() == {
        unit: {1: ["test-agent"], 2: ["test-supervisor"], 3: ["test-siteadmin"]},
        "*": {1: [], 2: ["test-supervisor"], 3: []},
    }
    assert rest.get("@controlpanels/servicedesk-sla").json()["data"]["escalation_levels"] == rows


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"unit": "unit-nowhere", "head": ["test-agent"]}], "unit-nowhere is not a unit"),
        ([{"unit": "unit-it", "head": ["nobody"]}], "There is no user nobody."),
        ([{"unit": "unit-it"}, {"unit": "unit-it"}], "The unit unit-it has more than one row."),
        ([{"unit": "unit-it", "head": "test-agent"}], "Row 1:"),
    ],
)
def test_bad_escalation_refused(rest_factory, unit, rows, message):
    answer = rest_factory("test-siteadmin").patch(
        "@controlpanels/servicedesk-sla", json={"escalation_levels": rows}, headers=ENGLISH
    )
    assert answer.status_code == 400
    assert message in answer.json()["message"]
    transaction.begin()
    assert api.portal.get_registry_record(ESCALATION) == []


@pytest.mark.parametrize("user", [None, "test-member", "test-editor", "test-supervisor"])
@pytest.mark.parametrize("panel", ["servicedesk-settings", "servicedesk-sla"])
def test_others_may_not(rest_factory, user, panel):
    rest = rest_factory(user)
    assert rest.get(f"@controlpanels/{panel}").status_code in (401, 403)
    answer = rest.patch(
        f"@controlpanels/{panel}", json={"service_categories": [], "escalation_levels": []}
    )
    assert answer.status_code in (401, 403)
    transaction.begin()
    assert api.portal.get_registry_record(CATEGORIES)


def test_messages_in_persian(rest_factory):
    answer = rest_factory("test-siteadmin").patch(
        "@controlpanels/servicedesk-settings",
        json={
            "service_categories": [
                {"token": "it", "title_fa": "الف"},
                {"token": "it", "title_fa": "ب"},
            ]
        },
    )
    assert answer.status_code == 400
    assert "شناسه it در بیش از یک سطر آمده است." in answer.json()["message"]


def test_overview_is_not_enough(functional, rest_factory):
    """@controlpanels lets in whoever may see Site Setup; ours ask for *Manage settings*."""
    functional["portal"].manage_permission(
        "uni.servicedesk: Manage settings", ["Manager"], acquire=False
    )
    transaction.commit()
    rest = rest_factory("test-siteadmin")
    assert rest.get("@controlpanels/servicedesk-settings").status_code == 401
    answer = rest.patch("@controlpanels/servicedesk-settings", json={"service_categories": []})
    assert answer.status_code == 401
    transaction.begin()
    assert api.portal.get_registry_record(CATEGORIES)
    assert rest_factory("admin").get("@controlpanels/servicedesk-settings").status_code == 200
