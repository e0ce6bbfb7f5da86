"""Every message of the uni.servicedesk domain has a Persian translation, and it is used."""

from pathlib import Path
from zope.i18n import translate

import re

LOCALES = Path(__file__).resolve().parents[2] / "src" / "uni" / "servicedesk" / "locales"


ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M)


def _joined(quoted):
    return "".join(re.findall(r'"(.*)"', quoted))


def _entries(path):
    """msgid -> msgstr, multi-line strings joined (the header entry left out)."""
    text = path.read_text(encoding="utf-8")
    entries = {_joined(msgid): _joined(msgstr) for msgid, msgstr in ENTRY.findall(text)}
    entries.pop("", None)
    return entries


def test_persian_catalogue_is_complete():
    wanted = _entries(LOCALES / "uni.servicedesk.pot")
    persian = _entries(LOCALES / "fa" / "LC_MESSAGES" / "uni.servicedesk.po")
    missing = [msgid for msgid in wanted if not persian.get(msgid)]
    assert missing == []


def test_english_catalogue_has_every_message():
    wanted = _entries(LOCALES / "uni.servicedesk.pot")
    english = _entries(LOCALES / "en" / "LC_MESSAGES" / "uni.servicedesk.po")
    assert set(wanted) <= set(english)


def test_placeholders_survive_translation():
    persian = _entries(LOCALES / "fa" / "LC_MESSAGES" / "uni.servicedesk.po")
    for msgid, msgstr in persian.items():
        assert set(re.findall(r"\$\{\w+\}", msgid)) == set(re.findall(r"\$\{\w+\}", msgstr)), msgid


def test_translations_load(portal):
    from uni.servicedesk import _

    assert translate(_("Service code"), target_language="fa") == "کد خدمت"
    assert translate(_("Service code"), target_language="en") == "Service code"
    assert translate("Archived", domain="plone", target_language="fa") == "بایگانی‌شده"
