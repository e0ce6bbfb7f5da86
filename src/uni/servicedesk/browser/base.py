"""What our pages share: the UI language and Persian-first formatting."""

from plone import api
from DateTime import DateTime
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from uni.servicedesk.api.requests.records import state_title as request_state_title
from uni.servicedesk.localization import format_date
from uni.servicedesk.localization import format_number
from uni.servicedesk.localization import localize_digits
from uni.servicedesk import _
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

import datetime


class Formatting:
    """The UI language and Persian-first formatting, for any view (pages, forms, viewlets)."""

    form_answers = ViewPageTemplateFile("templates/form_answers.pt")

    @property
    def language(self):
        return (api.portal.get_current_language() or "fa").split("-")[0]

    @property
    def english(self):
        return self.language != "fa"

    def title_of(self, item):
        """Title in the UI language (a brain or an object); Persian is the fallback."""
        english = item.title_en if self.english else None
        return english or (item.Title() if callable(item.Title) else item.Title)

    def description_of(self, item):
        english = item.description_en if self.english else None
        return english or (item.Description() if callable(item.Description) else item.Description)

    def date(self, value):
        return format_date(value, self.language)

    def number(self, value):
        return format_number(value, self.language)

    def digits(self, value):
        return localize_digits(value, self.language)

    def answer_text(self, value):
        """One answer of a form as text: Jalali dates, local digits, yes/no, lists."""
        if isinstance(value, bool):
            return translate(_("Yes") if value else _("No"), context=self.request)
        if isinstance(value, (datetime.date, DateTime)):
            return self.date(value)
        if isinstance(value, (list, tuple)):
            return (", " if self.english else "، ").join(self.answer_text(item) for item in value)
        return self.digits(value) if isinstance(value, (int, float)) else str(value)

    def vocabulary(self, name):
        return getUtility(IVocabularyFactory, name)(self.context)

    def term_title(self, vocabulary, token):
        """The title of ``token`` in ``vocabulary`` (a vocabulary object), or the token."""
        if token is None:
            return ""
        try:
            return vocabulary.getTerm(token).title or token
        except LookupError:
            return token

    def state_title(self, state):
        """The translated title of a request's workflow state."""
        return request_state_title(state)

    def kind_title(self, kind):
        return self.term_title(self.vocabulary("uni.servicedesk.RequestKinds"), kind)

    def event_title(self, entry):
        return translate(EVENT_TITLES.get(entry["event"], entry["event"]), context=self.request)


class ServicedeskView(Formatting, BrowserView):
    """Base of our pages."""


EVENT_TITLES = {
    "submitted": _("Registered"),
    "referred": _("Referred"),
    "reply": _("Reply from the desk"),
    "note": _("Internal note"),
    "documents_requested": _("Documents requested"),
    "applicant_reply": _("Message from the applicant"),
    "delivered": _("Result delivered"),
    "transition": _("Status changed"),
    "appointment": _("Appointment booked"),
    "escalated": _("Escalated"),
    "anonymised": _("Personal data erased"),
}
