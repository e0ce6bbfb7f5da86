"""Escalation levels per unit in the SLA control panel: rows of a unit (or *) and the people
at each level, each cell checked (the unit exists, the users exist), a unit once, in
Persian, what was typed kept; the sweep reads them through ``escalation_table``."""

from plone import api
from tests.grids import post_grid
from tests.grids import shown_rows
from uni.servicedesk.api import sla

import pytest
import transaction

COLUMNS = ("unit", "head", "supervisors", "managers")


def panel(functional):
    return functional["portal"].absolute_url() + "/@@servicedesk-sla"


@pytest.fixture
def units(functional):
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-it", title="فناوری اطلاعات")
        api.group.create(groupname="unit-edu", title="آموزش")
        api.group.create(groupname="students", title="دانشجویان")
    transaction.commit()


def test_manager_sets_levels_per_unit(functional, browser_factory, units):
    browser = browser_factory("test-siteadmin")
    browser.open(panel(functional))
    assert shown_rows(browser, "escalation_levels", COLUMNS) == []
    post_grid(
        browser,
        {
            "escalation_levels": [
                {
                    "unit": "unit-it",
                    "head": "test-agent",
                    "supervisors": "test-supervisor، test-siteadmin",
                    "managers": "",
                },
                {
                    "unit": "*",
                    "head": "",
                    "supervisors": "test-supervisor",
                    "managers": "test-siteadmin",
                },
            ]
        },
    )
    transaction.begin()
    assert api.portal.get_registry_record(sla.ESCALATION_RECORD) == [
        {
            "unit": "unit-it",
            "head": ["test-agent"],
            "supervisors": ["test-supervisor", "test-siteadmin"],
            "managers": [],
        },
        {
            "unit": "*",
            "head": [],
            "supervisors": ["test-supervisor"],
            "managers": ["test-siteadmin"],
        },
    ]
    assert sla.escalation_table()["unit-it"][2] == ["test-supervisor", "test-siteadmin"]
    # shown again as typed (commas), and reordered by moving the rows
    browser.open(panel(functional))
    rows = shown_rows(browser, "escalation_levels", COLUMNS)
    assert rows[0]["supervisors"] == "test-supervisor, test-siteadmin"
    post_grid(browser, {"escalation_levels": [rows[1], rows[0]]})
    transaction.begin()
    assert [row["unit"] for row in api.portal.get_registry_record(sla.ESCALATION_RECORD)] == [
        "*",
        "unit-it",
    ]


@pytest.mark.parametrize(
    "row, message",
    [
        ({"unit": "unit-nowhere", "head": "test-agent"}, "unit-nowhere واحد نیست"),
        ({"unit": "students", "head": "test-agent"}, "students واحد نیست"),
        ({"unit": "unit-it", "head": "test-agent, nobody"}, "کاربری با شناسه nobody نیست"),
        ({"unit": "", "head": "test-agent"}, "این خانه باید پر شود."),
    ],
)
def test_bad_cell_refused_and_kept(functional, browser_factory, units, row, message):
    browser = browser_factory("test-siteadmin")
    browser.open(panel(functional))
    row = dict({"supervisors": "", "managers": ""}, **row)
    post_grid(browser, {"escalation_levels": [row]}, changes={"form.widgets.risk_percent": "30"})
    assert message in browser.contents
    assert shown_rows(browser, "escalation_levels", COLUMNS) == [row]
    assert browser.getControl(name="form.widgets.risk_percent").value == "30"
    transaction.begin()
    assert api.portal.get_registry_record(sla.ESCALATION_RECORD) == []
    assert api.portal.get_registry_record("uni.servicedesk.sla.risk_percent") == 25


def test_a_unit_twice_refused(functional, browser_factory, units):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    post_grid(
        browser,
        {
            "escalation_levels": [
                {"unit": "unit-it", "head": "test-agent", "supervisors": "", "managers": ""},
                {"unit": "unit-it", "head": "", "supervisors": "test-supervisor", "managers": ""},
            ]
        },
    )
    assert "The unit unit-it has more than one row." in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record(sla.ESCALATION_RECORD) == []


@pytest.mark.parametrize("user", [None, "test-member", "test-agent", "test-supervisor"])
def test_others_may_not(functional, browser_factory, user):
    browser = browser_factory(user, language="en")
    browser.open(panel(functional))
    assert "form.widgets.escalation_levels" not in browser.contents
