"""Install and uninstall handlers."""
from Products.CMFPlone.interfaces import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        """The uninstall profile is not something to pick in the add-ons panel."""
        return ["uni.servicedesk:uninstall"]

    def getNonInstallableProducts(self):
        return []

