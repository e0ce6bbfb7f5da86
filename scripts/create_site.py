"""Create the admin account and the Plone site with our profiles, unless they exist.

Run by ``make start`` as ``bin/instance run scripts/create_site.py``. Re-running keeps
existing data: an existing admin is left as it is, an existing site gets the upgrade
steps of our profile that it has not had yet.
Environment: ADMIN_PASSWORD (else one is generated and printed once), SITE_ID.
"""

from AccessControl.SecurityManagement import newSecurityManager
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import os
import secrets
import sys
import transaction

SITE_ID = os.environ.get("SITE_ID", "servicedesk")
ADMIN = "admin"
PROFILES = ("uni.servicedesk:default", "uni.servicedesk:demo")

app = makerequest(globals()["app"])
app.REQUEST["PARENTS"] = [app]
app.REQUEST.setServerURL("http", "localhost", "8080")

if not app.acl_users.getUserById(ADMIN):
    password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    app.acl_users._doAddUser(ADMIN, password, ["Manager"], [])
    transaction.commit()
    if os.environ.get("ADMIN_PASSWORD"):
        print(f"Created Zope user '{ADMIN}' with the password from ADMIN_PASSWORD.")
    else:
        print("=" * 72)
        print(f"Created Zope user '{ADMIN}' with the generated password: {password}")
        print("It is shown only this once; keep it (or set ADMIN_PASSWORD next time).")
        print("=" * 72)

admin = app.acl_users.getUserById(ADMIN).__of__(app.acl_users)
newSecurityManager(None, admin)

if SITE_ID in app.objectIds():
    site = app[SITE_ID]
    setSite(site)
    pending = site.portal_setup.listUpgrades(PROFILES[0])
    if pending:  # the code moved on since the site was made: bring its profile along
        site.portal_setup.upgradeProfile(PROFILES[0])
        transaction.commit()
        print(
            f"Site '{SITE_ID}' upgraded to profile version "
            f"{site.portal_setup.getLastVersionForProfile(PROFILES[0])[0]}."
        )
    print(f"Site '{SITE_ID}' exists; keeping its data.")
    sys.exit(0)

from plone.distribution.api import site as site_api  # noqa: E402

answers = {
    "site_id": SITE_ID,
    "title": "پنجره واحد خدمات دانشگاهی",
    "description": "میز خدمت الکترونیکی دانشگاه: شناسنامه خدمات، درخواست و پیگیری",
    "default_language": "fa",
    "portal_timezone": "Asia/Tehran",
    "setup_content": False,
}
site = site_api.create(app, "classic", answers)
setSite(site)
setup = site.portal_setup
for profile in PROFILES:
    setup.runAllImportStepsFromProfile(f"profile-{profile}")
transaction.commit()
print(f"Created site '{SITE_ID}': http://localhost:8080/{SITE_ID}")
