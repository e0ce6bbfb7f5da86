"""Upgrade to 1012: personal data — the permission, the keyed-hash index of requests (filled),
the bookings' index (filled), the ended_at index (filled from the timelines), the
retention setting, the pages, the stores — on a site as 1006 left it."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from tests.appointments.conftest import NOW
from tests.appointments.conftest import make_calendar
from tests.helpers import APPLICANT
from tests.helpers import Upload
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import privacy
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.privacy import audit
from uni.servicedesk.api.privacy import keys
from zope.annotation.interfaces import IAnnotations

import pytest

MANAGE = "uni.servicedesk: Manage personal data"
STORES = (keys.HMAC_ANNOTATION, keys.BOOKINGS_KEY, audit.ERASURES_KEY, audit.CHANGES_KEY)


@pytest.fixture
def old_site(desk):
    """Two requests (one withdrawn) and a booking of one applicant, on a site without
    anything of 1012."""
    portal = desk["portal"]
    logout()
    kept = desk_api.submit(
        dict(APPLICANT, kind="request", body="x"), service=desk["service"], documents={0: Upload()}
    )
    withdrawn = desk_api.submit(dict(APPLICANT, kind="complaint", subject="s", body="y"))
    with desk_api.as_applicant(withdrawn):
        desk_api.withdraw(withdrawn)
    login(portal, "test-siteadmin")
    with api.env.adopt_roles(["Manager"]):
        calendar = make_calendar(desk["service"])
    booking = booking_api.book(calendar, "2026-12-05T08:00", APPLICANT, at=NOW)
    with api.env.adopt_roles(["Manager"]):
        catalog = api.portal.get_tool("portal_catalog")
        catalog.delIndex("privacy_keys")
        catalog.delIndex("ended_at")
        for request in (kept, withdrawn):
            if "ended_at" in request.__dict__:
                del request.ended_at  # 1006 kept no such moment
        annotations = IAnnotations(portal)
        for key in STORES:
            del annotations[key]
        del api.portal.get_tool("portal_registry").records[privacy.RETENTION_SETTING]
        portal.manage_permission(MANAGE, roles=[], acquire=False)
        api.portal.get_tool("portal_controlpanel").unregisterConfiglet("uni-servicedesk-privacy")
    return {"portal": portal, "kept": kept, "withdrawn": withdrawn, "booking": booking}


def test_the_site_before(old_site):
    annotations = IAnnotations(old_site["portal"])
    assert not any(key in annotations for key in STORES)
    assert "privacy_keys" not in api.portal.get_tool("portal_catalog").indexes()
    assert not api.user.has_permission(MANAGE, obj=old_site["portal"])


def test_upgrade(old_site, upgrade):
    portal = old_site["portal"]
    steps = upgrade("1012")
    assert len(steps) == 4
    # the permission: managers and site administrators only
    roles = {r["name"] for r in portal.rolesOfPermission(MANAGE) if r["selected"]}
    assert roles == {"Manager", "Site Administrator"}
    assert api.user.has_permission(MANAGE, obj=portal)  # test-siteadmin
    # the stores, the setting, the page
    annotations = IAnnotations(portal)
    assert all(key in annotations for key in STORES)
    assert privacy.retention_years() == 0
    actions = [a["id"] for a in api.portal.get_tool("portal_controlpanel").listActionInfos()]
    assert "uni-servicedesk-privacy" in actions
    # the indexes, filled
    catalog = api.portal.get_tool("portal_catalog")
    assert catalog.Indexes["privacy_keys"].meta_type == "PrivacyKeyIndex"
    found = privacy.find(privacy.person({"mobile": APPLICANT["applicant_mobile"]}))
    assert [r.tracking_code for r in found.requests] == [
        old_site["kept"].tracking_code,
        old_site["withdrawn"].tracking_code,
    ]
    assert [b.tracking_code for b, _calendar in found.bookings] == [
        old_site["booking"].tracking_code
    ]
    withdrawn = old_site["withdrawn"]
    assert withdrawn.ended_at == withdrawn.timeline[-1]["when"]
    assert old_site["kept"].ended_at is None
    ended = catalog.unrestrictedSearchResults(
        ended_at={"query": withdrawn.ended_at, "range": "max"}
    )
    assert [b.getId for b in ended] == [withdrawn.getId()]


def test_upgrade_twice(old_site, upgrade):
    upgrade("1012")
    secret = keys.site_secret()
    upgrade("1012")
    assert keys.site_secret() == secret  # the keys stay what they were
    assert privacy.find(privacy.person({"email": APPLICANT["applicant_email"]})).total == 3
