"""1007: one working calendar.

* The setting "observe Iran's official holidays" (``uni.servicedesk.sla.official_holidays``,
  on): due dates skip Iran's official holidays, lunar ones included. The site's own holiday
  list is kept as it is (lines of it that repeat an official holiday change nothing).
* Appointment calendars may follow the desk's holidays (``follow_desk_holidays``). New
  calendars do; the calendars that exist keep what they did (their own closures only) until
  a manager ticks the box, so that no day with bookings closes by itself.
"""

from plone import api
from plone.registry.interfaces import IRegistry
from uni.servicedesk.interfaces import ISLASettings
from zope.component import getUtility
from zope.schema import getFieldNames

SLA_PREFIX = "uni.servicedesk.sla"
NEW_SETTINGS = ("official_holidays",)


def register_official_holidays_setting(context):
    """Only the new record: the other SLA records and their values are left alone."""
    omit = [name for name in getFieldNames(ISLASettings) if name not in NEW_SETTINGS]
    getUtility(IRegistry).registerInterface(ISLASettings, omit=omit, prefix=SLA_PREFIX)


def keep_calendars_on_their_own_closures(context):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="AppointmentCalendar"):
        calendar = brain._unrestrictedGetObject()
        calendar._p_activate()  # a ghost's __dict__ is empty; the field's default hides absence
        if "follow_desk_holidays" not in calendar.__dict__:
            calendar.follow_desk_holidays = False
