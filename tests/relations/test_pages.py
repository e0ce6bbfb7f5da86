"""Sub-tasks, merging and canned responses on the request's page and the manage page,
through the publisher."""

from plone import api
from tests.helpers import APPLICANT
from tests.relations.conftest import committed
from tests.relations.conftest import OTHER_APPLICANT
from tests.relations.conftest import submit
from tests.requests.conftest import as_user
from uni.servicedesk.api.requests import canned
from uni.servicedesk.api.requests import relations
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.requests import subtasks
from uni.servicedesk.localization import localize_digits
from urllib.parse import urlencode

import re
import transaction


def token_of(browser):
    match = re.search(r'name="_authenticator" value="([^"]+)"', browser.contents)
    return match.group(1) if match else ""


def post(browser, url, **fields):
    """POST an action the way the request's page does (with the CSRF token of ``url``)."""
    browser.open(url)
    fields["_authenticator"] = token_of(browser)
    browser.post(url + "/@@request-view", urlencode(fields))
    return browser


def alert(browser):
    match = re.search(r'class="alert alert-danger"[^>]*>([^<]*)<', browser.contents)
    return match.group(1).strip() if match else None


def fresh(request):
    transaction.begin()
    return desk_api.find_by_code(request.tracking_code)


class TestSubtasksPage:
    def test_expert_adds_subtask_and_assignee_sees_and_completes_it(
        self, web_desk, browser_factory
    ):
        request = committed(web_desk)
        url = request.absolute_url()
        outsider = browser_factory("expert-b")
        outsider.open(url)
        assert APPLICANT["applicant_name"] not in outsider.contents

        expert = browser_factory("expert-a", language="en")
        expert.open(url)
        expert.getControl(name="title").value = "Check the transcript"
        expert.getControl(name="assignee").value = ["expert-b"]
        expert.getForm(index=_form_index(expert, "add_subtask")).getControl(
            name="text"
        ).value = "Term 2"
        expert.getControl(name="form.buttons.add_subtask").click()
        assert expert.headers["status"].startswith("200")
        assert "Done." in expert.contents
        assert "Check the transcript" in expert.contents
        assert "Required" in expert.contents

        outsider.open(url)  # now they see it, and can finish their part
        assert APPLICANT["applicant_name"] in outsider.contents
        assert "Check the transcript" in outsider.contents
        subtask_id = subtasks.subtasks(fresh(request))[0]["id"]
        post(outsider, url, action="complete_subtask", subtask=subtask_id, text="بررسی شد")
        # Their part is done: the request is no longer theirs; they land on the site.
        assert outsider.url.rstrip("/") == web_desk["portal"].absolute_url()
        outsider.open(url)
        assert APPLICANT["applicant_name"] not in outsider.contents
        request = fresh(request)
        assert [
            (s["state"], s["closed_by"], s["closing_text"]) for s in subtasks.subtasks(request)
        ] == [("done", "expert-b", "بررسی شد")]

    def test_bad_input_is_refused_and_changes_nothing(self, web_desk, browser_factory):
        request = committed(web_desk)
        url = request.absolute_url()
        expert = browser_factory("expert-a", language="en")
        timeline = len(request.timeline)
        for fields, error in (
            ({"title": "", "assignee": "expert-b"}, "Give the sub-task a title."),
            (
                {"title": "Check", "assignee": "nobody"},
                "Choose a colleague or a unit from the list.",
            ),
            ({"title": "Check", "assignee": ""}, "Choose a colleague or a unit."),
        ):
            post(expert, url, action="add_subtask", **fields)
            assert expert.headers["status"].startswith("400")
            assert alert(expert) == error
        request = fresh(request)
        assert subtasks.subtasks(request) == []
        assert len(request.timeline) == timeline
        assert not api.user.has_permission("View", username="expert-b", obj=request)

    def test_outsider_cannot_add_or_complete(self, web_desk, browser_factory):
        request = committed(web_desk)
        as_user(web_desk["portal"], "expert-a")
        subtask_id = subtasks.add_subtask(request, "بررسی", "expert-c")
        as_user(web_desk["portal"], None)
        transaction.commit()
        url = request.absolute_url()
        for user in ("expert-b", "test-member"):
            browser = browser_factory(user, language="en")
            post(browser, url, action="add_subtask", title="x", assignee="expert-b")
            post(browser, url, action="complete_subtask", subtask=subtask_id)
            assert "Done." not in browser.contents
        request = fresh(request)
        assert [s["state"] for s in subtasks.subtasks(request)] == ["open"]

    def test_resolve_blocked_then_overridden_by_supervisor(self, web_desk, browser_factory):
        """Needs ``requests.resolve`` to call ``subtasks.check_resolvable``."""
        request = committed(web_desk)
        as_user(web_desk["portal"], "expert-a")
        desk_api.transition(request, "start")
        subtasks.add_subtask(request, "استعلام آموزش", "expert-b")
        as_user(web_desk["portal"], None)
        transaction.commit()
        url = request.absolute_url()
        expert = browser_factory("expert-a", language="en")
        expert.open(url)
        assert "These required sub-tasks are still open:" in expert.contents
        assert "Resolve anyway" not in expert.contents  # an expert cannot override
        post(expert, url, action="resolve", text="done")
        assert expert.headers["status"].startswith("400")
        assert "استعلام آموزش" in alert(expert)
        post(expert, url, action="resolve", override="1", reason="hurry")
        assert expert.headers["status"].startswith("400")
        assert desk_api.state(fresh(request)) == "in_progress"

        supervisor = browser_factory("test-supervisor", language="en")
        post(supervisor, url, action="resolve", override="1", reason="")
        assert supervisor.headers["status"].startswith("400")
        assert desk_api.state(fresh(request)) == "in_progress"
        supervisor.open(url)
        supervisor.getControl(name="reason").value = "دستور معاون آموزشی"
        supervisor.getControl("Resolve anyway").click()
        assert "Done." in supervisor.contents
        request = fresh(request)
        assert desk_api.state(request) == "resolved"
        assert [e["text"] for e in request.timeline if e["event"] == "subtasks_overridden"] == [
            "دستور معاون آموزشی"
        ]


