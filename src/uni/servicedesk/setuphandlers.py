"""Install and uninstall handlers."""

from Products.CMFPlone.interfaces import INonInstallable
from zope.component import getMultiAdapter
from zope.component import queryUtility
from zope.interface import implementer
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.portlets.constants import CONTEXT_CATEGORY
from plone.portlets.interfaces import ILocalPortletAssignmentManager
from plone.portlets.interfaces import IPortletManager
from uni.servicedesk.api.requests import REQUESTS_FOLDER_ID
from uni.servicedesk.api.idempotency import get_store
from uni.servicedesk.api.notifications.outbox import get_outbox
from uni.servicedesk.api import privacy
from uni.servicedesk.api.throttle import get_counters


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        """The uninstall profile is not something to pick in the add-ons panel."""
        return ["uni.servicedesk:uninstall"]

    def getNonInstallableProducts(self):
        return []


def post_install(context):
    """The requests folder: one per site, at its root, never in navigation."""
    portal = api.portal.get()
    if REQUESTS_FOLDER_ID not in portal.objectIds():
        # Not addable anywhere by hand (global_allow is off): made here, once.
        folder = createContentInContainer(
            portal,
            "RequestsFolder",
            checkConstraints=False,
            id=REQUESTS_FOLDER_ID,
            title="Requests",
            exclude_from_nav=True,
        )
        block_portlets(folder)
    create_outbox(portal)
    create_idempotency_store(portal)
    privacy.install(portal)
    get_counters(portal)  # the shared counters of look-ups and creations


def create_outbox(portal):
    """Made at install, not on first use: the first notifications may come at once."""
    get_outbox(portal)


def create_idempotency_store(portal):
    """Made at install: the first REST creations with a key may come at once."""
    get_store(portal)


def block_portlets(folder):
    """No inherited portlets on the folder or its requests: the navigation portlet would
    query every sibling of a request (all requests) on each page."""
    for manager_name in ("plone.leftcolumn", "plone.rightcolumn"):
        manager = queryUtility(IPortletManager, name=manager_name)
        if manager is not None:
            assignments = getMultiAdapter((folder, manager), ILocalPortletAssignmentManager)
            assignments.setBlacklistStatus(CONTEXT_CATEGORY, True)
