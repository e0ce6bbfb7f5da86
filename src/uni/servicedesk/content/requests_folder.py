"""The one container of all requests: a BTree folder without ordering.

An ordered folder keeps a list of every id and rewrites it on each add: a conflict
hotspot and a cost that grows with the archive. Requests are found through the catalog,
never by listing this folder.
"""

from plone.dexterity.content import Container
from plone.supermodel import model
from zope.interface import implementer


class IRequestsFolder(model.Schema):
    """Holds ServiceRequest items, with ids from their tracking codes."""


@implementer(IRequestsFolder)
class RequestsFolder(Container):
    _ordering = "unordered"
