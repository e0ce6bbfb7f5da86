"""The requests folder's page: counts by state and a jump to a request by its code.

Never a listing of the folder (it holds every request ever made); lists of requests are
the cartable's, from the catalog, batched.
"""

from plone import api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.browser.base import ServicedeskView

STATES = (
    "submitted",
    "assigned",
    "in_progress",
    "awaiting_applicant",
    "resolved",
    "closed",
    "rejected",
    "withdrawn",
)


class RequestsOverview(ServicedeskView):
    def __call__(self):
        code = self.request.form.get("code")
        if code:
            request = desk_api.find_by_code(code)
            if request is not None and api.user.has_permission("View", obj=request):
                return self.request.response.redirect(request.absolute_url())
            self.not_found = True
        return self.index()

    not_found = False

    def counts(self):
        catalog = api.portal.get_tool("portal_catalog")
        return [
            {
                "state": state,
                "title": self.state_title(state),
                "count": self.digits(
                    len(catalog(portal_type="ServiceRequest", review_state=state))
                ),
            }
            for state in STATES
        ]
