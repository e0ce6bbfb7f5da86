"""A frequently asked question inside a service (a knowledge item)."""

from plone.app.textfield import RichText
from plone.dexterity.content import Item
from plone.supermodel import model
from uni.servicedesk import _
from zope.interface import implementer


class IFAQ(model.Schema):
    """The question is the item's title; the answer is rich text."""

    answer = RichText(title=_("Answer"), required=True)


@implementer(IFAQ)
class FAQ(Item):
    """Its service is the service it is in."""
