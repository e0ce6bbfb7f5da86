"""Fixtures: pytest-plone layers plus browsers and REST sessions logged in as a role."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import PLONE_SITE_ID
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.restapi.testing import RelativeSession
from plone.testing.zope import Browser
from pytest_plone import fixtures_factory
from uni.servicedesk.api.throttle import get_counters
from uni.servicedesk.demo import DEMO_PASSWORD
from uni.servicedesk.testing import FIXTURE
from uni.servicedesk.testing import FUNCTIONAL_TESTING
from uni.servicedesk.testing import INTEGRATION_TESTING
from uni.servicedesk.testing import TEST_PASSWORD

import os
import pytest
import transaction

os.environ.setdefault("zope_i18n_compile_mo_files", "true")
# The test server (WSGI_SERVER_FIXTURE) starts Zope as `bin/instance fg` does, which starts
# an outbox worker; tests start and stop their own (tests/notifications).
os.environ["SERVICEDESK_OUTBOX_WORKER"] = "off"

pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory((
        (FUNCTIONAL_TESTING, "functional"),
        (INTEGRATION_TESTING, "integration"),
    ))
)


def clear_committed_counters():
    """Empty the site's counters as the layer committed them (failed look-ups are
    committed on their own, so the integration layer's rollback keeps them)."""
    try:
        db = FIXTURE["zodbDB"]
    except KeyError:  # the layer is not set up (yet)
        return
    manager = transaction.TransactionManager()
    connection = db.open(transaction_manager=manager)
    try:
        portal = connection.root()["Application"].get(PLONE_SITE_ID)
        tree = get_counters(portal, create=False) if portal is not None else None
        if tree is not None and len(tree):
            tree.clear()
            manager.commit()
    finally:
        manager.abort()
        connection.close()


@pytest.fixture(autouse=True)
def clear_counters():
    """Each test starts with no failed look-ups counted, and leaves none."""
    clear_committed_counters()
    yield
    clear_committed_counters()


@pytest.fixture
def package_name():
    return "uni.servicedesk"


@pytest.fixture
def manager(portal):
    """The integration portal with the test user as Manager."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return portal


DEMO_PROFILE = "profile-uni.servicedesk:demo"


@pytest.fixture
def demo_portal(manager):
    """The integration portal with the demo university (rolled back after the test)."""
    api.portal.get_tool("portal_setup").runAllImportStepsFromProfile(DEMO_PROFILE)
    return manager


@pytest.fixture
def demo_functional(functional):
    """The functional portal with the demo university, committed."""
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    api.portal.get_tool("portal_setup").runAllImportStepsFromProfile(DEMO_PROFILE)
    logout()
    transaction.commit()
    return functional


def _credentials(user, password=None):
    if user == "admin":
        return SITE_OWNER_NAME, SITE_OWNER_PASSWORD
    return user, password or TEST_PASSWORD


@pytest.fixture
def browser_factory(functional):
    """browser_factory(user=None, language="fa", address=…) -> a zope.testbrowser on the
    portal, as a client at ``address``."""
    app = functional["app"]

    def factory(user=None, language="fa", handle_errors=True, password=None, address="192.0.2.10"):
        browser = Browser(app)
        # As a server sees it (a documentation address): look-ups and creations are
        # counted per client address.
        browser.testapp.extra_environ["REMOTE_ADDR"] = address
        browser.handleErrors = handle_errors
        browser.raiseHttpErrors = False
        # The language switch sets this cookie; without it the site is Persian.
        browser.addHeader("Cookie", f"I18N_LANGUAGE={language}")
        if user:
            name, secret = _credentials(user, password)
            browser.addHeader("Authorization", f"Basic {name}:{secret}")
        return browser

    return factory


@pytest.fixture
def demo_browser_factory(demo_functional, browser_factory):
    """Browsers for the demo users (their documented password)."""

    def factory(user=None, language="fa"):
        return browser_factory(user, language=language, password=DEMO_PASSWORD)

    return factory


@pytest.fixture
def rest_factory(functional):
    """rest_factory(user=None) -> a requests session on the portal's REST API."""
    portal = functional["portal"]
    sessions = []

    def factory(user=None):
        session = RelativeSession(portal.absolute_url(), test=None)
        session.headers.update({"Accept": "application/json"})
        if user:
            session.auth = _credentials(user)
        sessions.append(session)
        return session

    yield factory
    for session in sessions:
        session.close()


@pytest.fixture
def service_catalog(functional):
    """A published service catalog in the functional portal, committed."""
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        catalog = api.content.create(
            container=portal, type="ServiceCatalog", id="services", title="خدمات"
        )
        api.content.transition(obj=catalog, transition="publish")
    transaction.commit()
    return catalog
