"""Request pages: submit (a service's form and the general form), receipt, my requests.

Thin: they read the form, call ``uni.servicedesk.api.requests`` and show its answer. A
submission that creates a request redirects to its receipt (Post/Redirect/Get): reloading
the receipt does not send the form again.
"""

from plone import api
from plone.batching import Batch
from plone.protect import CheckAuthenticator
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from uni.servicedesk import _
from uni.servicedesk.api import receipts
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.services import request_availability
from uni.servicedesk.api.forms import request_form
from uni.servicedesk.api.tracking import TooManyAttempts
from uni.servicedesk.api.transactions import committed
from uni.servicedesk.browser.antispam import AntispamMixin
from uni.servicedesk.browser.base import Formatting
from uni.servicedesk.browser.base import ServicedeskView
from uni.servicedesk.content.service_request import KINDS_OF_FEEDBACK
from uni.servicedesk.vocabularies import org_units_vocabulary
from zope.i18n import translate

APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_national_code",
    "applicant_number",
    "applicant_email",
    "applicant_mobile",
)


class ReceiptMixin(Formatting):
    """The receipt of a request just created (``self.created``): code, due date, link."""

    receipt_card = ViewPageTemplateFile("templates/receipt_card.pt")
    created = None

    def receipt(self):
        request = self.created
        service = desk_api.service_of(request)
        return {
            "code": request.tracking_code,
            "digits": self.digits(request.tracking_code),
            "subject": request.subject,
            "service": self.title_of(service) if service is not None else "",
            "due": self.date(request.due_date),
            "fee": self.number(service.fee) if service is not None and service.fee else "",
            "link": desk_api.tracking_url(request),
            "mobile": request.applicant_mobile,
            "email": request.applicant_email,
            "own": request.applicant_user is not None,
            "url": request.absolute_url(),
        }


def redirect_to_receipt(http_request, base_url, view, holder):
    """303 See Other to the receipt of what this POST created (the browser GETs it)."""
    http_request.response.redirect(receipts.url(base_url, view, holder), status=303)
    return ""


class SubmitFormMixin(AntispamMixin, ReceiptMixin):
    """Reading a submission form, showing its errors, sending to the receipt."""

    errors = None

    def form_value(self, name, default=""):
        value = self.request.form.get(name)
        if value is None and self.request.method != "POST":
            return self.prefill().get(name, default)
        return value if value is not None else default

    def prefill(self):
        """A logged-in applicant's details, filled in for them."""
        return desk_api.account_details()

    def error(self, name):
        message = (self.errors or {}).get(name)
        return translate(message, context=self.request) if message else ""

    def data(self):
        form = self.request.form
        data = {name: str(form.get(name, "") or "") for name in APPLICANT_FIELDS}
        channels = form.get("notify_channels") or []
        data["notify_channels"] = [channels] if isinstance(channels, str) else list(channels)
        for name in ("kind", "subject", "body", "target_unit"):
            data[name] = str(form.get(name, "") or "")
        return data

    def uploads(self, prefix):
        form = self.request.form
        return {
            int(key[len(prefix) :]): value
            for key, value in form.items()
            if key.startswith(prefix) and key[len(prefix) :].isdigit()
        }

    def handle(self, service=None):
        if self.request.method != "POST" or "form.submitted" not in self.request.form:
            return None
        CheckAuthenticator(self.request)
        refused = self.antispam_refusal()
        if refused:
            self.errors = refused
            self.request.response.setStatus(400)
            return None
        extra = self.request.form.get("extra_documents") or []
        if not isinstance(extra, list):
            extra = [extra]
        try:
            self.created = committed(
                desk_api.submit,
                self.data(),
                service=service,
                documents=self.uploads("document-"),
                extra_documents=extra,
            )
        except desk_api.SubmissionError as error:
            self.errors = error.errors
            self.request.response.setStatus(429 if error.too_many else 400)
            return None
        portal_url = api.portal.get().absolute_url()
        return redirect_to_receipt(self.request, portal_url, receipts.REQUEST_VIEW, self.created)


class RequestReceiptView(ReceiptMixin, ServicedeskView):
    """``@@request-receipt?code=…&token=…``: the receipt of a request just submitted, for
    whoever holds its link secret (see ``uni.servicedesk.api.receipts``). Reads only."""

    message = None

    def __call__(self):
        for name, value in receipts.PRIVATE_HEADERS.items():
            self.request.response.setHeader(name, value)
        form = self.request.form
        try:
            self.created = receipts.verify(
                str(form.get("code", "") or ""),
                str(form.get("token", "") or ""),
                desk_api.find_by_code,
                client=self.request.getClientAddr(),
            )
        except TooManyAttempts:
            self.request.response.setStatus(429)
            self.message = _("Too many attempts. Please wait a few minutes and try again.")
        else:
            if self.created is None:
                self.request.response.setStatus(404)
                self.message = _(
                    "No receipt matches this link. Follow your request on the "
                    "tracking page with its code."
                )
        return self.index()

    def track_url(self):
        return f"{api.portal.get().absolute_url()}/@@track"


class RequestServiceView(SubmitFormMixin, ServicedeskView):
    """``@@request-service`` on a service: the request form with its document slots."""

    def __call__(self):
        form = request_form(self.context)
        if form is not None and self.request.method == "GET":  # the service's own form
            return self.request.response.redirect(form.absolute_url())
        self.availability = request_availability(self.context, language=self.language)
        self.anonymous = api.user.is_anonymous()
        result = self.handle(service=self.context)
        return result if result is not None else self.index()

    @property
    def open_to_visitor(self):
        return self.availability.allowed and (
            not self.anonymous or desk_api.anonymous_may_request(self.context)
        )

    def document_slots(self):
        return [
            {"index": index, "label": label, "error": self.error(f"document-{index}")}
            for index, label in enumerate(self.context.required_documents or [])
        ]


class ContactView(SubmitFormMixin, ServicedeskView):
    """``@@contact``: complaints, suggestions, criticism, questions, appreciation."""

    kinds = KINDS_OF_FEEDBACK

    def __call__(self):
        self.anonymous = api.user.is_anonymous()
        service = self.chosen_service()
        result = self.handle(service=service)
        return result if result is not None else self.index()

    def chosen_service(self):
        uid = str(self.request.form.get("service_uid", "") or "")
        if not uid:
            return None
        brains = api.content.find(UID=uid, portal_type="Service")
        return brains[0].getObject() if brains else None

    def kind_terms(self):
        vocabulary = self.vocabulary("uni.servicedesk.RequestKinds")
        return [vocabulary.getTerm(kind) for kind in self.kinds]

    def services(self):
        return api.content.find(portal_type="Service", sort_on="sortable_title")

    def units(self):
        return list(org_units_vocabulary(self.context))


class MyRequestsView(ServicedeskView):
    """``@@my-requests``: the logged-in applicant's requests, newest first, batched."""

    b_size = 20

    def __call__(self):
        start = str(self.request.form.get("b_start", "0"))
        self.b_start = int(start) if start.isdigit() else 0
        self.brains = desk_api.my_requests(b_start=self.b_start, b_size=self.b_size)
        return self.index()

    def batch(self):
        return Batch(self.brains, self.b_size, self.b_start)
