"""Firing a request's workflow transitions under their rules."""

from AccessControl import Unauthorized
from plone import api
from uni.servicedesk import _
from uni.servicedesk.api.validation import InputError


def fire(request, transition, comment="", quiet=False):
    """A workflow transition; the guard checks the current user's permission.

    ``quiet``: a step taken on the way to another (work starts because the expert
    replies): on the timeline, but nobody is told of it apart from the step it serves."""
    workflow = api.portal.get_tool("portal_workflow")
    available = [t["id"] for t in workflow.getTransitionsFor(request)]
    if transition not in available:
        raise Unauthorized(f"{transition} not available on {request.getId()}")
    if quiet:
        workflow.doActionFor(request, transition, comment=comment, quiet=True)
    else:
        workflow.doActionFor(request, transition, comment=comment)


def reopen_allowed(request, today=None):
    """Resolved requests may be reopened by the applicant for a set number of days."""
    return request.reopen_allowed(today)


def check_reopen(request):
    if not reopen_allowed(request):
        raise InputError(
            "reopen", _("This request can no longer be reopened; please send a new one.")
        )


TRANSITION_RULES = {"reopen": check_reopen}


def transition(request, name, comment=""):
    """Fire a workflow transition by name, under the rules of ``TRANSITION_RULES``."""
    rule = TRANSITION_RULES.get(name)
    if rule is not None:
        rule(request)
    fire(request, name, comment)
    request.reindexObject()
