"""One person (Sara) with two requests, an appointment, messages (one of them in a staff
member's daily digest) and files; another person (Reza) with a request and an
appointment. ``people`` builds it on the integration portal, ``people_site`` on the
functional one (committed)."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from Products.CMFCore.indexing import processQueue
from tests.appointments.conftest import NOW
from tests.appointments.conftest import make_calendar
from tests.helpers import Upload
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.notifications import digests
from uni.servicedesk.api.notifications import outbox as outbox_api
from uni.servicedesk.testing import TEST_PASSWORD
from zope.annotation.interfaces import IAnnotations

from unittest import mock

import contextlib
import pytest
import time
import transaction

SARA = {
    "applicant_name": "سارا محمدی",
    "applicant_national_code": "0084575948",
    "applicant_number": "98123456",
    "applicant_mobile": "09121234567",
    "applicant_email": "sara@example.com",
    "notify_channels": ["sms", "email"],
}
REZA = {
    "applicant_name": "رضا کریمی",
    "applicant_national_code": "0044556675",
    "applicant_mobile": "09351112233",
    "applicant_email": "reza@example.com",
    "notify_channels": ["sms", "email"],
}
# What must be nowhere after Sara's data is erased (and its Persian-digit forms).
SARA_VALUES = (
    "سارا محمدی",
    "0084575948",
    "98123456",
    "09121234567",
    "sara@example.com",
    "۰۰۸۴۵۷۵۹۴۸",
    "۰۹۱۲۱۲۳۴۵۶۷",
)
SARA_WROTE = "گواهی اشتغال برای بورس تحصیلی سارا"  # her own words (the request's body)
SARA_FILE = b"%PDF-1.4 Sara's national card"
SLOT = "2026-12-05T08:00"


def _user(portal, user_id, roles, groups=(), email=None):
    portal.acl_users.userFolderAddUser(user_id, TEST_PASSWORD, list(roles), [])
    for group in groups:
        api.group.add_user(groupname=group, username=user_id)
    if email:
        api.user.get(userid=user_id).setMemberProperties({
            "email": email,
            "fullname": "کارشناس الف",
        })


def setup_desk(portal):
    """As a Manager: a service with a required document, an appointment calendar, a unit
    with an expert who reads staff messages in a daily digest."""
    api.group.create(groupname="unit-a", title="واحد الف")
    _user(portal, "expert-a", ["Service Desk Agent"], ["unit-a"], "expert-a@uni.example")
    outbox_api.set_preference(outbox_api.get_outbox(), "expert-a", outbox_api.DIGEST)
    api.portal.set_registry_record("uni.servicedesk.notifications.digest_hour", 0)
    service = make_service(
        make_catalog(portal),
        code="EDU-101",
        allow_anonymous=True,
        required_documents=["تصویر کارت ملی"],
    )
    calendar = make_calendar(service)
    return service, calendar


def populate(portal, service, calendar):
    """Sara's and Reza's records; returns them by name."""
    logout()
    main = desk_api.submit(
        dict(SARA, kind="request", body=SARA_WROTE),
        service=service,
        documents={0: Upload(SARA_FILE, "کارت-ملی-سارا.pdf")},
    )
    # The same person typed differently: Persian digits, +98, upper case.
    complaint = desk_api.submit(
        dict(
            SARA,
            kind="complaint",
            subject="شکایت از صف",
            body="من سارا محمدی هستم؛ کد ملی ۰۰۸۴۵۷۵۹۴۸",
            applicant_national_code="۰۰۸۴۵۷۵۹۴۸",
            applicant_mobile="+989121234567",
            applicant_email="Sara@Example.com",
        )
    )
    other = desk_api.submit(
        dict(REZA, kind="request", body="درخواست رضا"),
        service=service,
        documents={0: Upload(b"%PDF-1.4 Reza", "reza.pdf")},
    )
    sara_booking = booking_api.book(
        calendar, SLOT, dict(SARA, request_code=main.tracking_code), at=NOW
    )
    reza_booking = booking_api.book(calendar, SLOT, REZA, at=NOW)
    login(portal, "test-siteadmin")  # the desk
    desk_api.refer(main, expert="expert-a")
    desk_api.reply(main, "سارا محمدی گرامی، مدرک شما با کد ملی 0084575948 رسید.")
    logout()  # she answers from the tracking page
    with desk_api.as_applicant(main):
        desk_api.applicant_reply(
            main,
            "ممنون، شماره دانشجویی من 98123456 است.",
            [Upload(b"%PDF-1.4 transcript", "karname.pdf")],
        )
    login(portal, "test-siteadmin")
    return {
        "main": main,
        "complaint": complaint,
        "other": other,
        "sara_booking": sara_booking,
        "reza_booking": reza_booking,
        "calendar": calendar,
    }


def make_digest_here():
    """The daily digests, made in the current transaction (the integration layer may not
    commit; make_digests commits its own)."""
    with (
        mock.patch.object(digests, "committed", lambda change: change()),
        mock.patch.object(digests.transaction, "begin", lambda: None),
    ):
        return digests.make_digests(now=time.time())


@pytest.fixture
def people(manager):
    with api.env.adopt_roles(["Manager"]):
        service, calendar = setup_desk(manager)
    records = populate(manager, service, calendar)
    assert make_digest_here() == 1  # the expert's digest names Sara
    records["portal"] = manager
    return records


@pytest.fixture
def people_site(functional):
    portal = functional["portal"]
    login(portal, "test-siteadmin")
    with api.env.adopt_roles(["Manager"]):
        service, calendar = setup_desk(portal)
    records = populate(portal, service, calendar)
    records["portal"] = portal
    transaction.commit()
    assert digests.make_digests(now=time.time()) == 1  # committed: the expert's digest
    logout()
    return records


# -- looking everywhere ------------------------------------------------------------------


def catalog_text(portal):
    """Every index entry and metadata value of every cataloged object, as text (read as a
    Manager: the privacy index answers nobody else)."""
    catalog = api.portal.get_tool("portal_catalog")
    processQueue()  # what was reindexed in this transaction, as any search would
    parts = []
    with api.env.adopt_roles(["Manager"]):
        for rid in list(catalog._catalog.paths.keys()):
            parts.append(repr(catalog.getIndexDataForRID(rid)))
            parts.append(repr(catalog.getMetadataForRID(rid)))
        for name in catalog.indexes():
            index = catalog._catalog.getIndex(name)
            if hasattr(index, "uniqueValues"):
                with contextlib.suppress(Exception):  # text indexes list no values
                    parts.append(repr(list(index.uniqueValues())))
    return "\n".join(parts)


def outbox_text(portal):
    box = outbox_api.get_outbox(portal)
    return "\n".join(
        repr((m.recipient, m.subject, m.body, m.last_error, m.errors))
        for m in box.messages.values()
    )


def annotations_text(portal):
    """The site's annotations of the desk (logs, indexes), as text."""
    parts = []
    for key, value in IAnnotations(portal).items():
        if str(key).startswith(("uni.servicedesk.privacy", "uni.servicedesk.settings")):
            value = getattr(value, "entries", value)
            parts.append(repr(list(value.items()) if hasattr(value, "items") else value))
    return "\n".join(parts)


def leaks(text, values=SARA_VALUES):
    return [value for value in values if value.lower() in text.lower()]
