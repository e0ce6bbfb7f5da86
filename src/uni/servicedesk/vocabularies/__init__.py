"""Vocabularies of the service identity card.

Categories and audiences are kept in the registry (editable in the control panel);
the others are fixed by the Iranian service identity card standard.
"""

from plone import api
from uni.servicedesk import _
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.interfaces import ValidationError
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import re
from uni.servicedesk.channels.sms import ISMSGateway
from zope.component import getUtilitiesFor

TOKEN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CATEGORIES_RECORD = "uni.servicedesk.service_categories"
AUDIENCES_RECORD = "uni.servicedesk.service_audiences"
PUBLIC_AUDIENCE = "public"
ORG_UNIT_PREFIX = "unit-"


class InvalidRows(ValidationError):
    """Rows of a setting that cannot be kept; the message says which and why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message


def registry_entries(record):
    """The rows of categories or audiences as (token, Persian title, English title), in
    their order. The one reader of these settings: rows ``{"token", "title_fa",
    "title_en"}`` in the registry (see ``interfaces.ENTRY_ROWS``); the English title falls
    back to the Persian one."""
    rows = api.portal.get_registry_record(record, default=None) or []
    return [
        (row["token"], row["title_fa"], row.get("title_en") or row["title_fa"])
        for row in rows
        if row.get("token") and row.get("title_fa")
    ]


def check_token(token):
    if not TOKEN_PATTERN.match(token or ""):
        raise InvalidRows(
            _(
                "${token} is not a token: use only a-z, 0-9, _ and -, starting "
                "with a letter or a digit.",
                mapping={"token": token or ""},
            )
        )
    return True


def check_entries(rows):
    """Rows of categories or audiences: each with a token used once and a Persian title.
    Raises ``InvalidRows`` with a translatable message; rows that are not objects are left
    to the JSON schema."""
    seen = set()
    for row in rows if isinstance(rows, list) else ():
        if not isinstance(row, dict):
            continue
        token = row.get("token")
        check_token(token if isinstance(token, str) else "")
        if not str(row.get("title_fa") or "").strip():
            raise InvalidRows(
                _("The row of ${token} needs a Persian title.", mapping={"token": token})
            )
        if token in seen:
            raise InvalidRows(
                _("The token ${token} is used by more than one row.", mapping={"token": token})
            )
        seen.add(token)
    return True


def _current_language():
    try:
        return (api.portal.get_current_language() or "fa").split("-")[0]
    except Exception:  # no request (scripts): the site's language is Persian
        return "fa"


def entries_vocabulary(record):
    english = _current_language() != "fa"
    terms = [
        SimpleTerm(token, token, en if english else fa)
        for token, fa, en in registry_entries(record)
    ]
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def categories_vocabulary(context):
    return entries_vocabulary(CATEGORIES_RECORD)


@provider(IVocabularyFactory)
def audiences_vocabulary(context):
    return entries_vocabulary(AUDIENCES_RECORD)


@provider(IVocabularyFactory)
def org_units_vocabulary(context):
    """Organisational units: the groups whose id starts with ``unit-``."""
    terms = []
    for group in api.group.get_groups():
        group_id = group.getId()
        if group_id.startswith(ORG_UNIT_PREFIX):
            title = group.getProperty("title") or group_id
            terms.append(SimpleTerm(group_id, group_id, title))
    terms.sort(key=lambda term: term.title)
    return SimpleVocabulary(terms)


def _fixed(*items):
    @provider(IVocabularyFactory)
    def factory(context):
        return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in items])

    return factory


service_types_vocabulary = _fixed(
    ("g2c", _("Government to citizen (G2C)")),
    ("g2b", _("Government to business (G2B)")),
    ("g2g", _("Government to government (G2G)")),
    ("internal", _("Internal")),
)

start_triggers_vocabulary = _fixed(
    ("applicant_request", _("The applicant's request")),
    ("event", _("A specific event")),
    ("schedule", _("A set time")),
    ("organisation", _("The organisation's decision")),
)

frequencies_vocabulary = _fixed(
    ("on_demand", _("On demand")),
    ("once", _("Once")),
    ("each_term", _("Each academic term")),
    ("yearly", _("Yearly")),
    ("monthly", _("Monthly")),
)

channels_vocabulary = _fixed(
    ("online", _("Online")),
    ("in_person", _("In person")),
    ("phone", _("Phone")),
    ("sms", _("SMS")),
    ("email", _("Email")),
)

delivery_vocabulary = _fixed(
    ("electronic", _("Electronic")),
    ("in_person", _("In person")),
    ("post", _("By post")),
)

request_kinds_vocabulary = _fixed(
    ("request", _("Service request")),
    ("support", _("Support request")),
    ("incident", _("Incident")),
    ("complaint", _("Complaint")),
    ("suggestion", _("Suggestion")),
    ("criticism", _("Criticism")),
    ("question", _("Question")),
    ("appreciation", _("Appreciation")),
)

request_channels_vocabulary = _fixed(
    ("web", _("Website")),
    ("form", _("Electronic form")),
    ("rest", _("Web service")),
    ("email", _("Email")),
    ("sms", _("SMS")),
    ("phone", _("Phone")),
    ("in_person", _("In person")),
)

priorities_vocabulary = _fixed(
    ("low", _("Low")),
    ("normal", _("Normal")),
    ("high", _("High")),
    ("urgent", _("Urgent")),
)

notify_channels_vocabulary = _fixed(
    ("email", _("Email")),
    ("sms", _("SMS")),
)


@provider(IVocabularyFactory)
def service_codes_vocabulary(context):
    """Every service by its code (a form may serve a service not yet published)."""
    catalog = api.portal.get_tool("portal_catalog")
    terms = [
        SimpleTerm(brain.service_code, brain.service_code, f"{brain.service_code} — {brain.Title}")
        for brain in catalog.unrestrictedSearchResults(
            portal_type="Service", sort_on="service_code"
        )
        if brain.service_code
    ]
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def request_forms_vocabulary(context):
    """The forms (collective.easyform) of the site, by UID, for a service to name one."""
    catalog = api.portal.get_tool("portal_catalog")
    portal_path = len(api.portal.get().getPhysicalPath())
    terms = [
        SimpleTerm(
            brain.UID,
            brain.UID,
            "{} ({})".format(brain.Title, "/".join(brain.getPath().split("/")[portal_path:])),
        )
        for brain in catalog.unrestrictedSearchResults(
            portal_type="EasyForm", sort_on="sortable_title"
        )
    ]
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def sms_gateways_vocabulary(context):
    """The SMS gateways registered (ours: log, http, kavenegar; add-ons may add more)."""
    return SimpleVocabulary([
        SimpleTerm(name, name, gateway.title)
        for name, gateway in sorted(getUtilitiesFor(ISMSGateway))
    ])
