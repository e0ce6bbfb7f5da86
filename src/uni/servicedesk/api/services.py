"""Rules of the service catalog: unique codes, who may request what and when, search."""

from dataclasses import dataclass
from plone import api
from uni.servicedesk import _
from uni.servicedesk.content.behaviors import IRequestAvailability
from uni.servicedesk.content.fields import service_code_in_use  # noqa: F401 (public here)
from uni.servicedesk.localization import format_date
from uni.servicedesk.localization import normalize_text
from uni.servicedesk.vocabularies import AUDIENCES_RECORD
from uni.servicedesk.vocabularies import PUBLIC_AUDIENCE
from uni.servicedesk.vocabularies import registry_entries

import datetime


SERVICE_TYPE = "Service"


def find_service(uid=None, code=None, visible_only=False):
    """The one way to find a service: by UID, else by service code (any case, Persian
    digits accepted). ``visible_only``: only if the current user may view it (what a
    channel offering it to people needs); otherwise whoever asks (callers check access).
    None when there is no such service."""
    query = None
    if uid:
        query = {"UID": str(uid)}
    elif code:
        query = {"service_code": normalize_text(str(code)).strip().upper()}
    if query is None:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type=SERVICE_TYPE, **query)
    if not brains:
        return None
    service = brains[0]._unrestrictedGetObject()
    if visible_only and not api.user.has_permission("View", obj=service):
        return None
    return service


def service_by_uid(uid):
    """The service with this UID, whoever asks (callers check access); None if none."""
    return find_service(uid=uid)


@dataclass(frozen=True)
class Availability:
    """Whether the current visitor may request a service now, and if not, why."""

    allowed: bool
    reason: str = ""  # a translatable message; empty when allowed
    code: str = "ok"  # machine-readable: ok, switched_off, not_yet_open, closed, login, audience


def user_audiences(user=None):
    """The audience tokens the given (or current) user belongs to."""
    tokens = {PUBLIC_AUDIENCE}
    if user is None:
        user = None if api.user.is_anonymous() else api.user.get_current()
    if user is None:
        return tokens
    group_ids = set(user.getGroups() or [])
    for token, _fa, _en in registry_entries(AUDIENCES_RECORD):
        if token in group_ids:
            tokens.add(token)
    return tokens


def _audience_titles(tokens, language):
    titles = {
        token: (fa if language == "fa" else en)
        for token, fa, en in registry_entries(AUDIENCES_RECORD)
    }
    separator = "، " if language == "fa" else ", "
    return separator.join(titles.get(token, token) for token in tokens)


def request_availability(service, user=None, today=None, language=None):
    """Decide if a request button may be offered for ``service`` to ``user`` today.

    ``service`` is anything with the request availability behavior (a service, an
    appointment calendar); without it, nothing may be requested.
    """
    today = today or datetime.date.today()
    language = language or (api.portal.get_current_language() or "fa").split("-")[0]
    settings = IRequestAvailability(service, None)
    if settings is None or not settings.available:
        return Availability(False, _("This service is not offered at the moment."), "switched_off")
    start = settings.available_from
    if start and today < start:
        return Availability(
            False,
            _(
                "Requests for this service open on ${date}.",
                mapping={"date": format_date(start, language)},
            ),
            "not_yet_open",
        )
    end = settings.available_until
    if end and today > end:
        return Availability(
            False,
            _(
                "Requests for this service closed on ${date}.",
                mapping={"date": format_date(end, language)},
            ),
            "closed",
        )
    allowed_audiences = list(settings.request_audiences or [])
    if allowed_audiences and PUBLIC_AUDIENCE not in allowed_audiences:
        anonymous = user is None and api.user.is_anonymous()
        names = _audience_titles(allowed_audiences, language)
        if anonymous:
            return Availability(
                False,
                _(
                    "This service is only for ${audiences}. Log in to request it.",
                    mapping={"audiences": names},
                ),
                "login",
            )
        if not user_audiences(user) & set(allowed_audiences):
            return Availability(
                False,
                _("This service is only for ${audiences}.", mapping={"audiences": names}),
                "audience",
            )
    return Availability(True)


def search_services(
    container=None, text=None, category=None, audience=None, sort_on="sortable_title"
):
    """Catalog brains of the services the current user may see, filtered.

    ``text`` matches title, description, the card's text and its FAQ questions and answers
    (see indexers.py); Persian and Arabic letter forms and digits are treated alike.
    """
    query = {"portal_type": "Service", "sort_on": sort_on}
    if container is not None:
        query["path"] = "/".join(container.getPhysicalPath())
    if category:
        query["service_category"] = category
    if audience:
        query["service_audiences"] = audience
    words = search_words(text)
    if words:
        # Every word must match; a trailing * lets "گواه" find "گواهی".
        query["SearchableText"] = " AND ".join(word + "*" for word in words)
    return api.portal.get_tool("portal_catalog")(**query)


_OPERATORS = {"and", "or", "not", "near"}


def search_words(text):
    """The words of a search box, safe for ZCTextIndex (no operators or syntax)."""
    cleaned = "".join(" " if ch in '"()*?-+' else ch for ch in normalize_text(text or ""))
    return [word for word in cleaned.lower().split() if word not in _OPERATORS]
