"""The default profile installs everything declaratively; uninstall removes settings."""

from plone import api
from uni.servicedesk.interfaces import IUniServicedeskLayer

from pathlib import Path

import pytest
import re

PROFILE = "uni.servicedesk:default"
METADATA = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "uni"
    / "servicedesk"
    / "profiles"
    / "default"
    / "metadata.xml"
)
LATEST = re.search(r"<version>(\d+)</version>", METADATA.read_text()).group(1)


class TestInstall:
    def test_product_installed(self, installer, package_name):
        assert installer.is_product_installed(package_name) is True

    def test_browserlayer(self, browser_layers):
        assert IUniServicedeskLayer in browser_layers

    def test_profile_version(self, profile_last_version):
        assert profile_last_version(PROFILE) == LATEST

    @pytest.mark.parametrize("portal_type", ["ServiceCatalog", "Service", "FAQ"])
    def test_types_and_workflow(self, portal, get_fti, portal_type):
        assert get_fti(portal_type) is not None
        chain = api.portal.get_tool("portal_workflow").getChainForPortalType(portal_type)
        assert chain == ("servicedesk_content_workflow",)

    def test_roles(self, portal):
        roles = portal.validRoles()
        for role in ("Service Desk Agent", "Service Desk Supervisor", "Service Editor"):
            assert role in roles

    def test_catalog_indexes(self, portal):
        catalog = api.portal.get_tool("portal_catalog")
        assert catalog.Indexes["service_code"].meta_type == "FieldIndex"
        assert catalog.Indexes["service_category"].meta_type == "FieldIndex"
        assert catalog.Indexes["service_audiences"].meta_type == "KeywordIndex"
        for column in ("service_code", "service_category", "title_en", "fee", "duration_max"):
            assert column in catalog.schema()

    def test_registry(self, portal):
        categories = api.portal.get_registry_record("uni.servicedesk.service_categories")
        assert categories[0] == {
            "token": "education",
            "title_fa": "آموزشی",
            "title_en": "Education",
        }
        assert api.portal.get_registry_record("uni.servicedesk.sla.escalation_levels") == []
        assert "fa" in api.portal.get_registry_record("plone.available_languages")
        assert "en" in api.portal.get_registry_record("plone.available_languages")

    def test_type_icons(self, portal):
        registry = portal.portal_registry
        assert registry["plone.icon.contenttype/service"].endswith("card-text.svg")

    def test_grids_for_settings_kept_as_rows(self, installer):
        assert installer.is_product_installed("collective.z3cform.datagridfield")

    def test_controlpanel(self, controlpanel_actions):
        assert "uni-servicedesk-settings" in controlpanel_actions

    def test_versioning_policies(self, portal):
        repository = api.portal.get_tool("portal_repository")
        assert "Service" in repository.getVersionableContentTypes()
        assert "FAQ" in repository.getVersionableContentTypes()

    def test_no_pending_upgrades(self, setup_tool):
        assert setup_tool.listUpgrades(PROFILE) == []


class TestUninstall:
    @pytest.fixture(autouse=True)
    def uninstalled(self, installer, package_name):
        installer.uninstall_product(package_name)

    def test_product_uninstalled(self, installer, package_name):
        assert installer.is_product_installed(package_name) is False

    def test_browserlayer_removed(self, browser_layers):
        assert IUniServicedeskLayer not in browser_layers

    def test_controlpanel_removed(self, controlpanel_actions):
        assert "uni-servicedesk-settings" not in controlpanel_actions

    def test_settings_removed(self, portal):
        registry = portal.portal_registry
        assert "uni.servicedesk.service_categories" not in registry
        assert "uni.servicedesk.sla.escalation_levels" not in registry
        assert "plone.bundles/uni-servicedesk.csscompilation" not in registry
        assert "plone.icon.contenttype/service" not in registry
        assert "uni.servicedesk.max_upload_mb" not in registry


class TestUpgrades:
    def test_1000_to_latest(self, manager, setup_tool, installer):
        from tests.helpers import make_catalog
        from tests.helpers import make_service

        catalog = api.portal.get_tool("portal_catalog")
        service = make_service(make_catalog(manager), code="EDU-301")
        service.request_form = "some-form-uid"
        catalog.delIndex("request_form")
        setup_tool.setLastVersionForProfile(PROFILE, "1000")
        assert setup_tool.listUpgrades(PROFILE)
        setup_tool.upgradeProfile(PROFILE)
        assert setup_tool.getLastVersionForProfile(PROFILE) == (LATEST,)
        assert installer.is_product_installed("collective.easyform")
        assert "request_form" in catalog.indexes()
        assert [b.getObject() for b in catalog(request_form="some-form-uid")] == [service]
        assert "EasyForm" in api.portal.get_tool("portal_types")["Service"].allowed_content_types
        assert (
            "AppointmentCalendar"
            in api.portal.get_tool("portal_types")["Service"].allowed_content_types
        )
        chain = api.portal.get_tool("portal_workflow").getChainForPortalType("AppointmentCalendar")
        assert chain == ("servicedesk_content_workflow",)
