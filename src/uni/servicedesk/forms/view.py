"""The easyform page, with the receipt of the request its action created.

Registered for our browser layer in place of easyform's own ``view``; everything else is
easyform's.
"""
from collective.easyform.browser.view import EasyFormForm
from collective.easyform.browser.view import EasyFormFormWrapper
from collective.easyform.api import get_actions
from collective.easyform.config import FORM_ERROR_MARKER
from plone import api
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from uni.servicedesk.browser.requests import ReceiptMixin
from uni.servicedesk.forms.action import created_request
from uni.servicedesk.forms.action import ICreateServiceRequest
from z3c.form.interfaces import IErrorViewSnippet
from zope.component import getMultiAdapter
from zope.schema import getFieldsInOrder
from zope.schema import ValidationError


class RequestEasyForm(ReceiptMixin, EasyFormForm):
    easyform_thank_you = EasyFormForm.__dict__["thank_you_template"]  # the template, unbound
    thank_you_template = ViewPageTemplateFile("templates/thank_you.pt")

    @property
    def created(self):
        return created_request(self.request)

    def setErrorsMessage(self, errors):
        """Each message on its own field, also in fieldsets.

        easyform's own binds the message late (every field showed the last message) and
        skips the fields of fieldsets.
        """
        widgets = dict(self.widgets.items())
        for group in self.groups:
            widgets.update(group.widgets.items())
        for name, message in errors.items():
            if name == FORM_ERROR_MARKER:
                self.formErrorsMessage = message
                continue
            widget = widgets.get(name)
            if widget is None:
                continue
            error = ValidationError()
            error.doc = lambda message=message: message
            snippet = getMultiAdapter(
                (error, self.request, widget, widget.field, self, self.context), IErrorViewSnippet
            )
            snippet.update()
            self.widgets.errors += (snippet,)
            widget.error = snippet
        self.status = self.formErrorsMessage


class RequestEasyFormView(EasyFormFormWrapper):
    form = RequestEasyForm
    problems_template = ViewPageTemplateFile("templates/problems.pt")

    def problems(self):
        """(action title, problem) for each enabled "Create service request" action."""
        if not api.user.has_permission("Modify portal content", obj=self.context):
            return []
        return [
            (action.title, problem)
            for _name, action in getFieldsInOrder(get_actions(self.context))
            if ICreateServiceRequest.providedBy(action) and action.required
            for problem in action.problems()
        ]

    def update(self):
        """The form, below what its editors must fix (easyform's layout has no viewlets)."""
        super().update()
        problems = self.problems() if self.contents else []
        if problems:
            self.contents = self.problems_template(problems=problems) + self.contents
