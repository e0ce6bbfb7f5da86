"""Editors see a service's versions and the difference between them; visitors do not."""

from plone import api
from tests.helpers import make_service

import transaction


def test_history_and_diff(functional, service_catalog, browser_factory):
    with api.env.adopt_roles(["Manager"]):
        service = make_service(
            service_catalog, code="EDU-101", fee=100000, hours="شنبه تا چهارشنبه"
        )
    transaction.commit()
    editor = browser_factory("test-editor", language="en")
    editor.open(service.absolute_url() + "/edit")
    editor.getControl(name="form.widgets.hours").value = "همه روزه"
    editor.getControl(name="form.buttons.save").click()

    editor.open(service.absolute_url() + "/@@historyview")
    assert editor.headers["status"].startswith("200")
    assert "test-editor" in editor.contents or "Edited" in editor.contents

    editor.open(service.absolute_url() + "/@@history?one=current&two=0")
    assert editor.headers["status"].startswith("200")
    assert "شنبه تا چهارشنبه" in editor.contents
    assert "همه روزه" in editor.contents

    visitor = browser_factory()
    visitor.open(service.absolute_url() + "/@@history?one=current&two=0")
    assert "شنبه تا چهارشنبه" not in visitor.contents
