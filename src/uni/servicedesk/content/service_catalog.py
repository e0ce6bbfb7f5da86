"""The service catalog: the information hub holding the service identity cards."""

from plone.app.textfield import RichText
from plone.dexterity.content import Container
from plone.supermodel import model
from uni.servicedesk import _
from zope.interface import implementer


class IServiceCatalog(model.Schema):
    """A folder of services, browsed by category and audience and searched."""

    text = RichText(
        title=_("Introduction"),
        description=_("Shown above the catalog."),
        required=False,
    )


@implementer(IServiceCatalog)
class ServiceCatalog(Container):
    """Holds Service items."""
