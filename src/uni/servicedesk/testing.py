"""Test layers: the add-on installed on a Plone site (integration and functional)."""

from plone.app.contenttypes.testing import PLONE_APP_CONTENTTYPES_FIXTURE
from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import plone.restapi
import uni.servicedesk

TEST_PASSWORD = "secret-test-password"
# (user id, global roles): one per role the tests need, besides plone.app.testing's own.
TEST_USERS = (
    ("test-editor", ["Service Editor"]),
    ("test-reviewer", ["Reviewer"]),
    ("test-agent", ["Service Desk Agent"]),
    ("test-supervisor", ["Service Desk Supervisor"]),
    ("test-siteadmin", ["Site Administrator"]),
    ("test-member", ["Member"]),
)


class ServicedeskLayer(PloneSandboxLayer):
    defaultBases = (PLONE_APP_CONTENTTYPES_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=uni.servicedesk)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "uni.servicedesk:default")
        # As on a real site (scripts/create_site.py): Persian first.
        portal.portal_registry["plone.default_language"] = "fa"
        portal.portal_registry["plone.portal_timezone"] = "Asia/Tehran"
        # Tests of every capability submit many requests from one address and one applicant:
        # the creation limits are off in the layer; tests/security sets them where it tests them.
        portal.portal_registry["uni.servicedesk.security.creations_per_client_per_hour"] = 0
        portal.portal_registry["uni.servicedesk.security.creations_per_person_per_hour"] = 0
        for user_id, roles in TEST_USERS:
            portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, roles, [])


FIXTURE = ServicedeskLayer()

INTEGRATION_TESTING = IntegrationTesting(
    bases=(FIXTURE,), name="UniServicedeskLayer:IntegrationTesting"
)
FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(FIXTURE, WSGI_SERVER_FIXTURE), name="UniServicedeskLayer:FunctionalTesting"
)
