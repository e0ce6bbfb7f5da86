"""A service with its own request form (collective.easyform), in the functional portal."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.forms import builder

import pytest
import transaction

FIELDS = [
    {"name": "full_name", "kind": "text", "title": "نام و نام خانوادگی"},
    {"name": "national_code", "kind": "text", "title": "کد ملی", "required": False},
    {"name": "mobile", "kind": "text", "title": "تلفن همراه"},
    {"name": "email", "kind": "email", "title": "ایمیل", "required": False},
    {"name": "level", "kind": "choice", "title": "مقطع", "values": ["کارشناسی", "کارشناسی ارشد"]},
    {"name": "reason", "kind": "textarea", "title": "علت درخواست", "required": False},
    {"name": "transcript", "kind": "file", "title": "کارنامه"},
]
MAPPING = {
    "kind": "request",
    "name_field": "full_name",
    "national_code_field": "national_code",
    "mobile_field": "mobile",
    "email_field": "email",
}


def request_action(**settings):
    return ("create_request", builder.ACTION_TYPE, "ثبت درخواست", dict(MAPPING, **settings))


@pytest.fixture
def form_desk(functional):
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    catalog = make_catalog(portal)
    service = make_service(
        catalog,
        code="EDU-201",
        allow_anonymous=True,
        duration_max=3,
        required_documents=["تصویر کارت ملی"],
    )
    form = builder.create_form(service, "form", "فرم درخواست", FIELDS, [request_action()])
    api.content.transition(obj=form, transition="publish")
    logout()
    transaction.commit()
    return {"portal": portal, "service": service, "form": form}
