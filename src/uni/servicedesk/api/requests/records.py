"""Where requests live, who acts on them, and what they hold: the ground every other
module of the requests capability stands on."""

from AccessControl import Unauthorized
from DateTime import DateTime
from plone import api
from plone.namedfile.file import NamedBlobFile
from uni.servicedesk.api import tracking
from uni.servicedesk.api.services import service_by_uid
from uni.servicedesk.content.service_request import KINDS_FOR_A_SERVICE
from uni.servicedesk.content.service_request import KINDS_OF_FEEDBACK
from uni.servicedesk.localization import desk_language
from zope.annotation.interfaces import IAnnotations
from zope.globalrequest import getRequest
from zope.i18n import translate

import contextlib
import uuid

REQUESTS_FOLDER_ID = "requests"
PORTAL_TYPE = "ServiceRequest"
HANDLER_ROLE = "Request Handler"
REFER = "uni.servicedesk: Refer request"
WORK = "uni.servicedesk: Work on request"
AS_APPLICANT = "uni.servicedesk: Act as applicant"
INTERNAL = "uni.servicedesk: View internal notes"
ACTIVE_STATES = ("submitted", "assigned", "in_progress", "awaiting_applicant")
KINDS = KINDS_FOR_A_SERVICE + KINDS_OF_FEEDBACK


def requests_folder():
    portal = api.portal.get()
    return portal[REQUESTS_FOLDER_ID]


def find_by_code(code):
    """The request with this tracking code, whoever asks (callers check access)."""
    code = tracking.normalize_code(code)
    if code is None:
        return None
    folder = requests_folder()
    return folder._getOb(code, None)


class RequestCodes:
    """The requests' share of the tracking codes (an ``ITrackingCodeHolder`` utility)."""

    def find(self, code):
        return find_by_code(code)


def state(request):
    return api.content.get_state(request)


def state_title(state_id, language=None):
    """The translated title of a request's workflow state (in ``language``, else the
    language of the current page)."""
    workflow = api.portal.get_tool("portal_workflow")
    title = workflow.getTitleForStateOnType(state_id, PORTAL_TYPE)
    if language:
        return translate(title, domain="plone", target_language=language)
    return translate(title, domain="plone", context=getRequest())


# -- who acts ------------------------------------------------------------------------------


def current_user():
    return None if api.user.is_anonymous() else api.user.get_current()


def actor():
    """(user id, full name) of whoever acts now; ("", "") for a visitor."""
    if api.user.is_anonymous():
        return "", ""
    user = api.user.get_current()
    return user.getId(), user.getProperty("fullname") or user.getId()


def require(permission, request):
    if not api.user.has_permission(permission, obj=request):
        raise Unauthorized(f"{permission} on {request.getId()}")


@contextlib.contextmanager
def as_applicant(request):
    """Act with the applicant's rights (after the tracking code and verifier matched)."""
    with api.env.adopt_roles(
        ["Owner", "Authenticated"] if not api.user.is_anonymous() else ["Owner"]
    ):
        yield


def grant_handler(request, principal):
    """``principal`` handles the request (the local role *Request Handler*)."""
    roles = set(dict(request.get_local_roles()).get(principal, ()))
    if HANDLER_ROLE not in roles:
        request.manage_setLocalRoles(principal, sorted(roles | {HANDLER_ROLE}))


def revoke_handler(request, principal):
    roles = [r for r in dict(request.get_local_roles()).get(principal, ()) if r != HANDLER_ROLE]
    if roles:
        request.manage_setLocalRoles(principal, roles)
    else:
        request.manage_delLocalRoles([principal])


def roles_changed(request):
    """After changing local roles: forget the cached ones and reindex who may see it.

    borg.localrole caches roles per HTTP request. A request has no children, so the
    reindexing is CMF's reindexObjectSecurity without its path search: that search
    intersects the sets of every object under the site and under the requests folder, a
    cost that grows with the archive."""
    http_request = getRequest()
    if http_request is not None:
        annotations = IAnnotations(http_request)
        for key in [k for k in list(annotations) if str(k).startswith("borg.localrole")]:
            del annotations[key]
    request.reindexObject(idxs=["allowedRolesAndUsers"])


# -- what it holds -------------------------------------------------------------------------


def attach(request, kind, filename, payload, label=""):
    """Keep a file on the request: ``kind`` is "applicant" (sent by them) or "result"."""
    attachment_id = uuid.uuid4().hex[:12]
    request.attachments[attachment_id] = {
        "id": attachment_id,
        "kind": kind,
        "label": label,
        "file": NamedBlobFile(data=payload, filename=filename),
        "when": DateTime(),
    }
    return attachment_id


def attachments(request, kind=None):
    items = sorted(request.attachments.values(), key=lambda a: a["when"])
    return [a for a in items if kind is None or a["kind"] == kind]


def attachment_info(attachment):
    return {
        "id": attachment["id"],
        "label": attachment["label"],
        "filename": attachment["file"].filename,
        "size": attachment["file"].getSize(),
        "when": attachment["when"],
    }


def service_of(request):
    """The request's service: by the path kept at submission, else by UID in the catalog
    (a catalog search also runs the pending reindexing of the step in progress: a second
    indexing of the request within the step)."""
    if not request.service_uid:
        return None
    path = getattr(request, "service_path", None)
    if path:
        service = request.unrestrictedTraverse(path, None)
        if service is not None and getattr(service, "UID", lambda: None)() == request.service_uid:
            return service
    return service_by_uid(request.service_uid)


def service_title(request, language):
    """The title of the request's service as people of ``language`` read it ("" if none)."""
    service = service_of(request)
    if service is None:
        return ""
    if language == "en" and getattr(service, "title_en", None):
        return service.title_en
    return service.Title()


def applicant_language(request):
    """The language the applicant used to submit: their messages speak it."""
    return desk_language(
        getattr(request, "notify_language", None), api.portal.get_default_language()
    )


def handlers(request):
    """Who works on the request: its expert, else the members of its unit."""
    if request.referred_expert:
        return [request.referred_expert]
    if request.referred_unit:
        return [u.getId() for u in api.user.get_users(groupname=request.referred_unit)]
    return []


def tracking_url(request):
    portal_url = api.portal.get().absolute_url()
    return f"{portal_url}/@@track?code={request.tracking_code}&token={request.tracking_secret}"
