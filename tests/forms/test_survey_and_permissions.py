"""A survey saves its answers (easyform's save data); only managers download them.
Only those who may build request forms get the "Create service request" action."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from uni.servicedesk.forms import builder
from uni.servicedesk.forms.action import CreateServiceRequestAction

import pytest
import transaction

SURVEY_FIELDS = [
    {
        "name": "satisfaction",
        "kind": "choice",
        "title": "رضایت کلی",
        "values": ["خیلی راضی", "راضی", "ناراضی"],
    },
    {"name": "comment", "kind": "textarea", "title": "پیشنهاد شما", "required": False},
]


@pytest.fixture
def survey(functional):
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    form = builder.create_form(
        portal,
        "survey",
        "نظرسنجی",
        SURVEY_FIELDS,
        [("answers", builder.SAVE_DATA_TYPE, "پاسخ‌ها", {"DownloadFormat": "tsv"})],
    )
    api.content.transition(obj=form, transition="publish")
    # The editor who keeps the survey owns it; owning is not enough to read the answers.
    form.manage_setLocalRoles("test-editor", ["Owner", "Editor"])
    logout()
    transaction.commit()
    return form


def answer(browser_factory, survey, comment):
    browser = browser_factory()
    browser.open(survey.absolute_url())
    browser.getControl("خیلی راضی").selected = True
    browser.getControl(name="form.widgets.comment").value = comment
    browser.getControl(name="form.buttons.submit").click()
    return browser


DOWNLOAD = "actions/answers/@@data?form.buttons.download=1"


class TestSurvey:
    def test_anonymous_answers_are_saved(self, survey, browser_factory):
        answer(browser_factory, survey, "کتابخانه تا دیروقت باز باشد")
        transaction.begin()
        [row] = survey._inputStorage["answers"].values()
        assert row["satisfaction"] == "خیلی راضی"
        assert row["comment"] == "کتابخانه تا دیروقت باز باشد"

    @pytest.mark.parametrize("user", ["admin", "test-siteadmin"])
    def test_managers_download_the_answers(self, survey, browser_factory, user):
        answer(browser_factory, survey, "کتابخانه تا دیروقت باز باشد")
        browser = browser_factory(user)
        browser.open(f"{survey.absolute_url()}/{DOWNLOAD}")
        assert browser.headers["content-type"].startswith("text/tab-separated-values")
        assert "کتابخانه تا دیروقت باز باشد" in browser.contents

    @pytest.mark.parametrize(
        "user", [None, "test-member", "test-editor", "test-reviewer", "test-supervisor"]
    )
    def test_others_may_not(self, survey, browser_factory, user):
        answer(browser_factory, survey, "کتابخانه تا دیروقت باز باشد")
        browser = browser_factory(user)
        browser.open(f"{survey.absolute_url()}/{DOWNLOAD}")
        assert "کتابخانه تا دیروقت باز باشد" not in browser.contents
        assert not browser.headers["content-type"].startswith("text/tab-separated-values")


class TestWhoMayAddTheAction:
    @pytest.mark.parametrize(
        "roles, allowed",
        [
            (["Manager"], True),
            (["Site Administrator"], True),
            (["Service Editor"], True),
            (["Member"], False),
            (["Contributor"], False),
            (["Service Desk Agent"], False),
        ],
    )
    def test_factory_available(self, manager, roles, allowed):
        form = builder.create_form(manager, "f", "فرم", SURVEY_FIELDS, [])
        form.manage_delLocalRoles([TEST_USER_ID])  # not its owner
        setRoles(manager, TEST_USER_ID, roles)
        assert CreateServiceRequestAction.available(form) is allowed