def _form_index(browser, action):
    """The index of the page's form whose hidden ``action`` is ``action``."""
    forms = re.findall(r"<form\b.*?</form>", browser.contents, re.S)
    return next(i for i, form in enumerate(forms) if f'name="action" value="{action}"' in form)


class TestMergePage:
    def test_supervisor_merges_on_the_page(self, web_desk, browser_factory):
        main = committed(web_desk, APPLICANT, refer_to=None)
        duplicate = committed(web_desk, OTHER_APPLICANT, refer_to=None)
        supervisor = browser_factory("test-supervisor", language="en")
        supervisor.open(duplicate.absolute_url())
        supervisor.getControl(name="code", index=0).value = localize_digits(
            main.tracking_code, "fa"
        )
        supervisor.getControl(name="form.buttons.merge").click()
        assert "Done." in supervisor.contents
        assert "Merged into" in supervisor.contents
        assert main.absolute_url() in supervisor.contents  # staff get a link to the main one
        duplicate, main = fresh(duplicate), desk_api.find_by_code(main.tracking_code)
        assert desk_api.state(duplicate) == "merged"
        assert main.merged_from == (duplicate.tracking_code,)
        supervisor.open(main.absolute_url())
        assert "Merged into this request" in supervisor.contents
        assert duplicate.absolute_url() in supervisor.contents

    def test_bad_merge_code(self, web_desk, browser_factory):
        main = committed(web_desk, APPLICANT, refer_to=None)
        duplicate = committed(web_desk, OTHER_APPLICANT, refer_to=None)
        supervisor = browser_factory("test-supervisor", language="en")
        for code, error in (
            ("12345", "No request you can reach has this tracking code."),
            ("1234567890", "No request you can reach has this tracking code."),
            (duplicate.tracking_code, "A request cannot be merged into itself."),
        ):
            post(supervisor, duplicate.absolute_url(), action="merge", code=code)
            assert supervisor.headers["status"].startswith("400")
            assert alert(supervisor) == error
        duplicate = fresh(duplicate)
        assert desk_api.state(duplicate) == "submitted"
        assert relations.merged_into(duplicate) is None
        assert relations.merged_from(desk_api.find_by_code(main.tracking_code)) == ()

    def test_expert_cannot_merge_into_a_request_out_of_reach(self, web_desk, browser_factory):
        main = committed(web_desk, APPLICANT, refer_to=None)
        duplicate = committed(web_desk, OTHER_APPLICANT)
        expert = browser_factory("expert-a", language="en")
        post(expert, duplicate.absolute_url(), action="merge", code=main.tracking_code)
        assert expert.headers["status"].startswith("400")
        assert alert(expert) == "No request you can reach has this tracking code."
        assert desk_api.state(fresh(duplicate)) == "assigned"

    def test_member_cannot_merge(self, web_desk, browser_factory):
        main = committed(web_desk, APPLICANT, refer_to=None)
        duplicate = committed(web_desk, OTHER_APPLICANT, refer_to=None)
        browser = browser_factory("test-member", language="en")
        post(browser, duplicate.absolute_url(), action="merge", code=main.tracking_code)
        assert "Done." not in browser.contents
        assert desk_api.state(fresh(duplicate)) == "submitted"

    def test_applicant_of_the_duplicate_sees_status_not_the_other_request(
        self, web_desk, browser_factory
    ):
        main = committed(web_desk, APPLICANT, subject="گواهی سارا")
        duplicate = submit(web_desk, OTHER_APPLICANT, subject="گواهی رضا")
        as_user(web_desk["portal"], "test-supervisor")
        relations.merge(duplicate, main)
        as_user(web_desk["portal"], None)
        transaction.commit()
        browser = browser_factory(language="en")
        browser.open(desk_api.tracking_url(duplicate))
        assert browser.headers["status"].startswith("200")
        assert duplicate.subject in browser.contents and "Merged" in browser.contents
        for secret in (
            main.tracking_code,
            localize_digits(main.tracking_code, "fa"),
            main.tracking_secret,
            APPLICANT["applicant_name"],
            main.subject,
        ):
            assert secret not in browser.contents


