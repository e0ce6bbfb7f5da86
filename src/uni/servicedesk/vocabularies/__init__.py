"""Vocabularies of the service identity card.

Categories and audiences are kept in the registry (editable in the control panel);
the others are fixed by the Iranian service identity card standard.
"""
from plone import api
from uni.servicedesk import _
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import re
from uni.servicedesk.channels.sms import ISMSGateway
from zope.component import getUtilitiesFor

TOKEN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CATEGORIES_RECORD = "uni.servicedesk.categories"
AUDIENCES_RECORD = "uni.servicedesk.audiences"
PUBLIC_AUDIENCE = "public"
ORG_UNIT_PREFIX = "unit-"


def parse_entry(line):
    """``token|Persian title|English title`` -> (token, fa, en); None if malformed."""
    parts = [part.strip() for part in (line or "").split("|")]
    if len(parts) < 2 or not TOKEN_PATTERN.match(parts[0]) or not parts[1]:
        return None
    english = parts[2] if len(parts) > 2 and parts[2] else parts[1]
    return parts[0], parts[1], english


def registry_entries(record):
    """The well-formed entries of a registry list, in their order."""
    lines = api.portal.get_registry_record(record, default=None) or []
    entries = [parse_entry(line) for line in lines]
    return [entry for entry in entries if entry]


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
        for brain in catalog.unrestrictedSearchResults(portal_type="Service", sort_on="service_code")
        if brain.service_code
    ]
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def request_forms_vocabulary(context):
    """The forms (collective.easyform) of the site, by UID, for a service to name one."""
    catalog = api.portal.get_tool("portal_catalog")
    portal_path = len(api.portal.get().getPhysicalPath())
    terms = [
        SimpleTerm(brain.UID, brain.UID, "{} ({})".format(
            brain.Title, "/".join(brain.getPath().split("/")[portal_path:])))
        for brain in catalog.unrestrictedSearchResults(portal_type="EasyForm", sort_on="sortable_title")
    ]
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def sms_gateways_vocabulary(context):
    """The SMS gateways registered (ours: log, http, kavenegar; add-ons may add more)."""
    return SimpleVocabulary([
        SimpleTerm(name, name, gateway.title)
        for name, gateway in sorted(getUtilitiesFor(ISMSGateway))
    ])
