"""A service's id is its code (edu-101): stable, short and Latin, unlike its Persian title."""

from plone.app.content.interfaces import INameFromTitle
from uni.servicedesk.content.service import IService
from zope.component import adapter
from zope.interface import implementer


@implementer(INameFromTitle)
@adapter(IService)
class ServiceNameFromCode:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        return (self.context.service_code or "").lower() or None
