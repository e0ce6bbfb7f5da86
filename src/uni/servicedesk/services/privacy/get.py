"""GET /@servicedesk-privacy: the retention setting and the erasure log (who erased how
many records, when; never whose)."""

from plone.restapi.services import Service
from uni.servicedesk.api import privacy
from uni.servicedesk.api.receipts import PRIVATE_HEADERS

import datetime


def iso(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat()


class PrivacyGet(Service):
    def reply(self):
        for name, value in PRIVATE_HEADERS.items():
            self.request.response.setHeader(name, value)
        return {
            "@id": f"{self.context.absolute_url()}/@servicedesk-privacy",
            "retention_years": privacy.retention_years(),
            "erasures": [dict(entry, when=iso(entry["when"])) for entry in privacy.erasures()],
        }