class TestCannedPage:
    def test_manage_page_then_reply_prefilled(self, web_desk, browser_factory):
        request = committed(web_desk)
        supervisor = browser_factory("test-supervisor", language="en")
        manage = web_desk["portal"].absolute_url() + "/@@canned-responses"
        supervisor.open(manage)
        assert supervisor.headers["status"].startswith("200")
        supervisor.getControl(name="title").value = "Certificate ready"
        supervisor.getControl(
            name="text"
        ).value = "Dear ${name}, request ${code} (${service}) is done."
        supervisor.getControl(name="scope").value = ["unit-a"]
        supervisor.getControl(name="form.buttons.add").click()
        assert "The canned response was added." in supervisor.contents
        transaction.begin()
        (item,) = _stored()
        assert (item["title"], item["scope"]) == ("Certificate ready", "unit-a")

        serial = fresh(request)._p_serial
        expert = browser_factory("expert-a", language="en")
        expert.open(request.absolute_url())
        expert.getControl(name="canned").value = [item["id"]]
        expert.getForm(index=_form_index_get(expert)).submit()
        assert "canned=" + item["id"] in expert.url
        code = localize_digits(request.tracking_code, "fa")
        service = web_desk["service"].Title()
        reply = expert.getForm(index=_form_index(expert, "reply")).getControl(name="text")
        assert (
            reply.value
            == f"Dear {APPLICANT['applicant_name']}, request {code} ({service}) is done."
        )
        # Choosing wrote nothing; sending the reply does.
        request = fresh(request)
        assert request._p_serial == serial
        assert [e["event"] for e in request.timeline if e["event"] == "reply"] == []
        expert.getControl(name="form.buttons.reply").click()
        request = fresh(request)
        assert [e["text"] for e in request.timeline if e["event"] == "reply"] == [reply.value]

    def test_canned_of_another_unit_is_not_offered(self, web_desk, browser_factory):
        request = committed(web_desk)
        with api.env.adopt_roles(["Manager"]):
            other = canned.add_canned("Unit B only", "text of unit b", "unit-b")
        transaction.commit()
        expert = browser_factory("expert-a", language="en")
        expert.open(request.absolute_url() + "?canned=" + other)
        assert "Unit B only" not in expert.contents
        assert "text of unit b" not in expert.contents

    def test_manage_page_refuses_member_and_agent(self, web_desk, browser_factory):
        manage = web_desk["portal"].absolute_url() + "/@@canned-responses"
        for user in ("test-member", "test-agent", "expert-a", None):
            browser = browser_factory(user, language="en")
            browser.open(manage)
            assert 'name="form.buttons.add"' not in browser.contents, user
            # Even with a valid token of their own, posting is refused.
            if user:
                browser.open(web_desk["portal"].absolute_url() + "/@@personal-information")
            browser.post(
                manage,
                urlencode({
                    "action": "add",
                    "title": "hack",
                    "text": "hack",
                    "scope": "",
                    "_authenticator": token_of(browser),
                }),
            )
            assert 'name="form.buttons.add"' not in browser.contents, user
        transaction.begin()
        assert _stored() == []

    def test_manage_page_bad_input_keeps_what_was_typed(self, web_desk, browser_factory):
        supervisor = browser_factory("test-supervisor", language="en")
        supervisor.open(web_desk["portal"].absolute_url() + "/@@canned-responses")
        supervisor.getControl(name="title").value = ""
        supervisor.getControl(name="text").value = "A text worth keeping"
        supervisor.getControl(name="form.buttons.add").click()
        assert supervisor.headers["status"].startswith("400")
        assert alert(supervisor) == "Give the canned response a title."
        assert supervisor.getControl(name="text").value == "A text worth keeping"
        transaction.begin()
        assert _stored() == []


