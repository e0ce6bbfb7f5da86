"""POST /requests: submit a request as JSON (files as base64), like the web form.

With an ``Idempotency-Key`` header, sending the same call again answers as the first time
and registers nothing more (``uni.servicedesk.api.idempotency``).
"""

from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from uni.servicedesk import _
from uni.servicedesk.api import idempotency
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.services import find_service
from uni.servicedesk.api.transactions import committed
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.api.validation import upload_from_json
from uni.servicedesk.services.base import idempotency_reused
from uni.servicedesk.services.errors import error_reply
from zope.interface import alsoProvides

import plone.protect.interfaces

NOTHING_CREATED = _("The request was not registered; nothing was created.")


class RequestPost(Service):
    def reply(self):
        # A JSON API called by other systems: authenticated by credentials, not cookies.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except Exception:
            return self._errors({"body": _("The request body is not valid JSON.")})
        if not isinstance(data, dict):
            return self._errors({"body": _("Send a JSON object.")})
        reference = str(data.get("service") or "")
        service = (
            (
                find_service(uid=reference, visible_only=True)
                or find_service(code=reference, visible_only=True)
            )
            if reference
            else None
        )
        if reference and service is None:
            return self._errors({"service": _("No such service.")})
        try:
            documents = {
                int(item.get("slot", index)): upload_from_json(item, f"document-{index}")
                for index, item in enumerate(data.get("documents") or [])
            }
            extra = [
                upload_from_json(item, "extra_documents")
                for item in data.get("extra_documents") or []
            ]
        except (InputError, AttributeError, TypeError, ValueError) as error:
            field = getattr(error, "field", "documents")
            return self._errors({field: getattr(error, "message", _("Invalid documents."))})
        fields = {
            key: data.get(key)
            for key in (
                "kind",
                "subject",
                "body",
                "priority",
                "target_unit",
                "applicant_name",
                "applicant_national_code",
                "applicant_number",
                "applicant_email",
                "applicant_mobile",
                "notify_channels",
            )
        }
        fields = {
            k: (v if k == "notify_channels" else ("" if v is None else str(v)))
            for k, v in fields.items()
        }
        fields["notify_channels"] = [str(c) for c in (fields["notify_channels"] or [])]
        try:
            key = idempotency.key_from(self.request, "requests", data)
        except idempotency.InvalidKey as error:
            return self._errors({"Idempotency-Key": error.message})

        def create():
            request = desk_api.submit(
                fields, service=service, documents=documents, extra_documents=extra, channel="rest"
            )
            return idempotency.Answer(
                201, self._created(request), {"Location": request.absolute_url()}
            )

        try:
            answer = committed(idempotency.once(key, create))
        except desk_api.SubmissionError as error:
            return self._errors(error.errors, 429 if error.too_many else 400)
        except idempotency.KeyReused as error:
            return idempotency_reused(self.request, error)
        return idempotency.respond(self.request, answer)

    def _created(self, request):
        return {
            "@id": request.absolute_url(),
            "tracking_code": request.tracking_code,
            "tracking_url": desk_api.tracking_url(request),
            "review_state": desk_api.state(request),
            "due_date": request.due_date.isoformat() if request.due_date else None,
        }

    def _errors(self, errors, status=400):
        return error_reply(self.request, status, NOTHING_CREATED, errors)
