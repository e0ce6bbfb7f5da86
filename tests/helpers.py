"""Small builders shared by the tests."""

from plone import api
from plone.app.textfield.value import RichTextValue

import datetime


def rich(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


def make_catalog(portal, id="services", publish=True):
    catalog = api.content.create(container=portal, type="ServiceCatalog", id=id, title="خدمات")
    if publish:
        api.content.transition(obj=catalog, transition="publish")
    return catalog


def make_service(container, code="EDU-101", publish=True, **fields):
    data = {
        "title": "صدور گواهی اشتغال به تحصیل",
        "description": "گواهی دانشجو بودن",
        "service_category": "education",
        "service_audiences": ["students"],
        "duration_max": 3,
        "fee": 0,
    }
    data["id"] = code.lower()
    data.update(fields)
    service = api.content.create(container=container, type="Service", service_code=code, **data)
    if publish:
        api.content.transition(obj=service, transition="publish")
    return service


def days(n):
    return datetime.date.today() + datetime.timedelta(days=n)


class Upload(__import__("io").BytesIO):
    """What the publisher hands a view for a file input."""

    def __init__(self, data=b"%PDF-1.4 test", filename="doc.pdf"):
        super().__init__(data)
        self.filename = filename


VALID_NATIONAL_CODE = "0084575948"  # check digit valid
APPLICANT = {
    "applicant_name": "سارا محمدی",
    "applicant_national_code": VALID_NATIONAL_CODE,
    "applicant_mobile": "09121234567",
    "applicant_email": "sara@example.com",
    "notify_channels": ["sms"],
}
