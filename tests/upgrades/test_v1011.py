"""Upgrade 1004 -> 1011 on a site in the old shape: the security settings and their
control panel, and the shared counters."""

from plone import api
from uni.servicedesk.api import throttle
from zope.annotation.interfaces import IAnnotations

PROFILE = "uni.servicedesk:default"
RECORDS = (
    "lookup_failures_per_client",
    "lookup_failures_per_code",
    "lookup_window_minutes",
    "creations_per_client_per_hour",
    "creations_per_person_per_hour",
    "question_challenge",
    "content_security_policy",
)


def old_shape(portal):
    registry = api.portal.get_tool("portal_registry")
    for name in RECORDS:
        del registry.records[f"{throttle.SETTINGS_PREFIX}.{name}"]
    api.portal.get_tool("portal_controlpanel").unregisterConfiglet("uni-servicedesk-security")
    del IAnnotations(portal)[throttle.ANNOTATION_KEY]
    api.portal.get_tool("portal_setup").setLastVersionForProfile(PROFILE, "1004")


def test_upgrade_to_1011(manager):
    old_shape(manager)
    registry = api.portal.get_tool("portal_registry")
    assert f"{throttle.SETTINGS_PREFIX}.question_challenge" not in registry
    assert throttle.get_counters(manager, create=False) is None
    setup_tool = api.portal.get_tool("portal_setup")
    setup_tool.upgradeProfile(PROFILE, dest="1011")
    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1011",)
    assert registry[f"{throttle.SETTINGS_PREFIX}.lookup_failures_per_client"] == 10
    assert registry[f"{throttle.SETTINGS_PREFIX}.question_challenge"] is False
    assert (
        "frame-ancestors 'self'" in registry[f"{throttle.SETTINGS_PREFIX}.content_security_policy"]
    )
    configlets = [c.getId() for c in api.portal.get_tool("portal_controlpanel").listActions()]
    assert "uni-servicedesk-security" in configlets
    assert throttle.get_counters(manager, create=False) is not None
    # Settings a manager had changed elsewhere are kept.
    assert registry["uni.servicedesk.max_upload_mb"] == 10
