"""1005: records are kept.

The workflows of requests and of their folder now manage *Delete objects*, *Copy or
Move*, *Change local roles*, *Sharing page: Delegate roles* and *Manage Context Aliases*.
Existing requests are brought in line one by one, found through the catalog:
``portal_workflow.updateRoleMappings()`` would walk every object of the site (services,
pages, files) and reindex the security of each one it changes.

Two things the old settings let happen are undone on the way:

- roles given on a request through Sharing (Reader, Editor, Contributor, Reviewer): the
  desk itself only ever gives Owner (the applicant) and Request Handler (the unit and
  expert it is referred to);
- staff named as creators of a request (Dexterity made the first person to act on an
  anonymous request its creator): the applicant is the only creator, or nobody.
"""

from plone import api

import logging
import transaction

logger = logging.getLogger("uni.servicedesk.upgrades")

DESK_ROLES = frozenset({"Owner", "Request Handler"})
BATCH = 500  # objects between savepoints: memory stays flat on a big archive


def keep_records(context):
    workflow_tool = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    folder_workflow = workflow_tool["servicedesk_requests_folder_workflow"]
    request_workflow = workflow_tool["service_request_workflow"]
    portal = api.portal.get()
    folder = portal.get("requests")
    if folder is not None:
        folder_workflow.updateRoleMappingsFor(folder)
    counts = {"requests": 0, "roles": 0, "creators": 0}
    brains = catalog.unrestrictedSearchResults(portal_type="ServiceRequest")
    for index, brain in enumerate(brains, 1):
        request = brain._unrestrictedGetObject()
        request_workflow.updateRoleMappingsFor(request)
        counts["requests"] += 1
        if _drop_shared_roles(request):
            counts["roles"] += 1
            request.reindexObject(idxs=["allowedRolesAndUsers"])
        if _only_the_applicant_creates(request):
            counts["creators"] += 1
            catalog.catalog_object(request, idxs=["Creator"], update_metadata=True)
        if index % BATCH == 0:
            transaction.savepoint(optimistic=True)
            portal._p_jar.cacheGC()
    logger.info(
        "1005: %(requests)d requests updated; roles given through Sharing taken back on "
        "%(roles)d; creators set back to the applicant on %(creators)d",
        counts,
    )
    return counts


def _drop_shared_roles(request):
    changed = False
    for principal, roles in list(request.get_local_roles()):
        kept = [role for role in roles if role in DESK_ROLES]
        if len(kept) == len(roles):
            continue
        logger.info(
            "1005: %s: %s loses %s",
            request.getId(),
            principal,
            ", ".join(sorted(set(roles) - DESK_ROLES)),
        )
        if kept:
            request.manage_setLocalRoles(principal, kept)
        else:
            request.manage_delLocalRoles([principal])
        changed = True
    return changed


def _only_the_applicant_creates(request):
    applicant = getattr(request, "applicant_user", None)
    wanted = (applicant,) if applicant else ()
    if tuple(request.listCreators()) == wanted:
        return False
    request.creators = wanted
    return True
