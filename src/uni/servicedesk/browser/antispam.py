"""A honeypot and an optional question on the forms visitors send without logging in.

The honeypot is a text field that people never see (``.servicedesk-hp`` moves it off the
page; no inline style, so the page policy needs no exception): a visitor's form sends it
empty, most spam robots fill it in or post without it. The question is a small sum in the
visitor's language (off by default, *Security of the public desk*), signed with the site's
keyring secret and checked on the server: no outside service.

Our forms render ``@@servicedesk-antispam`` inside their ``<form>`` and call ``refusal``
before doing anything; EasyForm forms get both through ``forms.view``. Logged-in users are
not asked (they are known), and the REST API is limited by the creation limits instead.
"""

from plone import api
from plone.keyring.interfaces import IKeyManager
from Products.Five.browser import BrowserView
from uni.servicedesk import _
from uni.servicedesk.localization import localize_digits
from uni.servicedesk.localization import normalize_digits
from zope.component import getMultiAdapter
from zope.component import queryUtility
from zope.i18n import translate

import hashlib
import hmac
import secrets
import time

HONEYPOT = "website"
ANSWER = "challenge_answer"
TOKEN = "challenge_token"
TOKEN_SECONDS = 2 * 3600

FILLED = _(
    "Your form was not accepted: it looks as if a program filled it in. "
    "If you are a person, open the page again and send it."
)
MISSING = _(
    "Your form was not accepted: it was not sent from this site's page. "
    "Open the page again and send it."
)
WRONG_ANSWER = _("The answer to the question is not right; please try again.")


def challenge_on():
    return bool(
        api.portal.get_registry_record("uni.servicedesk.security.question_challenge", default=False)
    )


def _signature(first, second, issued):
    manager = queryUtility(IKeyManager)
    secret = manager.secret() if manager is not None else "uni.servicedesk"
    text = f"{first}+{second}|{issued}".encode()
    return hmac.new(secret.encode("utf-8"), text, hashlib.sha256).hexdigest()[:32]


def new_question():
    """(first, second, token) of a fresh sum."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    issued = int(time.time())
    return first, second, f"{first}.{second}.{issued}.{_signature(first, second, issued)}"


def answer_is_right(token, answer):
    try:
        first, second, issued, signature = str(token or "").split(".")
        first, second, issued = int(first), int(second), int(issued)
    except ValueError:
        return False
    if not hmac.compare_digest(signature, _signature(first, second, issued)):
        return False
    if not 0 <= time.time() - issued <= TOKEN_SECONDS:
        return False
    return normalize_digits(str(answer or "")).strip() == str(first + second)


def refusal(request):
    """Why an anonymous POST of one of our forms is refused: {field: message}, or {}."""
    if request.get("REQUEST_METHOD", "GET").upper() != "POST" or not api.user.is_anonymous():
        return {}
    form = request.form
    if HONEYPOT not in form:
        return {"form": MISSING}
    value = form.get(HONEYPOT)
    if "".join(value) if isinstance(value, list) else value:
        return {"form": FILLED}
    if challenge_on() and not answer_is_right(form.get(TOKEN), form.get(ANSWER)):
        return {"challenge": WRONG_ANSWER}
    return {}


class AntispamFields(BrowserView):
    """``@@servicedesk-antispam``: the honeypot, and the question when it is on, for
    visitors who are not logged in (nothing for users who are)."""

    error = ""

    def __call__(self, error=""):
        if not api.user.is_anonymous():
            return ""
        self.error = error
        self.question = None
        if challenge_on():
            first, second, self.token = new_question()
            language = (api.portal.get_current_language() or "fa").split("-")[0]
            self.question = _(
                "How much is ${first} plus ${second}?",
                mapping={
                    "first": localize_digits(first, language),
                    "second": localize_digits(second, language),
                },
            )
        return self.index()

    @property
    def honeypot(self):
        return HONEYPOT

    @property
    def answer_name(self):
        return ANSWER

    @property
    def token_name(self):
        return TOKEN


class AntispamMixin:
    """For our views of visitors' forms: render the fields, check a POST."""

    def antispam_fields(self):
        fields = getMultiAdapter((self.context, self.request), name="servicedesk-antispam")
        message = (getattr(self, "errors", None) or {}).get("challenge")
        return fields(error=translate(message, context=self.request) if message else "")

    def antispam_refusal(self):
        return refusal(self.request)
