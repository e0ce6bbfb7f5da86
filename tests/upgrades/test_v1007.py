"""Upgrade 1004 -> 1007 on a site in the old shape: the official-holidays setting appears
(on), nothing else in the SLA settings changes, existing appointment calendars keep their
own closures only, new ones follow the desk."""

from plone import api
from tests.appointments.conftest import make_calendar
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import sla

import datetime
import pytest

PROFILE = "uni.servicedesk:default"
RECORD = "uni.servicedesk.sla.official_holidays"
OLD_HOLIDAYS = ["01/01-01/04 نوروز", "12/29 ملی شدن صنعت نفت", "1405/07/10 روز دانشگاه"]
ASHURA_1405 = datetime.date(2026, 6, 25)  # a Thursday: the calendar below opens on Thursdays


@pytest.fixture
def old_site(manager, setup_tool):
    registry = api.portal.get_tool("portal_registry")
    del registry.records[RECORD]
    api.portal.set_registry_record("uni.servicedesk.sla.holidays", list(OLD_HOLIDAYS))
    api.portal.set_registry_record("uni.servicedesk.sla.working_hours", "08:00-12:00 13:00-16:00")
    service = make_service(make_catalog(manager), code="STU-901")
    calendar = make_calendar(service, weekly_hours=["thu 08:00-12:00"])
    calendar.__dict__.pop("follow_desk_holidays", None)  # made before the field existed
    setup_tool.setLastVersionForProfile(PROFILE, "1004")
    return calendar


def test_upgrade(old_site, setup_tool):
    calendar = old_site
    assert RECORD not in api.portal.get_tool("portal_registry")
    assert "follow_desk_holidays" not in calendar.__dict__
    setup_tool.upgradeProfile(PROFILE, dest="1007")
    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1007",)

    assert api.portal.get_registry_record(RECORD) is True
    assert sla.working_calendar().official_holidays
    assert sla.working_calendar().is_holiday(ASHURA_1405)
    # the rest of the SLA settings as they were
    assert api.portal.get_registry_record("uni.servicedesk.sla.holidays") == OLD_HOLIDAYS
    assert (
        api.portal.get_registry_record("uni.servicedesk.sla.working_hours")
        == "08:00-12:00 13:00-16:00"
    )

    # the calendar that existed keeps opening on Ashura, as it did before
    assert calendar.__dict__["follow_desk_holidays"] is False
    assert not booking_api.is_closed(calendar, ASHURA_1405)
    # a calendar made now follows the desk
    other = api.content.create(
        container=calendar.aq_parent,
        type="AppointmentCalendar",
        id="other",
        title="Other",
        weekly_hours=["thu 08:00-12:00"],
    )
    assert other.follow_desk_holidays is True
    assert booking_api.is_closed(other, ASHURA_1405)


def test_a_calendar_already_following_is_left_alone(old_site, setup_tool):
    old_site.follow_desk_holidays = True  # made after the code was deployed, before the upgrade
    setup_tool.upgradeProfile(PROFILE)
    assert old_site.follow_desk_holidays is True