def _stored():
    with api.env.adopt_roles(["Manager"]):
        return [dict(item) for item in canned.all_canned()]


def _form_index_get(browser):
    forms = re.findall(r"<form\b.*?</form>", browser.contents, re.S)
    return next(i for i, form in enumerate(forms) if 'name="canned"' in form)


class TestMergedApplicantPage:
    def test_logged_in_applicant_sees_the_main_requests_status_only(
        self, web_desk, browser_factory
    ):
        main = committed(web_desk, APPLICANT, subject="گواهی سارا")
        duplicate = submit(web_desk, OTHER_APPLICANT, user="test-member", subject="گواهی من")
        as_user(web_desk["portal"], "test-supervisor")
        relations.merge(duplicate, main)
        as_user(web_desk["portal"], None)
        transaction.commit()
        browser = browser_factory("test-member", language="en")
        browser.open(duplicate.absolute_url())
        assert browser.headers["status"].startswith("200")
        assert "گواهی من" in browser.contents
        # The main request's state, in words.
        assert re.search(
            r"Followed together with a similar request, whose status is\s*"
            r"<strong>Referred</strong>",
            browser.contents,
        )
        for secret in (
            main.tracking_code,
            localize_digits(main.tracking_code, "fa"),
            main.tracking_secret,
            main.absolute_url(),
            APPLICANT["applicant_name"],
            APPLICANT["applicant_mobile"],
            main.subject,
        ):
            assert secret not in browser.contents, secret
        assert "merge" not in [
            m.lower() for m in re.findall(r'name="action" value="([^"]+)"', browser.contents)
        ]
