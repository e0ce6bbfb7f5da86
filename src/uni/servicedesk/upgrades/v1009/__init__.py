"""1009: what types share becomes behaviors — request availability on services and
appointment calendars, the applicant's contact details on requests.

The fields keep their names and are stored on the objects as before: existing content
keeps its values; only the types' behavior lists change.
"""

from plone import api

BEHAVIORS = {
    "Service": ("uni.servicedesk.availability",),
    "AppointmentCalendar": ("uni.servicedesk.availability",),
    "ServiceRequest": ("uni.servicedesk.applicant_contact",),
}


def enable_behaviors(context):
    """Add the shared behaviors to the types, leaving their other behaviors as they are."""
    types = api.portal.get_tool("portal_types")
    for portal_type, names in BEHAVIORS.items():
        fti = types.getTypeInfo(portal_type)
        if fti is None:
            continue
        behaviors = list(fti.behaviors)
        missing = [name for name in names if name not in behaviors]
        if missing:
            # Through the property manager: the FTI's schema caches are invalidated.
            fti.manage_changeProperties(behaviors=tuple(behaviors + missing))
