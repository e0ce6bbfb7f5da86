"""``@@track``: follow a request by tracking code and verifier, or by the secret link.

Anonymous applicants act here (reply, send documents, withdraw, reopen): each action is
re-verified with the code and the secret from the page, then runs with the applicant's
rights. A wrong pair says only that the pair did not match.
"""

from AccessControl import Unauthorized
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from uni.servicedesk import _
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.browser.base import ServicedeskView

ACTIONS = ("reply", "withdraw", "reopen")


class TrackView(ServicedeskView):
    found = None
    message = ""
    notice = ""

    def client(self):
        # Zope resolves X-Forwarded-For only for the proxies trusted in zope.conf: a header
        # a client sets itself must not buy it a fresh throttle.
        return self.request.getClientAddr()

    def __call__(self):
        form = self.request.form
        code = str(form.get("code", "") or "")
        verifier = str(form.get("token", "") or form.get("verifier", "") or "")
        if code and verifier:
            try:
                self.found = desk_api.verify(code, verifier, client=self.client())
            except desk_api.TooManyAttempts:
                self.request.response.setStatus(429)
                self.message = _("Too many attempts. Please wait a few minutes and try again.")
                return self.index()
            if self.found is None:
                self.request.response.setStatus(404)
                self.message = _("No request matches this tracking code and verifier.")
        action = form.get("action")
        if self.found is not None and action in ACTIONS and self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.act(action)
        return self.index()

    def act(self, action):
        request = self.found
        form = self.request.form
        files = form.get("files") or []
        if not isinstance(files, list):
            files = [files]
        try:
            with desk_api.as_applicant(request):
                if action == "reply":
                    desk_api.applicant_reply(request, str(form.get("text", "") or ""), files)
                    self.notice = _("Your message was added.")
                elif action == "withdraw":
                    desk_api.withdraw(request, str(form.get("text", "") or ""))
                    self.notice = _("Your request was withdrawn.")
                elif action == "reopen":
                    desk_api.reopen(request, str(form.get("text", "") or ""))
                    self.notice = _("Your request was reopened.")
        except InputError as error:
            self.message = error.message
            self.request.response.setStatus(400)
        except Unauthorized:  # e.g. withdrawn meanwhile: the transition is gone
            self.message = _("This action is not possible now.")
            self.request.response.setStatus(403)

    def view(self):
        return desk_api.public_view(self.found)

    def secret(self):
        return self.found.tracking_secret

    def file_url(self, attachment_id):
        return (
            f"{self.context.absolute_url()}/@@track-file?code={self.found.tracking_code}"
            f"&token={self.found.tracking_secret}&id={attachment_id}"
        )


class TrackFileView(TrackView):
    """Download an applicant document or a result, with the code and the secret."""

    def __call__(self):
        form = self.request.form
        try:
            self.found = desk_api.verify(
                str(form.get("code", "") or ""),
                str(form.get("token", "") or ""),
                client=self.client(),
            )
        except desk_api.TooManyAttempts:
            self.request.response.setStatus(429)
            return ""
        attachment = self.found.attachments.get(str(form.get("id", ""))) if self.found else None
        if attachment is None:
            self.request.response.setStatus(404)
            return ""
        return stream(self.request, attachment)


def stream(http_request, attachment):
    blob = attachment["file"]
    set_headers(blob, http_request.response, filename=blob.filename)
    return stream_data(blob)
