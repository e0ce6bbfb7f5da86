"""A transition's preconditions hold whichever door fires it: the domain API, plone.restapi's
``@workflow``, ``content_status_modify`` and ``doActionFor`` from a script."""

from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from tests.relations.conftest import committed
from tests.relations.conftest import desk  # noqa: F401 - a fixture
from tests.relations.conftest import submit
from tests.relations.conftest import web_desk  # noqa: F401 - a fixture
from tests.requests.conftest import as_user
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.requests import relations
from uni.servicedesk.api.requests import subtasks

import pytest
import transaction


def state(request):
    transaction.begin()
    return api.content.get_state(request)


def in_progress_with_required_subtask(desk):  # noqa: F811 - a desk dict, not the fixture
    request = committed(desk)
    as_user(desk["portal"], "test-supervisor")
    desk_api.transition(request, "start")
    subtasks.add_subtask(request, "استعلام از آموزش", "expert-c", required=True)
    as_user(desk["portal"], None)
    transaction.commit()
    return request


def fire(rest, request, transition):
    return rest.post(f"/requests/{request.getId()}/@workflow/{transition}", json={})


class TestThroughRestWorkflow:
    def test_resolve_refused_while_a_required_subtask_is_open(self, web_desk, rest_factory):  # noqa: F811
        request = in_progress_with_required_subtask(web_desk)
        response = fire(rest_factory("expert-a"), request, "resolve")
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert "استعلام از آموزش" in error["message"]
        assert state(request) == "in_progress"
        assert not [e for e in request.timeline if e.get("to_state") == "resolved"]

    def test_a_supervisor_cannot_skip_the_override_either(self, web_desk, rest_factory):  # noqa: F811
        request = in_progress_with_required_subtask(web_desk)
        assert fire(rest_factory("test-supervisor"), request, "resolve").status_code == 400
        assert state(request) == "in_progress"

    def test_merge_needs_the_main_request(self, web_desk, rest_factory):  # noqa: F811
        request = committed(web_desk)
        response = fire(rest_factory("test-supervisor"), request, "merge")
        assert response.status_code == 400
        assert response.json()["error"]["message"]
        assert state(request) == "assigned"

    def test_assign_needs_a_unit_or_an_expert(self, web_desk, rest_factory):  # noqa: F811
        request = committed(web_desk, refer_to=None)
        response = fire(rest_factory("test-supervisor"), request, "assign")
        assert response.status_code == 400
        assert state(request) == "submitted"

    def test_waiting_needs_the_documents_named(self, web_desk, rest_factory):  # noqa: F811
        request = committed(web_desk)
        rest = rest_factory("expert-a")
        assert fire(rest, request, "start").status_code == 200
        response = fire(rest, request, "ask_applicant")
        assert response.status_code == 400
        assert state(request) == "in_progress"

    def test_an_unavailable_step_is_named_not_a_placeholder(self, web_desk, rest_factory):  # noqa: F811
        request = committed(web_desk)
        rest = rest_factory("expert-a")
        rest.headers["Accept-Language"] = "en"
        response = fire(rest, request, "close")
        assert response.status_code == 400
        message = response.json()["error"]["message"]
        assert "${" not in message and "close" in message

    def test_the_domain_api_still_does_it(self, web_desk, rest_factory):  # noqa: F811
        """What the door refuses the desk's own steps do, after doing what is needed."""
        request = in_progress_with_required_subtask(web_desk)
        as_user(web_desk["portal"], "test-supervisor")
        desk_api.resolve(request, override=True, reason="استعلام تلفنی انجام شد")
        assert desk_api.state(request) == "resolved"


class TestThroughContentStatusModify:
    def test_resolve_refused(self, web_desk, browser_factory):  # noqa: F811
        request = in_progress_with_required_subtask(web_desk)
        browser = browser_factory("expert-a")
        browser.handleErrors = True
        browser.raiseHttpErrors = False
        browser.open(request.absolute_url())
        token = browser.getControl(name="_authenticator", index=0).value

        def resolve():
            browser.post(
                f"{request.absolute_url()}/content_status_modify",
                f"workflow_action=resolve&_authenticator={token}",
            )

        resolve()
        assert state(request) == "in_progress"
        # The same door resolves once the sub-task is done: the refusal was the rule's.
        as_user(web_desk["portal"], "expert-c")
        subtasks.complete(request, subtasks.subtasks(request)[0]["id"])
        as_user(web_desk["portal"], None)
        transaction.commit()
        resolve()
        assert state(request) == "resolved"


class TestThroughAScript:
    def test_do_action_for_obeys(self, desk):  # noqa: F811
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        workflow = api.portal.get_tool("portal_workflow")
        assert {"assign", "merge"} <= {t["id"] for t in workflow.getTransitionsFor(request)}
        with pytest.raises(WorkflowException):
            workflow.doActionFor(request, "assign")
        with pytest.raises(WorkflowException):
            workflow.doActionFor(request, "merge")
        other = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        relations.merge(request, other)  # the desk's merge names the main request first
        assert desk_api.state(request) == "merged"
