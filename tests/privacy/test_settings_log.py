"""Every change to the desk's settings is logged (who, when, which, old → new), whichever
door changed it; secrets never; bounded, newest first."""

from plone import api
from plone.registry import field
from plone.registry.record import Record
from uni.servicedesk.api import privacy
from uni.servicedesk.api.privacy import audit

import transaction


def test_a_change_with_who_and_old_and_new(manager):
    before = len(privacy.settings_changes(limit=10000))
    api.portal.set_registry_record("uni.servicedesk.reopen_days", 30)
    api.portal.set_registry_record("uni.servicedesk.allowed_extensions", ["pdf", "png"])
    latest, previous = privacy.settings_changes(limit=2)
    assert previous["setting"] == "uni.servicedesk.reopen_days"
    assert (previous["old"], previous["new"]) == ("14", "30")
    assert previous["actor"] == "test_user_1_"
    assert previous["title"] == "Days a resolved request may be reopened"
    assert previous["domain"] == "uni.servicedesk"
    assert latest["setting"] == "uni.servicedesk.allowed_extensions"
    assert latest["new"] == "pdf\npng"
    assert latest["when"] >= previous["when"]
    assert len(privacy.settings_changes(limit=10000)) == before + 2


def test_only_ours_and_only_real_changes(manager):
    before = privacy.settings_changes_total()
    api.portal.set_registry_record("plone.site_title", "دانشگاه")  # Plone's, not ours
    api.portal.set_registry_record("uni.servicedesk.reopen_days", 14)  # the same value
    assert privacy.settings_changes_total() == before


def test_of_a_mapping_only_what_changed(manager):
    record = "uni.servicedesk.notifications.templates"
    api.portal.set_registry_record(record, {"submitted/fa/sms": "یک", "closed/fa/sms": "دو"})
    api.portal.set_registry_record(record, {"submitted/fa/sms": "یک", "closed/fa/sms": "سه"})
    entry = privacy.settings_changes(limit=1)[0]
    assert entry["old"] == '{"closed/fa/sms": "دو"}'
    assert entry["new"] == '{"closed/fa/sms": "سه"}'


def test_secrets_are_changed_never_shown(manager):
    registry = api.portal.get_tool("portal_registry")
    registry.records["uni.servicedesk.test.api_key"] = Record(
        field.TextLine(title="key"), "old-KEY-1"
    )
    registry.records["uni.servicedesk.test.login"] = Record(
        field.Password(title="login"), "old-PW-1"
    )
    registry["uni.servicedesk.test.api_key"] = "new-KEY-2"
    registry["uni.servicedesk.test.login"] = "new-PW-2"
    entries = privacy.settings_changes(limit=2)
    assert [e["setting"] for e in entries] == [
        "uni.servicedesk.test.login",
        "uni.servicedesk.test.api_key",
    ]
    assert all(e["secret"] and e["old"] == e["new"] == "" for e in entries)
    assert not any(
        word in repr(privacy.settings_changes(limit=10000))
        for word in ("KEY-1", "KEY-2", "PW-1", "PW-2")
    )


def test_bounded_newest_first(manager):
    log = audit.changes_log()
    log.limit = 3
    for days in range(20, 26):
        api.portal.set_registry_record("uni.servicedesk.reopen_days", days)
    assert len(log) == 3
    assert [e["new"] for e in privacy.settings_changes()] == ["25", "24", "23"]


def test_changed_through_rest(functional, rest_factory):
    answer = rest_factory("admin").patch("@registry", json={"uni.servicedesk.reopen_days": 9})
    assert answer.status_code == 204
    transaction.begin()
    entry = privacy.settings_changes(limit=1)[0]
    assert (entry["setting"], entry["new"], entry["actor"]) == (
        "uni.servicedesk.reopen_days",
        "9",
        "admin",
    )
