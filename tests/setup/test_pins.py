"""versions.cfg (buildout) and constraints.txt (pip) pin the same versions."""

from pathlib import Path

import re

ROOT = Path(__file__).resolve().parents[2]


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path, separator):
    pins = {}
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "[")) or separator not in line:
            continue
        name, version = (part.strip() for part in line.split(separator, 1))
        if version:
            pins[_normalise(name)] = version
    return pins


def test_buildout_and_pip_pins_agree():
    assert _pins("versions.cfg", "=") == _pins("constraints.txt", "==")


def test_no_prerelease_layout():
    # plone.app.layout 7.0.0a6 breaks start-up (AccountPanelValidation).
    assert _pins("constraints.txt", "==")["plone-app-layout"] == "6.0.2"
