from tests.requests.conftest import desk  # noqa: F401 - the integration desk
from uni.servicedesk.api import appointments
from uni.servicedesk.api.appointments import booking

import pytest


@pytest.fixture
def frozen_now(monkeypatch):
    """frozen_now(moment): the appointment pages, services and rules see ``moment`` as now
    (naive portal time), so that tests about given days do not depend on today's date."""

    def freeze(moment):
        monkeypatch.setattr(booking, "now", lambda: moment)
        monkeypatch.setattr(appointments, "now", lambda: moment)

    return freeze
