"""The service desk control panel: managers edit categories and audiences as rows (add,
remove, reorder), each cell checked, in Persian; others may not."""

from plone import api
from tests.grids import post_grid
from tests.grids import shown_rows
from uni.servicedesk.interfaces import UNMIGRATED_RECORD
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import pytest
import transaction

CATEGORIES = "uni.servicedesk.service_categories"
AUDIENCES = "uni.servicedesk.service_audiences"
COLUMNS = ("token", "title_fa", "title_en")


def panel(functional):
    return functional["portal"].absolute_url() + "/@@servicedesk-settings"


def cells(rows):
    return [{column: row.get(column, "") for column in COLUMNS} for row in rows]


def test_manager_adds_a_category(functional, browser_factory):
    browser = browser_factory("test-siteadmin")
    browser.open(panel(functional))
    rows = shown_rows(browser, "service_categories", COLUMNS)
    assert rows[0] == {"token": "education", "title_fa": "آموزشی", "title_en": "Education"}
    # the grid speaks Persian: its columns and its buttons
    assert "عنوان فارسی" in browser.contents and 'title="افزودن سطر"' in browser.contents
    post_grid(
        browser,
        {
            "service_categories": rows
            + [{"token": "library", "title_fa": "کتابخانه", "title_en": ""}]
        },
    )
    assert browser.headers["status"].startswith("200")
    transaction.begin()
    stored = api.portal.get_registry_record(CATEGORIES)
    assert stored[-1] == {"token": "library", "title_fa": "کتابخانه", "title_en": ""}
    assert stored[:-1] == [dict(row) for row in rows]
    vocabulary = getUtility(IVocabularyFactory, "uni.servicedesk.Categories")(functional["portal"])
    assert vocabulary.getTerm("library").title == "کتابخانه"


def test_rows_removed_and_reordered(functional, browser_factory):
    browser = browser_factory("test-siteadmin")
    browser.open(panel(functional))
    rows = shown_rows(browser, "service_audiences", COLUMNS)
    post_grid(browser, {"service_audiences": [rows[2], rows[0]]})
    transaction.begin()
    assert [row["token"] for row in api.portal.get_registry_record(AUDIENCES)] == [
        rows[2]["token"],
        rows[0]["token"],
    ]
    browser.open(panel(functional))
    assert [row["token"] for row in shown_rows(browser, "service_audiences", COLUMNS)] == [
        rows[2]["token"],
        rows[0]["token"],
    ]


def test_bad_cell_refused_in_persian_and_kept(functional, browser_factory):
    browser = browser_factory("test-siteadmin")
    browser.open(panel(functional))
    before = api.portal.get_registry_record(CATEGORIES)
    rows = shown_rows(browser, "service_categories", COLUMNS)
    rows[1]["token"] = "Student Affairs"
    post_grid(browser, {"service_categories": rows}, changes={"form.widgets.reopen_days": "9"})
    assert "Student Affairs شناسه درستی نیست" in browser.contents
    assert "چند خانه از این جدول باید درست شود" in browser.contents
    assert "فرم خطا دارد" in browser.contents
    # what was typed is still there, in its row, with the other changes
    assert (
        browser.getControl(name="form.widgets.service_categories.1.widgets.token").value
        == "Student Affairs"
    )
    assert browser.getControl(name="form.widgets.reopen_days").value == "9"
    transaction.begin()
    assert api.portal.get_registry_record(CATEGORIES) == before
    assert api.portal.get_registry_record("uni.servicedesk.reopen_days") == 14


def test_missing_persian_title_refused(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    rows = shown_rows(browser, "service_categories", COLUMNS)
    post_grid(
        browser,
        {
            "service_categories": rows
            + [{"token": "library", "title_fa": "", "title_en": "Library"}]
        },
    )
    assert "Required input is missing." in browser.contents
    assert (
        browser.getControl(name="form.widgets.service_categories.6.widgets.title_en").value
        == "Library"
    )
    transaction.begin()
    assert len(api.portal.get_registry_record(CATEGORIES)) == len(rows)


def test_a_token_twice_refused(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    before = api.portal.get_registry_record(AUDIENCES)
    rows = shown_rows(browser, "service_audiences", COLUMNS)
    post_grid(
        browser,
        {"service_audiences": rows + [{"token": "staff", "title_fa": "کارمندان", "title_en": ""}]},
    )
    assert "The token staff is used by more than one row." in browser.contents
    assert (
        browser.getControl(name="form.widgets.service_audiences.6.widgets.title_fa").value
        == "کارمندان"
    )
    transaction.begin()
    assert api.portal.get_registry_record(AUDIENCES) == before


@pytest.mark.parametrize("user", [None, "test-editor", "test-member", "test-supervisor"])
def test_others_may_not(functional, browser_factory, user):
    browser = browser_factory(user, language="en")
    browser.open(panel(functional))
    assert "form.widgets.service_categories" not in browser.contents


def test_vocabulary_follows_settings(portal):
    api.portal.set_registry_record(
        CATEGORIES,
        [
            {"token": "it", "title_fa": "فناوری", "title_en": "IT"},
            {"token": "library", "title_fa": "کتابخانه", "title_en": ""},
        ],
    )
    vocabulary = getUtility(IVocabularyFactory, "uni.servicedesk.Categories")(portal)
    assert [term.token for term in vocabulary] == ["it", "library"]
    # English title falls back to the Persian one when absent.
    assert vocabulary.getTerm("library").title == "کتابخانه"


def test_the_registry_keeps_only_rows(portal):
    # plone.registry refuses with zope.schema's or jsonschema's own errors (no common base
    # but Exception): the point is that nothing but rows is kept.
    with pytest.raises(Exception):  # noqa: B017
        api.portal.set_registry_record(CATEGORIES, ["it|فناوری|IT"])
    with pytest.raises(Exception):  # noqa: B017
        api.portal.set_registry_record(CATEGORIES, [{"token": "Bad token", "title_fa": "x"}])


def test_request_rules_editable(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    browser.getControl(name="form.widgets.max_upload_mb").value = "5"
    browser.getControl(name="form.widgets.reopen_days").value = "7"
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert api.portal.get_registry_record("uni.servicedesk.max_upload_mb") == 5
    assert api.portal.get_registry_record("uni.servicedesk.reopen_days") == 7
    # the grids, untouched, are as they were
    assert api.portal.get_registry_record(CATEGORIES)[0]["token"] == "education"


def test_unmigrated_lines_shown_until_forgotten(functional, browser_factory):
    from plone.registry import field
    from plone.registry import Record

    registry = functional["portal"].portal_registry
    registry.records[UNMIGRATED_RECORD] = Record(
        field.List(value_type=field.TextLine()),
        ["service_categories: بدون شناسه", "escalation_levels: finance | ali"],
    )
    transaction.commit()
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(panel(functional))
    assert "service_categories: بدون شناسه" in browser.contents
    assert "escalation_levels: finance" not in browser.contents  # the SLA panel's
    browser.getControl(name="form.widgets.forget_unreadable_lines:list").value = ["selected"]
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert api.portal.get_registry_record(UNMIGRATED_RECORD) == ["escalation_levels: finance | ali"]
    browser.open(panel(functional))
    assert "forget_unreadable_lines" not in browser.contents
