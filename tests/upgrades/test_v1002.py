"""1002: appointment calendars — the type, allowed in services, its workflow, permissions."""

from plone import api

PERMISSIONS = ("uni.servicedesk: Add AppointmentCalendar", "uni.servicedesk: Manage appointments")


def roles_of(portal, permission):
    return {entry["name"] for entry in portal.rolesOfPermission(permission) if entry["selected"]}


def test_v1002(manager, upgrade):
    types = api.portal.get_tool("portal_types")
    workflow = api.portal.get_tool("portal_workflow")
    # The shape of 1001: no calendar type, no chain for it, only managers hold the permissions.
    types.manage_delObjects(["AppointmentCalendar"])
    types["Service"].allowed_content_types = tuple(
        t for t in types["Service"].allowed_content_types if t != "AppointmentCalendar"
    )
    workflow.setChainForPortalTypes(["AppointmentCalendar"], "(Default)")
    for permission in PERMISSIONS:
        manager.manage_permission(permission, roles=["Manager"], acquire=False)
    assert "AppointmentCalendar" not in types
    assert workflow.getChainForPortalType("AppointmentCalendar") != (
        "servicedesk_content_workflow",
    )

    upgrade("1002")

    assert types["AppointmentCalendar"].klass.endswith(".AppointmentCalendar")
    assert "AppointmentCalendar" in types["Service"].allowed_content_types
    chain = workflow.getChainForPortalType("AppointmentCalendar")
    assert chain == ("servicedesk_content_workflow",)
    assert "Service Editor" in roles_of(manager, PERMISSIONS[0])
    assert {"Service Desk Agent", "Service Desk Supervisor"} <= roles_of(manager, PERMISSIONS[1])
