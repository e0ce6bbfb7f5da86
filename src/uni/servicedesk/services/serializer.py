"""A request in plone.restapi: its fields plus the timeline the reader may see."""

from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.serializer.dxcontent import SerializeToJson
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.content.service_request import IServiceRequest
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(ISerializeToJson)
@adapter(IServiceRequest, Interface)
class ServiceRequestSerializer(SerializeToJson):
    def __call__(self, version=None, include_items=True):
        result = super().__call__(version=version, include_items=include_items)
        staff = api.user.has_permission(desk_api.INTERNAL, obj=self.context)
        entries = desk_api.timeline(self.context, include_internal=staff)
        if not staff:  # the applicant sees who acted by name, not by account
            entries = [{k: v for k, v in e.items() if k != "actor"} for e in entries]
        result["timeline"] = json_compatible(entries)
        result["attachments"] = [
            dict(
                json_compatible(desk_api.attachment_info(a)),
                kind=a["kind"],
                download=f"{self.context.absolute_url()}/@@request-file?id={a['id']}",
            )
            for a in desk_api.attachments(self.context)
        ]
        return result
