"""Upgrade 1005 on an archive: its handler (the requests, found through the catalog) against
``portal_workflow.updateRoleMappings()`` (every object of the site).

Fills a throw-away site (the functional test layer) with ``--requests`` requests (half of
them anonymous, a third referred to a unit) and ``--pages`` other items, puts the
requests' permission settings back as 1004 left them, then times, each on the same
starting point and with its commit:

* ``keep_records``: the 1005 handler (also takes back Sharing roles, repairs creators);
* ``updateRoleMappings``: DCWorkflow's walk over the whole site.

Usage: bin/py bench/upgrade_1005_bench.py [--requests 1000] [--pages 200]
Prints figures; fails nothing.
"""

import argparse
import os
import sys
import time

# bin/py runs a script with exec(): its folder is not on the path by itself.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import close_site
from benchlib import open_site

os.environ.setdefault("zope_i18n_compile_mo_files", "true")
os.environ["SERVICEDESK_OUTBOX_WORKER"] = "off"

MANAGED = (
    "Delete objects",
    "Copy or Move",
    "Change local roles",
    "Sharing page: Delegate roles",
    "Manage Context Aliases",
)
APPLICANT = {
    "applicant_name": "سارا محمدی",
    "applicant_mobile": "09121234567",
    "applicant_national_code": "0084575948",
    "notify_channels": [],
}


def fill(portal, catalog, requests, pages):
    from plone import api
    from uni.servicedesk.api import requests as desk_api

    import transaction

    api.group.create(groupname="unit-a", title="واحد الف")
    portal.acl_users.userFolderAddUser("student", "secret", ["Member"], [])
    student = api.user.get(userid="student")
    service = api.content.create(
        container=catalog, type="Service", id="edu-101", title="خدمت", service_code="EDU-101"
    )
    for index in range(pages):
        api.content.create(container=portal, type="Document", id=f"page-{index}", title="صفحه")
    for index in range(requests):
        request = desk_api._create(
            "request",
            service,
            "",
            f"درخواست {index}",
            "متن",
            "normal",
            dict(APPLICANT),
            [],
            "web",
            student if index % 2 else None,
        )
        if index % 3 == 0:
            request.manage_setLocalRoles("unit-a", ["Request Handler"])
            request.reindexObject(idxs=["allowedRolesAndUsers"])
        if index % 500 == 499:
            transaction.commit()
    transaction.commit()


def as_in_1004(portal):
    """Every request's settings for the managed permissions acquired, as 1004 left them."""
    from plone import api
    from Products.DCWorkflow.utils import modifyRolesForPermission

    import transaction

    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="ServiceRequest"):
        request = brain._unrestrictedGetObject()
        for permission in MANAGED:
            modifyRolesForPermission(request, permission, [])
    transaction.commit()


def timed(name, run):
    import transaction

    started = time.time()
    result = run()
    transaction.commit()
    print(f"{name:>20}: {time.time() - started:7.2f} s  {result if result is not None else ''}")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=200)
    options = parser.parse_args(argv)
    layer, portal, base, catalog = open_site()
    try:
        from plone import api
        from uni.servicedesk.upgrades.v1005 import keep_records

        fill(portal, catalog, options.requests, options.pages)
        print(f"== {options.requests:,} requests, {options.pages:,} pages")
        workflow_tool = api.portal.get_tool("portal_workflow")
        as_in_1004(portal)
        timed("keep_records", lambda: keep_records(None))
        as_in_1004(portal)
        timed("updateRoleMappings", lambda: f"{workflow_tool.updateRoleMappings()} objects")
    finally:
        close_site(layer)


if __name__ == "__main__":
    main(sys.argv[1:] if len(sys.argv) > 1 else None)
