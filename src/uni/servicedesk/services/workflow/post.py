"""POST <request>/@workflow/<transition>: plone.restapi's transition, refusing clearly.

The rules of each transition are DCWorkflow's guards and our before-transition
subscriber (workflows/guards.py), so this door obeys them like every other. What this
adds is the answer: a transition the user may not fire here is named in a translated
message (plone.restapi's own says "No workflow provides the '${action_id}' action." with
the placeholder left unfilled), in the one error shape of our endpoints.
"""

from plone import api
from plone.restapi.services.workflow.transition import WorkflowTransition
from uni.servicedesk import _
from uni.servicedesk.services.errors import error_reply


class RequestWorkflowTransition(WorkflowTransition):
    def reply(self):
        if self.transition is not None:
            workflow = api.portal.get_tool("portal_workflow")
            available = {t["id"] for t in workflow.getTransitionsFor(self.context)}
            if self.transition not in available:
                return error_reply(
                    self.request,
                    400,
                    _(
                        "This step (${transition}) is not possible on this request now, or not "
                        "for you.",
                        mapping={"transition": self.transition},
                    ),
                )
        result = super().reply()
        if isinstance(result, dict) and "error" in result:
            error = result["error"]
            return error_reply(self.request, 400, error.get("message") or "")
        return result
