"""A desk whose notifications go to real local servers, and workers started by the test."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from tests.helpers import make_service
from tests.notifications.servers import free_port
from tests.notifications.servers import start_provider
from tests.notifications.servers import start_smtp
from uni.servicedesk.api import scheduler
from uni.servicedesk.testing import TEST_PASSWORD

import pytest
import time
import transaction

APPLICANT_EMAIL = "maryam@example.com"
APPLICANT_MOBILE = "09121234567"
APPLICANT = {
    "applicant_name": "مریم احمدی",
    "applicant_national_code": "0084575948",
    "applicant_email": APPLICANT_EMAIL,
    "applicant_mobile": APPLICANT_MOBILE,
    "notify_channels": ["email", "sms"],
}


@pytest.fixture
def provider():
    server = start_provider()
    yield server.provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A local port nothing listens on: connecting to it is refused."""
    return free_port()


@pytest.fixture
def smtp():
    controller = start_smtp()
    yield controller
    controller.stop()


def configure_mail(portal, port):
    """Plone's mail control panel (the registry: Plone's MailHost reads it when sending)."""
    api.portal.set_registry_record("plone.smtp_host", "127.0.0.1")
    api.portal.set_registry_record("plone.smtp_port", port)
    api.portal.set_registry_record("plone.email_from_address", "desk@uni.example")
    api.portal.set_registry_record("plone.email_from_name", "میز خدمت")


def _user(portal, user_id, roles, groups=(), email=None):
    portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, list(roles), [])
    for group in groups:
        api.group.add_user(groupname=group, username=user_id)
    if email:
        api.user.get(userid=user_id).setMemberProperties({"email": email})


@pytest.fixture
def desk(functional, service_catalog, smtp):
    """Committed: a service, a unit with two experts, mail to the local SMTP server."""
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="unit-a", title="واحد الف")
        _user(portal, "expert-a", ["Service Desk Agent"], ["unit-a"], "expert-a@uni.example")
        _user(portal, "expert-b", ["Service Desk Agent"], ["unit-a"], "expert-b@uni.example")
        _user(portal, "supervisor", ["Service Desk Supervisor"], (), "supervisor@uni.example")
        service = make_service(
            service_catalog, code="EDU-101", allow_anonymous=True, duration_max=3
        )
        configure_mail(portal, smtp.port)
        api.portal.set_registry_record("uni.servicedesk.notifications.retry_seconds", 1)
    transaction.commit()
    return {
        "portal": portal,
        "service": service,
        "db": functional["zodbDB"],
        "mailbox": smtp.mailbox,
    }


@pytest.fixture
def submit(desk):
    from uni.servicedesk.api import requests as desk_api

    def submit(commit=True, **fields):
        from zope.globalrequest import setRequest

        setRequest(desk["portal"].REQUEST)  # a test browser's request clears it
        logout()
        request = desk_api.submit(
            dict(APPLICANT, kind="request", **fields), service=desk["service"]
        )
        if commit:
            transaction.commit()
        return request

    return submit


@pytest.fixture
def workers(desk):
    """workers(n) -> n running Schedulers on the test database; stopped afterwards."""
    started = []

    def start(count=1, interval=0.2):
        new = [scheduler.Scheduler(desk["db"], interval=interval) for _ in range(count)]
        for worker in new:
            worker.start()
        started.extend(new)
        return new

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def as_user(portal, user_id):
    if user_id is None:
        logout()
    else:
        login(portal, user_id)
