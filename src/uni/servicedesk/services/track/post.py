"""POST /@track: follow a request with its tracking code and verifier."""

from plone.restapi.serializer.converters import json_compatible
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.services.base import JsonPost


class TrackPost(JsonPost):
    def reply(self):
        data = self.json_object()
        if data is None:
            return self.bad_request("Send code and verifier as JSON.")
        request, error = self.followed(data, desk_api.verify, "request")
        if error:
            return error
        return json_compatible(desk_api.public_view(request))
