"""Upgrade to 1008: a site with the former pipe-separated settings gets rows; lines that
cannot be read are logged and kept where the control panels show them, never dropped."""

from plone import api
from plone.registry import field
from plone.registry import Record
from uni.servicedesk.interfaces import UNMIGRATED_RECORD
from uni.servicedesk.upgrades import v1008

import logging
import pytest
import transaction

PROFILE = "uni.servicedesk:default"
OLD_CATEGORIES = [
    "education|آموزشی|Education",
    "it | فناوری اطلاعات ",  # no English title: the Persian one serves
    "بدون شناسه",  # no token: kept
    "Library|کتابخانه|Library",  # not a token: kept
    "",  # nothing
    "education|آموزش دوباره|Again",  # a token twice (the old vocabulary broke): kept
    "finance|مالی|Finance|extra",  # a cell too many: migrated and kept
]
OLD_AUDIENCES = ["students|دانشجویان|Students", "public|عموم مردم|The public"]
OLD_ESCALATION = [
    "unit-it | test-agent | test-supervisor, test-siteadmin | admin",
    "unit-edu | nobody",  # an unknown user: migrated as it was, logged
    "finance | test-agent",  # not a unit: kept
    "* | | test-supervisor",
    "unit-it | test-editor",  # the unit again: the old table took this one
    "unit-x",  # no cells: kept
]
NEW = {
    "categories": "uni.servicedesk.service_categories",
    "audiences": "uni.servicedesk.service_audiences",
    "escalation": "uni.servicedesk.sla.escalation_levels",
}


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings():
    handler = Warnings()
    logger = logging.getLogger("uni.servicedesk.upgrades")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


def old_site(portal):
    """The site as profile version 1004 left it: lines, no rows, no grid add-on."""
    registry = portal.portal_registry
    for name in NEW.values():
        del registry.records[name]

    def lines(value):
        return Record(field.List(value_type=field.TextLine()), value)

    registry.records["uni.servicedesk.categories"] = lines(OLD_CATEGORIES)
    registry.records["uni.servicedesk.audiences"] = lines(OLD_AUDIENCES)
    registry.records["uni.servicedesk.sla.escalation"] = lines(OLD_ESCALATION)
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile(PROFILE, "1004")
    setup.unsetLastVersionForProfile("collective.z3cform.datagridfield:default")
    api.group.create(groupname="unit-it", title="فناوری اطلاعات")
    api.group.create(groupname="unit-edu", title="آموزش")
    return setup


def test_lines_become_rows(manager, installer, warnings):
    setup = old_site(manager)
    assert not installer.is_product_installed("collective.z3cform.datagridfield")
    setup.upgradeProfile(PROFILE, dest="1008")
    assert setup.getLastVersionForProfile(PROFILE) == ("1008",)
    assert installer.is_product_installed("collective.z3cform.datagridfield")
    assert api.portal.get_registry_record(NEW["categories"]) == [
        {"token": "education", "title_fa": "آموزشی", "title_en": "Education"},
        {"token": "it", "title_fa": "فناوری اطلاعات", "title_en": ""},
        {"token": "finance", "title_fa": "مالی", "title_en": "Finance"},
    ]
    assert api.portal.get_registry_record(NEW["audiences"]) == [
        {"token": "students", "title_fa": "دانشجویان", "title_en": "Students"},
        {"token": "public", "title_fa": "عموم مردم", "title_en": "The public"},
    ]
    from uni.servicedesk.api import sla

    assert sla.escalation_table() == {
        "unit-edu": {1: ["nobody"], 2: [], 3: []},
        "*": {1: [], 2: ["test-supervisor"], 3: []},
        "unit-it": {1: ["test-editor"], 2: [], 3: []},
    }
    # nothing dropped silently: the rest is kept, and said
    assert api.portal.get_registry_record(UNMIGRATED_RECORD) == [
        "service_categories: بدون شناسه",
        "service_categories: Library|کتابخانه|Library",
        "service_categories: education|آموزش دوباره|Again",
        "service_categories: finance|مالی|Finance|extra",
        "escalation_levels: finance | test-agent",
        "escalation_levels: unit-it | test-agent | test-supervisor, test-siteadmin | admin",
        "escalation_levels: unit-x",
    ]
    assert len(warnings) == 8
    assert any("nobody" in message and "unit-edu" in message for message in warnings)
    assert any("'بدون شناسه'" in message for message in warnings)
    registry = manager.portal_registry
    for old in (
        "uni.servicedesk.categories",
        "uni.servicedesk.audiences",
        "uni.servicedesk.sla.escalation",
    ):
        assert old not in registry.records
    # the vocabularies read the rows
    from zope.component import getUtility
    from zope.schema.interfaces import IVocabularyFactory

    vocabulary = getUtility(IVocabularyFactory, "uni.servicedesk.Categories")(manager)
    assert [term.token for term in vocabulary] == ["education", "it", "finance"]
    # once is enough: running the step again changes nothing
    v1008.rows_from_lines(setup)
    assert len(api.portal.get_registry_record(NEW["categories"])) == 3
    assert len(api.portal.get_registry_record(UNMIGRATED_RECORD)) == 7


def test_a_registry_import_before_the_step_loses_nothing(manager):
    """Another step of the chain may import the registry first: the lines are in records
    that the new settings do not reuse, so they wait for this step."""
    setup = old_site(manager)
    setup.runImportStepFromProfile("profile-" + PROFILE, "plone.app.registry")
    assert api.portal.get_registry_record(NEW["categories"])[0]["token"] == "education"
    assert api.portal.get_registry_record(NEW["audiences"])[-1]["token"] == "public"
    setup.upgradeProfile(PROFILE)
    assert [row["token"] for row in api.portal.get_registry_record(NEW["audiences"])] == [
        "students",
        "public",
    ]
    assert len(api.portal.get_registry_record(NEW["categories"])) == 3


def test_a_site_without_the_lines_keeps_the_first_rows(manager):
    setup = api.portal.get_tool("portal_setup")
    before = api.portal.get_registry_record(NEW["categories"])
    setup.setLastVersionForProfile(PROFILE, "1004")
    setup.upgradeProfile(PROFILE)
    assert api.portal.get_registry_record(NEW["categories"]) == before
    assert api.portal.get_registry_record(NEW["escalation"]) == []
    assert api.portal.get_registry_record(UNMIGRATED_RECORD, default=None) is None


def test_the_panel_shows_what_was_kept(functional, browser_factory):
    with api.env.adopt_roles(["Manager"]):
        setup = old_site(functional["portal"])
        setup.upgradeProfile(PROFILE)
    transaction.commit()
    browser = browser_factory("test-siteadmin")
    browser.open(functional["portal"].absolute_url() + "/@@servicedesk-sla")
    assert "سطرهایی از تنظیمات پیشین که خوانده نشد" in browser.contents
    assert "escalation_levels: finance | test-agent" in browser.contents
    assert "service_categories" not in browser.contents
