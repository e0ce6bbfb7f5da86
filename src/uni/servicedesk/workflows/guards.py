"""What must hold before a request's transition, whichever door fires it.

Our pages and REST services call the domain API, which prepares each step (refers before
assigning, asks for documents before waiting, records a supervisor's override before
resolving over open sub-tasks, names the main request before merging). plone.restapi's
``@workflow``, ``content_status_modify`` and scripts call ``doActionFor`` directly: this
subscriber to DCWorkflow's before-transition event refuses there what the domain API
would refuse, with the same words. A refusal raises ``WorkflowException`` with a
translated message (plone.restapi answers it as a 400 in its error shape; other doors get
a 400 page) and nothing of
the step is kept.
"""

from Products.CMFCore.WorkflowCore import WorkflowException
from uni.servicedesk import _
from zExceptions import BadRequest
from uni.servicedesk.api.requests import subtasks
from zope.globalrequest import getRequest
from zope.i18n import translate


class TransitionRefused(WorkflowException, BadRequest):
    """A precondition does not hold: a WorkflowException for the workflow tool's callers
    (plone.restapi answers it as its 400), a Bad Request (400, not 500) for the publisher
    when another door (``content_status_modify``) lets it through."""


# Zope's publisher takes an exception's HTTP status from its class name: 400, not 500.
TransitionRefused.__name__ = "BadRequest"


def _refuse(message):
    raise TransitionRefused(translate(message, context=getRequest()))


def _referred(request):
    if not (request.referred_unit or request.referred_expert):
        _refuse(
            _(
                "Refer the request to a unit or an expert: it would otherwise wait in no "
                "one's queue."
            )
        )


def _documents_named(request):
    if not getattr(request, "requested_documents", None):
        _refuse(_("Name the documents the applicant should send before waiting for them."))


def _applicant_answered(request):
    """The applicant's answer is on the timeline after the last request for documents."""
    for entry in reversed(request.timeline):
        if entry["event"] == "applicant_reply":
            return
        if entry["event"] == "documents_requested":
            break
    _refuse(_("The applicant has not answered yet."))


def _no_open_required_subtasks(request):
    """Open required sub-tasks block, unless a supervisor's override of exactly these
    sub-tasks is the last step on the timeline (``subtasks.record_override`` writes it)."""
    pending = subtasks.open_required(request)
    if not pending:
        return
    last = request.timeline[-1] if len(request.timeline) else {}
    if last.get("event") == "subtasks_overridden" and (
        {s["id"] for s in pending} <= set(last.get("subtasks") or ())
    ):
        return
    _refuse(subtasks.blocking_message(pending))


def _main_request_named(request):
    if not getattr(request, "merged_into", None):
        _refuse(_("Merge a request through the desk, naming the request it duplicates."))


PRECONDITIONS = {
    "assign": _referred,
    "ask_applicant": _documents_named,
    "applicant_responds": _applicant_answered,
    "resolve": _no_open_required_subtasks,
    "merge": _main_request_named,
}


def check_transition(request, event):
    """Subscriber of ``IBeforeTransitionEvent`` on requests."""
    if event.transition is None:  # the initial state, set at creation
        return
    check = PRECONDITIONS.get(event.transition.id)
    if check is not None:
        check(request)
