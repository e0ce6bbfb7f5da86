"""The catalog index of the privacy keys, which answers only those who may manage personal
data.

Its values are keyed hashes (``keys``): without the site's secret nobody can make the key
of a national code to ask for. Even so, a query by anyone else — ``@search``, the
catalog's restricted or unrestricted search, ``uniqueValuesFor`` or
``getIndexDataForRID`` (which the catalog lets anyone with *Search ZCatalog*, anonymous
visitors included, call from templates and scripts) — finds nothing and reads no value,
so that holding a key (from a log, a backup) is not enough. Supervisors, who see every
request, are the case that matters: without this an index query would list a person's
requests to them.
"""

from AccessControl.SecurityManagement import getSecurityManager
from BTrees.IIBTree import IISet
from Products.PluginIndexes.KeywordIndex.KeywordIndex import KeywordIndex
from zope.component.hooks import getSite

MANAGE = "uni.servicedesk: Manage personal data"
META_TYPE = "PrivacyKeyIndex"


def may_manage(site=None):
    """May the current user manage personal data (find, export, erase) on the site?"""
    site = site if site is not None else getSite()
    return site is not None and bool(getSecurityManager().checkPermission(MANAGE, site))


class PrivacyKeyIndex(KeywordIndex):
    """A KeywordIndex that queries and reads for those who may manage personal data only;
    indexing (every request's submission and change) works for everyone."""

    meta_type = META_TYPE

    def query_index(self, record, resultset=None):
        if not may_manage():
            return IISet()  # nothing: not "everything but", even for a "not" query
        return super().query_index(record, resultset)

    def uniqueValues(self, name=None, withLengths=0):
        if not may_manage():
            return iter(())
        return super().uniqueValues(name, withLengths)

    def getEntryForObject(self, documentId, default=None):
        if not may_manage():
            return default
        return self._unindex.get(documentId, default)

    def items(self):
        if not may_manage():
            return []
        return super().items()
