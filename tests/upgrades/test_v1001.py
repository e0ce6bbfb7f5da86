"""1001: collective.easyform installed, forms allowed in services, their index filled."""

from plone import api
from tests.helpers import make_catalog
from tests.helpers import make_service

PERMISSION = "uni.servicedesk: Add request form action"


def roles_of(portal, permission):
    return {entry["name"] for entry in portal.rolesOfPermission(permission) if entry["selected"]}


def test_v1001(manager, installer, upgrade):
    catalog = api.portal.get_tool("portal_catalog")
    service_fti = api.portal.get_tool("portal_types")["Service"]
    service = make_service(make_catalog(manager), code="EDU-301")
    service.request_form = "some-form-uid"
    # The shape of 1000: no easyform, no forms in services, no index, no form permissions.
    installer.uninstall_product("collective.easyform")
    service_fti.allowed_content_types = tuple(
        t for t in service_fti.allowed_content_types if t != "EasyForm"
    )
    catalog.delIndex("request_form")
    manager.manage_permission(PERMISSION, roles=["Manager"], acquire=False)
    assert not installer.is_product_installed("collective.easyform")

    upgrade("1001")

    assert installer.is_product_installed("collective.easyform")
    assert "EasyForm" in api.portal.get_tool("portal_types")
    assert "EasyForm" in service_fti.allowed_content_types
    assert "request_form" in catalog.indexes()
    assert [b.getObject() for b in catalog(request_form="some-form-uid")] == [service]
    assert {"Site Administrator", "Service Editor"} <= roles_of(manager, PERMISSION)
