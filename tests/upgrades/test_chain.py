"""The registered upgrade steps lead from the first release (1000), one version after the
other, to the version in profiles/default/metadata.xml; upgrades/vNNNN/ registers the
steps to NNNN and nothing else."""

from pathlib import Path
from tests.upgrades.conftest import PROFILE
from xml.etree import ElementTree

import uni.servicedesk

PACKAGE = Path(uni.servicedesk.__file__).parent
GENERICSETUP = "{http://namespaces.zope.org/genericsetup}"
FIRST_RELEASE = "1000"


def metadata_version():
    return ElementTree.parse(PACKAGE / "profiles" / "default" / "metadata.xml").findtext("version")


def test_steps_lead_from_first_release_to_metadata_version(setup_tool):
    following = {}  # source -> the destinations of the steps from it
    for step in setup_tool.listUpgrades(PROFILE, show_old=True, simple=True):
        following.setdefault(".".join(step.source or ("*",)), set()).add(".".join(step.dest))
    chain = [FIRST_RELEASE]
    while chain[-1] in following:
        destinations = following.pop(chain[-1])
        assert len(destinations) == 1, f"steps from {chain[-1]} lead to {sorted(destinations)}"
        chain.append(destinations.pop())
    print("upgrade chain:", " -> ".join(chain))
    assert following == {}, f"steps not reachable from {FIRST_RELEASE}: {following}"
    assert chain[-1] == metadata_version()
    assert len(chain) > 1


def test_one_folder_per_version():
    folders = sorted(p for p in (PACKAGE / "upgrades").iterdir() if (p / "configure.zcml").exists())
    for folder in folders:
        assert (folder / "__init__.py").exists(), folder.name
        tree = ElementTree.parse(folder / "configure.zcml")
        groups = (
            tree.findall(f"{GENERICSETUP}upgradeSteps")
            + tree.findall(f"{GENERICSETUP}upgradeStep")
            + tree.findall(f"{GENERICSETUP}upgradeDepends")
        )
        assert groups, f"{folder.name} registers no upgrade step"
        for group in groups:
            assert group.get("profile") == PROFILE
            assert f"v{group.get('destination')}" == folder.name
    versions = [folder.name[1:] for folder in folders]
    print("upgrade folders:", ", ".join(folder.name for folder in folders))
    assert metadata_version() in versions
    included = ElementTree.parse(PACKAGE / "upgrades" / "configure.zcml").findall("{*}include")
    assert sorted(include.get("package") for include in included) == [
        f".{folder.name}" for folder in folders
    ]
