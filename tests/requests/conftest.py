"""A desk to work requests on: a service, two units, experts, a supervisor, applicants."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.testing import TEST_PASSWORD

import pytest


def _user(portal, user_id, roles=(), groups=()):
    portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, list(roles), [])
    for group in groups:
        api.group.add_user(groupname=group, username=user_id)


@pytest.fixture
def desk(manager):
    api.group.create(groupname="unit-a", title="واحد الف")
    api.group.create(groupname="unit-b", title="واحد ب")
    _user(manager, "expert-a", ["Service Desk Agent"], ["unit-a"])
    _user(manager, "expert-b", ["Service Desk Agent"], ["unit-b"])
    _user(manager, "applicant-b", ["Member"])
    catalog = make_catalog(manager)
    service = make_service(
        catalog,
        code="EDU-101",
        allow_anonymous=True,
        duration_max=3,
        required_documents=["تصویر کارت ملی"],
        steps=["ثبت | دانشجو", "بررسی | کارشناس", "صدور | مدیر"],
    )
    closed = make_service(catalog, code="EDU-102", allow_anonymous=False)
    logout()
    return {"portal": manager, "service": service, "members_only": closed}


def as_user(portal, user_id):
    if user_id is None:
        logout()
    else:
        login(portal, user_id)
