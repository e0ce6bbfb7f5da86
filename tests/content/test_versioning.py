"""Service cards and FAQs keep their history (CMFEditions): every save is a version."""

from plone import api
from tests.helpers import make_catalog
from tests.helpers import make_service
from tests.helpers import rich
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent


def _edit(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    notify(ObjectModifiedEvent(obj))


def _versions(obj):
    history = api.portal.get_tool("portal_repository").getHistoryMetadata(obj)
    return history.getLength(countPurged=False) if history else 0


def test_creation_and_each_edit_make_a_version(manager):
    repository = api.portal.get_tool("portal_repository")
    service = make_service(make_catalog(manager), fee=0)
    before = _versions(service)
    assert before >= 1
    _edit(service, fee=250000)
    assert _versions(service) == before + 1
    assert repository.retrieve(service, 0).object.fee == 0
    assert repository.retrieve(service, before).object.fee == 250000


def test_faq_versioned(manager):
    repository = api.portal.get_tool("portal_repository")
    service = make_service(make_catalog(manager))
    faq = api.content.create(
        container=service, type="FAQ", id="faq-1", title="سوال", answer=rich("<p>پاسخ اول</p>")
    )
    before = _versions(faq)
    _edit(faq, answer=rich("<p>پاسخ دوم</p>"))
    assert _versions(faq) == before + 1
    assert "اول" in repository.retrieve(faq, 0).object.answer.raw
