"""Keep a service's search text in step with the FAQ items inside it."""

from uni.servicedesk.content.service import IService


def reindex_parent_service(faq, event):
    parent = getattr(faq, "__parent__", None)
    if parent is None:
        # Removed: the event knows where it was.
        parent = getattr(event, "oldParent", None)
    if IService.providedBy(parent):
        parent.reindexObject(idxs=["SearchableText"])
