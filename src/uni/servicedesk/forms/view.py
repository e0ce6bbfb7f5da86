"""The easyform page; a submission that created a request redirects to its receipt.

Registered for our browser layer in place of easyform's own ``view``; everything else is
easyform's. Post/Redirect/Get: the request created by the "Create service request" action
is shown on ``<form>/@@request-receipt`` (code and link secret in the address), so that
reloading the receipt sends nothing again.
"""

from collective.easyform.browser.view import EasyFormForm
from collective.easyform.browser.view import EasyFormFormWrapper
from collective.easyform.api import get_actions
from collective.easyform.config import FORM_ERROR_MARKER
from plone import api
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from uni.servicedesk.api import forms as forms_api
from uni.servicedesk.api import receipts
from uni.servicedesk.browser.antispam import refusal
from uni.servicedesk.browser.requests import ReceiptMixin
from uni.servicedesk.localization import normalize_digits
from uni.servicedesk.forms.action import created_request
from uni.servicedesk.forms.action import ICreateServiceRequest
from z3c.form.interfaces import IErrorViewSnippet
from zope.component import getMultiAdapter
from zope.i18n import translate
from zope.schema import getFieldsInOrder
from zope.schema.interfaces import INumber
from zope.schema import ValidationError


class RequestEasyForm(ReceiptMixin, EasyFormForm):
    easyform_thank_you = EasyFormForm.__dict__["thank_you_template"]  # the template, unbound
    thank_you_template = ViewPageTemplateFile("templates/thank_you.pt")

    @property
    def created(self):
        return created_request(self.request)

    def update(self):
        self.read_local_digits()
        super().update()
        created = self.created
        if created is not None and not self.context.thanksPageOverride:
            # (a thanks page an editor chose for this form, redirect or page, comes instead)
            url = receipts.url(self.context.absolute_url(), receipts.REQUEST_VIEW, created)
            self.request.response.redirect(url, status=303)

    def processActions(self, fields):
        """The honeypot and the question first (visitors): refused, no action runs and
        nothing is saved, sent or created."""
        refused = refusal(self.request)
        if refused:
            return {
                FORM_ERROR_MARKER: " ".join(
                    translate(message, context=self.request) for message in refused.values()
                )
            }
        return super().processActions(fields)

    def read_local_digits(self):
        """Numbers typed with Persian or Arabic-Indic digits (text answers stay as typed)."""
        for name, field in getFieldsInOrder(self.schema):
            key = f"{self.prefix}widgets.{name}"
            value = self.request.form.get(key)
            if isinstance(value, str) and INumber.providedBy(field):
                self.request.form[key] = normalize_digits(value)

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
    closed_template = ViewPageTemplateFile("templates/closed.pt")

    def problems(self):
        """(action title, problem) for each enabled "Create service request" action."""
        if not api.user.has_permission("Modify portal content", obj=self.context):
            return []
        return [
            (action.title, problem)
            for action in self.request_actions()
            for problem in action.problems()
        ]

    def request_actions(self):
        return [
            action
            for _name, action in getFieldsInOrder(get_actions(self.context))
            if ICreateServiceRequest.providedBy(action) and action.required
        ]

    def closed_reasons(self):
        """Why the visitor cannot send the request now (the window, the audience, log in)."""
        reasons = [
            forms_api.why_not_open(action, self.context) for action in self.request_actions()
        ]
        return [reason for reason in reasons if reason]

    def update(self):
        """The form, below what its editors must fix (easyform's layout has no viewlets)
        and why the visitor cannot send it now, if so."""
        super().update()
        if not self.contents:
            return
        box = ""
        problems = self.problems()
        if problems:
            box += self.problems_template(problems=problems)
        contents = self.contents
        if not self.form_instance.thanksPage:
            reasons = self.closed_reasons()
            if reasons:
                box += self.closed_template(reasons=reasons)
            contents = self.with_antispam(contents)
        self.contents = box + contents

    def with_antispam(self, contents):
        """The honeypot (and the question) inside the form, before its end."""
        fields = getMultiAdapter((self.context, self.request), name="servicedesk-antispam")()
        if not fields or "</form>" not in contents:
            return contents
        head, tail = contents.rsplit("</form>", 1)
        return f"{head}{fields}</form>{tail}"
