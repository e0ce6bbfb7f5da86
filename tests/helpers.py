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
