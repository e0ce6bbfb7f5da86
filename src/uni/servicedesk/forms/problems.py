"""Tells the form's editors what keeps its "Create service request" action from working."""
from collective.easyform.api import get_actions
from plone import api
from plone.app.layout.viewlets import ViewletBase
from uni.servicedesk.forms.action import ICreateServiceRequest
from zope.schema import getFieldsInOrder


class FormProblemsViewlet(ViewletBase):
    def update(self):
        super().update()
        self.problems = []
        if not api.user.has_permission("Modify portal content", obj=self.context):
            return
        for name, action in getFieldsInOrder(get_actions(self.context)):
            if ICreateServiceRequest.providedBy(action) and action.required:
                self.problems.extend((action.title, problem) for problem in action.problems())

    def render(self):
        return self.index() if self.problems else ""
