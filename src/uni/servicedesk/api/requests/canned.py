"""Canned responses: ready texts experts start a reply from.

Kept in the site's annotations (``IAnnotations(portal)[ANNOTATION_KEY]``, an OOBTree id ->
dict(id, title, text, scope)). ``scope`` says where a text is offered: "" everywhere, a
service's UID for that service's requests, a unit's group id (``unit-…``) for the requests
referred or addressed to that unit. A text may use ``${name}``, ``${code}`` and
``${service}``, filled in for the request when it is chosen.
"""

from AccessControl import Unauthorized
from BTrees.OOBTree import OOBTree
from plone import api
from string import Template
from uni.servicedesk import _
from uni.servicedesk.api.requests.records import WORK
from uni.servicedesk.api.requests.records import applicant_language
from uni.servicedesk.api.requests.records import require
from uni.servicedesk.api.requests.records import service_title
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.localization import localize_digits
from uni.servicedesk.vocabularies import ORG_UNIT_PREFIX
from zope.annotation.interfaces import IAnnotations

import uuid

ANNOTATION_KEY = "uni.servicedesk.canned"
MANAGE = "uni.servicedesk: Manage canned responses"
TITLE_LENGTH = 200
TEXT_LENGTH = 10000
VARIABLES = ("name", "code", "service")


def _storage(create=False):
    annotations = IAnnotations(api.portal.get())
    store = annotations.get(ANNOTATION_KEY)
    if store is None and create:
        store = annotations[ANNOTATION_KEY] = OOBTree()
    return store


def may_manage():
    return bool(api.user.has_permission(MANAGE, obj=api.portal.get()))


def _require_manage():
    if not may_manage():
        raise Unauthorized("manage canned responses")


def _sorted(items):
    return sorted((dict(item) for item in items), key=lambda c: (c["title"].casefold(), c["id"]))


def all_canned():
    """Every canned response, by title (for the page that manages them)."""
    _require_manage()
    return _sorted((_storage() or {}).values())


def get_canned(canned_id):
    item = (_storage() or {}).get(str(canned_id or ""))
    return dict(item) if item is not None else None


def service_scope(uid):
    """The service with this UID, or None."""
    brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        UID=uid, portal_type="Service"
    )
    return brains[0] if brains else None


def _checked(title, text, scope):
    title = " ".join((title or "").split())[:TITLE_LENGTH]
    text = (text or "").strip()[:TEXT_LENGTH]
    scope = (scope or "").strip()
    if not title:
        raise InputError("title", _("Give the canned response a title."))
    if not text:
        raise InputError("text", _("Write the text of the canned response."))
    if scope:
        if scope.startswith(ORG_UNIT_PREFIX):
            valid = api.group.get(groupname=scope) is not None
        else:
            valid = service_scope(scope) is not None
        if not valid:
            raise InputError("scope", _("Choose where it is offered from the list."))
    return {"title": title, "text": text, "scope": scope}


def add_canned(title, text, scope=""):
    """A new canned response; returns its id."""
    _require_manage()
    item = _checked(title, text, scope)
    item["id"] = uuid.uuid4().hex[:12]
    _storage(create=True)[item["id"]] = item
    return item["id"]


def update_canned(canned_id, title, text, scope=""):
    _require_manage()
    if get_canned(canned_id) is None:
        raise InputError("canned", _("This canned response does not exist."))
    item = _checked(title, text, scope)
    item["id"] = str(canned_id)
    _storage()[item["id"]] = item  # a new dict: the BTree stores the change


def remove_canned(canned_id):
    _require_manage()
    if get_canned(canned_id) is None:
        raise InputError("canned", _("This canned response does not exist."))
    del _storage()[str(canned_id)]


def scopes_of(request):
    """The scopes whose texts fit ``request``: everyone, its service, its units."""
    scopes = {""}
    for value in (request.service_uid, request.referred_unit, request.target_unit):
        if value:
            scopes.add(value)
    return scopes


def canned_for(request):
    """The canned responses offered on ``request``, by title (for those who work it)."""
    require(WORK, request)
    scopes = scopes_of(request)
    return _sorted(c for c in (_storage() or {}).values() if c["scope"] in scopes)


def filled(request, canned_id):
    """The text of a canned response offered on ``request``, variables filled in for it
    (as the applicant's notifications show them); None if it is not offered there."""
    item = next((c for c in canned_for(request) if c["id"] == str(canned_id or "")), None)
    if item is None:
        return None
    language = applicant_language(request)
    values = {
        "name": request.applicant_name or "",
        "code": localize_digits(request.tracking_code, language),
        "service": service_title(request, language),
    }
    return Template(item["text"]).safe_substitute(values)
