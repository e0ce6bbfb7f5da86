"""What requests and bookings point to (services, appointment calendars, request forms,
the requests folder) is archived, never deleted or renamed: refused at every door with a
message that says so."""

from plone import api
from tests.integrity.conftest import submit
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.workflows.integrity import Conflict
from zope.i18n import translate

import pytest


def refused_message(error):
    return translate(error.value.message, target_language="fa")


class TestWhatRecordsPointTo:
    def test_a_service_with_requests_is_archived_not_deleted(self, desk):
        service = desk["service"]
        submit(service)
        with api.env.adopt_roles(["Manager"]):
            with pytest.raises(Conflict) as refused:
                api.content.delete(obj=service)
            assert "بایگانی" in refused_message(refused)
            with pytest.raises(Conflict):
                api.content.rename(obj=service, new_id="edu-101-renamed")
            with pytest.raises(Conflict):  # nor with the catalog that holds it
                api.content.delete(obj=service.__parent__)
        assert service.getId() == "edu-101" and "edu-101" in service.__parent__

    def test_a_service_nobody_asked_for_can_go(self, desk):
        service = desk["service"]
        with api.env.adopt_roles(["Manager"]):
            api.content.rename(obj=service, new_id="edu-101-renamed")
            api.content.delete(obj=service)
        assert "edu-101-renamed" not in service.__parent__

    def test_a_calendar_with_bookings_stays(self, desk):
        from tests.appointments.conftest import BOOKER
        from tests.appointments.conftest import make_calendar
        from uni.servicedesk.api import appointments as booking_api

        with api.env.adopt_roles(["Manager"]):
            calendar = make_calendar(desk["service"], capacity=3)
            empty = make_calendar(desk["service"].__parent__)
        slot = booking_api.next_free(calendar)[0]
        booking_api.book(calendar, slot.start, dict(BOOKER))
        with api.env.adopt_roles(["Manager"]):
            with pytest.raises(Conflict) as refused:
                api.content.delete(obj=calendar)
            assert "بایگانی" in refused_message(refused)
            with pytest.raises(Conflict):
                api.content.rename(obj=calendar, new_id="moved")
            api.content.delete(obj=empty)  # no bookings: nothing points to it
        assert calendar.getId() == "appointments"

    def test_a_services_request_form_stays(self, desk):
        service = desk["service"]
        with api.env.adopt_roles(["Manager"]):
            form = api.content.create(
                container=service, type="EasyForm", id="form", title="فرم درخواست"
            )
            service.request_form = form.UID()
            service.reindexObject(idxs=["request_form"])
            with pytest.raises(Conflict) as refused:
                api.content.delete(obj=form)
            assert service.Title() in refused_message(refused)
            with pytest.raises(Conflict):
                api.content.rename(obj=form, new_id="moved")
            service.request_form = None
            service.reindexObject(idxs=["request_form"])
            api.content.delete(obj=form)

    def test_a_service_nobody_asked_for_goes_with_its_own_form(self, desk):
        service = desk["service"]
        with api.env.adopt_roles(["Manager"]):
            form = api.content.create(
                container=service, type="EasyForm", id="form", title="فرم درخواست"
            )
            service.request_form = form.UID()
            service.reindexObject(idxs=["request_form"])
            api.content.delete(obj=service)
        assert "edu-101" not in desk["portal"]["services"]

    def test_the_requests_folder_stays(self, desk):
        submit(desk["service"])
        with api.env.adopt_roles(["Manager"]), pytest.raises(Conflict):
            api.content.delete(obj=desk_api.requests_folder())


# -- through the publisher ----------------------------------------------------------------


@pytest.fixture
def requested_service(functional):
    """A service with a request, in the functional portal (committed); its path."""
    from tests.integrity.conftest import build_desk

    import transaction

    service = build_desk(functional["portal"])
    submit(service)
    transaction.commit()
    return "/services/edu-101"


def test_rest_delete_of_a_service_in_use_is_a_409_that_says_why(requested_service, rest_factory):
    session = rest_factory("test-siteadmin")
    session.headers["Accept-Language"] = "fa"
    response = session.delete(requested_service)
    assert response.status_code == 409, response.text
    error = response.json()
    assert error["type"] == "Conflict"
    assert "بایگانی" in error["message"] and "۱ درخواست" in error["message"]
    renamed = session.patch(requested_service, json={"id": "edu-101-renamed"})
    assert renamed.status_code == 409, renamed.text
    assert session.get(requested_service).status_code == 200


def test_the_delete_page_says_why(requested_service, browser_factory):
    browser = browser_factory("test-siteadmin", language="en")
    browser.open(f"{api.portal.get().absolute_url()}{requested_service}/delete_confirmation")
    browser.getControl(name="form.buttons.Delete").click()
    assert browser.headers["status"].startswith("409")
    assert "has 1 requests" in browser.contents and "Archive it instead" in browser.contents
