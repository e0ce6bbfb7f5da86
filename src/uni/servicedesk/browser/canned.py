"""``@@canned-responses``: supervisors keep the ready texts experts start replies from."""

from html import escape
from plone import api
from plone.protect import CheckAuthenticator
from uni.servicedesk import _
from uni.servicedesk.api.requests import canned as canned_api
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.vocabularies import org_units_vocabulary
from zope.i18n import translate

import re


class CannedResponsesView(ServicedeskView):
    message = ""
    notice = ""
    error_field = ""
    failed_id = ""  # the item whose edit failed: its form shows what was typed

    def __call__(self):
        form = self.request.form
        action = str(form.get("action", "") or "")
        if action and self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.act(action, form)
        return self.index()

    def act(self, action, form):
        canned_id = str(form.get("id", "") or "")
        values = [str(form.get(name, "") or "") for name in ("title", "text", "scope")]
        try:
            if action == "add":
                canned_api.add_canned(*values)
                self.notice = _("The canned response was added.")
            elif action == "update":
                self.failed_id = canned_id
                canned_api.update_canned(canned_id, *values)
                self.notice = _("Changes saved.")
            elif action == "remove":
                canned_api.remove_canned(canned_id)
                self.notice = _("The canned response was removed.")
            else:
                self.message = _("Unknown action.")
                self.request.response.setStatus(400)
                return
        except InputError as error:
            self.message = error.message
            self.error_field = error.field
            self.request.response.setStatus(400)
            return
        self.failed_id = ""
        self.request.form.update({"title": "", "text": "", "scope": ""})

    def typed(self, name, item=None):
        """What the form shows: the typed value after an error, else the stored one."""
        if item is None:
            return "" if self.notice else str(self.request.form.get(name, "") or "")
        if self.message and item["id"] == self.failed_id:
            return str(self.request.form.get(name, "") or "")
        return item[name]

    def items(self):
        return [
            dict(item, scope_title=self.scope_title(item["scope"]))
            for item in canned_api.all_canned()
        ]

    def services(self):
        catalog = api.portal.get_tool("portal_catalog")
        return [
            (brain.UID, brain.Title)
            for brain in catalog(portal_type="Service", sort_on="sortable_title")
        ]

    def units(self):
        return [(term.value, term.title) for term in org_units_vocabulary(self.context)]

    def scope_title(self, scope):
        if not scope:
            return self.translate(_("Every request"))
        for value, title in self.units():
            if value == scope:
                return title
        brain = canned_api.service_scope(scope)
        return brain.Title if brain is not None else scope

    def display(self, text):
        """The text as HTML, each ``${variable}`` kept left-to-right inside Persian text."""
        return re.sub(
            r"\$\{\w+\}", lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', escape(text, quote=False)
        )

    def translate(self, message):
        return translate(message, context=self.request)
