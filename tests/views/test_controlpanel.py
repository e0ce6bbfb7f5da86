"""The service desk control panel: managers edit categories and audiences; others may not."""
from plone import api

import pytest
import transaction


def test_manager_edits_categories(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(functional["portal"].absolute_url() + "/@@servicedesk-settings")
    field = browser.getControl(name="form.widgets.categories")
    assert "education|" in field.value
    field.value = field.value + "\nlibrary|کتابخانه|Library"
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    lines = api.portal.get_registry_record("uni.servicedesk.categories")
    assert "library|کتابخانه|Library" in lines


def test_malformed_line_refused(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(functional["portal"].absolute_url() + "/@@servicedesk-settings")
    before = api.portal.get_registry_record("uni.servicedesk.audiences")
    field = browser.getControl(name="form.widgets.audiences")
    field.value = field.value + "\nبدون شناسه"
    browser.getControl(name="form.buttons.save").click()
    assert "Write each line as token|Persian title|English title" in browser.contents
    transaction.begin()
    assert api.portal.get_registry_record("uni.servicedesk.audiences") == before


@pytest.mark.parametrize("user", [None, "test-editor", "test-member", "test-supervisor"])
def test_others_may_not(functional, browser_factory, user):
    browser = browser_factory(user, language="en")
    browser.open(functional["portal"].absolute_url() + "/@@servicedesk-settings")
    assert "form.widgets.categories" not in browser.contents


def test_vocabulary_follows_settings(portal):
    from zope.component import getUtility
    from zope.schema.interfaces import IVocabularyFactory

    api.portal.set_registry_record(
        "uni.servicedesk.categories", ["it|فناوری|IT", "malformed line", "library|کتابخانه"]
    )
    vocabulary = getUtility(IVocabularyFactory, "uni.servicedesk.Categories")(portal)
    assert [term.token for term in vocabulary] == ["it", "library"]
    # English title falls back to the Persian one when absent.
    assert vocabulary.getTerm("library").title in ("کتابخانه",)


def test_request_rules_editable(functional, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(functional["portal"].absolute_url() + "/@@servicedesk-settings")
    browser.getControl(name="form.widgets.max_upload_mb").value = "5"
    browser.getControl(name="form.widgets.reopen_days").value = "7"
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert api.portal.get_registry_record("uni.servicedesk.max_upload_mb") == 5
    assert api.portal.get_registry_record("uni.servicedesk.reopen_days") == 7
