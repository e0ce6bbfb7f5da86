"""Catalog indexers: a service's searchable text holds its FAQ, in one letter form."""

from plone.api.portal import get_tool
from plone.indexer import indexer
from uni.servicedesk.content.faq import IFAQ
from uni.servicedesk.content.service import IService
from uni.servicedesk.content.service_request import IServiceRequest
from uni.servicedesk.localization import normalize_text
from uni.servicedesk.api.sla import first_response_pending


def _html_to_text(html):
    if not html:
        return ""
    transforms = get_tool("portal_transforms")
    data = transforms.convertTo("text/plain", html, mimetype="text/html")
    return data.getData() if data else ""


def _text(*parts):
    return normalize_text(" ".join(part for part in parts if part))


@indexer(IService)
def service_searchable_text(obj):
    faq_parts = []
    for faq in obj.objectValues():
        if IFAQ.providedBy(faq):
            faq_parts.extend([
                faq.Title(),
                faq.Description(),
                _html_to_text(faq.answer.raw if faq.answer else ""),
            ])
    return _text(
        obj.service_code,
        obj.Title(),
        obj.Description(),
        obj.title_en,
        obj.description_en,
        obj.process_title,
        _html_to_text(obj.procedure.raw if obj.procedure else ""),
        " ".join(obj.steps or []),
        " ".join(obj.required_documents or []),
        _html_to_text(obj.rules.raw if obj.rules else ""),
        " ".join(faq_parts),
    )


@indexer(IFAQ)
def faq_searchable_text(obj):
    return _text(
        obj.Title(), obj.Description(), _html_to_text(obj.answer.raw if obj.answer else "")
    )


@indexer(IFAQ)
def faq_service_category(obj):
    """An FAQ belongs to its service's category."""
    return getattr(obj.__parent__, "service_category", None)


# Requests stay out of the text indexes (SearchableText, Title, Description). Those share
# one lexicon that numbers new words in sequence: two submissions committing new words at
# once (every tracking code is one) take the same number and conflict for good. Requests
# are found by their field indexes (tracking_code, applicant_user, referred_unit…).
@indexer(IServiceRequest)
def request_no_text(obj):
    return ""


@indexer(IServiceRequest)
def request_first_response_due(obj):
    """The first-response target while it is still to be met (the sweep's query)."""
    return first_response_pending(obj)
