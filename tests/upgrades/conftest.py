"""Upgrade steps run through portal_setup on a site put back in the shape before them.

A test of version N removes what N's steps add, then calls ``upgrade("N")``: the profile
is set back to the version N's steps start from, and portal_setup runs them (and only
them) as the add-ons control panel does.
"""

from tests.requests.conftest import desk  # noqa: F401 - a service, units and experts

import pytest

PROFILE = "uni.servicedesk:default"


def steps_to(setup_tool, destination):
    """The registered steps whose destination is ``destination``."""
    return [
        step
        for step in setup_tool.listUpgrades(PROFILE, show_old=True, simple=True)
        if step.dest == (destination,)
    ]


@pytest.fixture
def upgrade(manager, setup_tool):
    """upgrade("N"): run the steps to N from their source through portal_setup."""

    def run(destination):
        steps = steps_to(setup_tool, destination)
        assert steps, f"no upgrade step leads to {destination}"
        sources = {step.source for step in steps}
        assert len(sources) == 1, f"steps to {destination} start from {sources}"
        setup_tool.setLastVersionForProfile(PROFILE, sources.pop())
        assert [s.id for s in setup_tool.listUpgrades(PROFILE, dest=destination, simple=True)] == [
            s.id for s in steps
        ]
        setup_tool.upgradeProfile(PROFILE, dest=destination)
        assert setup_tool.getLastVersionForProfile(PROFILE) == (destination,)
        return steps

    return run
