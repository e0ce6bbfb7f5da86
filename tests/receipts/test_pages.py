"""Post/Redirect/Get: every form that creates something redirects to its receipt; reloading
the receipt shows the same code and creates nothing; only the holder of the link secret
opens it, and it is kept off shared caches."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.appointments.conftest import BOOKER
from tests.appointments.conftest import make_calendar
from tests.forms.test_form_submission import attach as attach_transcript
from tests.forms.test_form_submission import fill as fill_form
from tests.helpers import APPLICANT
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import throttle
from uni.servicedesk.api import tracking
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
import re
import transaction

EVERY_DAY = [f"{day} 08:00-18:00" for day in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")]


@pytest.fixture
def receipt_desk(functional):
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    api.group.create(groupname="unit-a", title="واحد الف")
    service = make_service(make_catalog(portal), code="EDU-101", allow_anonymous=True, fee=0)
    calendar = make_calendar(
        service, weekly_hours=EVERY_DAY, min_notice_hours=0, cancel_cutoff_hours=1, capacity=5
    )
    logout()
    transaction.commit()
    return {
        "portal": portal,
        "service": service,
        "calendar": calendar,
        "db": functional["app"]._p_jar.db(),
    }


def text(browser):
    contents = browser.contents
    return contents.decode("utf-8") if isinstance(contents, bytes) else contents


def status(browser):
    return int(browser.headers["status"].split()[0])


def code_on(browser):
    match = re.search(r'class="servicedesk-code[^"]*"><bdi[^>]*>([^<]+)</bdi>', text(browser))
    return tracking.normalize_code(match.group(1)) if match else None


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def requests_count():
    transaction.begin()
    return len(desk_api.requests_folder().objectIds())


def fill_request(browser, **values):
    data = dict(APPLICANT, body="لطفا گواهی صادر شود")
    data.pop("notify_channels")
    data.update(values)
    for name, value in data.items():
        browser.getControl(name=name).value = value


def submit_request(browser, desk):
    browser.open(desk["service"].absolute_url() + "/@@request-service")
    fill_request(browser)
    browser.getControl(name="form.buttons.send").click()
    return browser


class TestRequestForm:
    def test_the_post_answers_with_a_redirect(self, receipt_desk, browser_factory):
        browser = browser_factory()
        browser.followRedirects = False
        submit_request(browser, receipt_desk)
        assert status(browser) == 303
        location = browser.headers["Location"]
        assert location.startswith(receipt_desk["portal"].absolute_url() + "/@@request-receipt?")
        transaction.begin()
        [request] = desk_api.requests_folder().objectValues()
        assert query(location) == {"code": request.tracking_code, "token": request.tracking_secret}

    def test_reloading_the_receipt_creates_nothing(self, receipt_desk, browser_factory):
        browser = submit_request(browser_factory(), receipt_desk)
        assert status(browser) == 200
        assert "/@@request-receipt?" in browser.url
        assert "درخواست شما ثبت شد" in text(browser)
        code = code_on(browser)
        assert code and requests_count() == 1
        db = receipt_desk["db"]
        last = db.lastTransaction()
        browser.reload()
        browser.reload()
        assert code_on(browser) == code
        assert requests_count() == 1
        assert db.lastTransaction() == last  # a receipt is read, never written

    def test_the_receipt_is_private(self, receipt_desk, browser_factory):
        browser = submit_request(browser_factory(), receipt_desk)
        assert "no-store" in browser.headers["Cache-Control"]
        assert "private" in browser.headers["Cache-Control"]
        assert browser.headers["Referrer-Policy"] == "no-referrer"

    def test_someone_else_cannot_open_it(self, receipt_desk, browser_factory):
        browser = submit_request(browser_factory("test-member"), receipt_desk)
        code = code_on(browser)
        base = receipt_desk["portal"].absolute_url() + "/@@request-receipt?"
        other = browser_factory("test-editor", language="en")
        for params in (
            {"code": code},
            {"code": code, "token": "guess"},
            {"code": code, "token": APPLICANT["applicant_mobile"]},  # enough to track
            {"code": code, "token": APPLICANT["applicant_email"]},
            {"code": "not a code", "token": "x"},
            {},
        ):
            other.open(base + urlencode(params))
            assert status(other) == 404, params
            assert "Receipt not found" in text(other)
            assert code not in text(other) and APPLICANT["applicant_name"] not in text(other)

    def test_guessing_is_throttled(self, receipt_desk, browser_factory):
        browser = submit_request(browser_factory(), receipt_desk)
        code = code_on(browser)
        other = browser_factory()
        base = receipt_desk["portal"].absolute_url() + "/@@request-receipt?"
        for attempt in range(throttle.limits().lookup_failures_per_client):
            other.open(base + urlencode({"code": code, "token": f"guess-{attempt}"}))
        other.open(base + urlencode({"code": code, "token": "one-more"}))
        assert status(other) == 429

    def test_bad_input_answers_the_form_again(self, receipt_desk, browser_factory):
        browser = browser_factory(language="en")
        browser.followRedirects = False
        browser.open(receipt_desk["service"].absolute_url() + "/@@request-service")
        fill_request(browser, applicant_mobile="0912")
        browser.getControl(name="form.buttons.send").click()
        assert status(browser) == 400 and "Location" not in browser.headers
        assert "Enter an Iranian mobile number" in text(browser)
        assert requests_count() == 0

    def test_english_receipt(self, receipt_desk, browser_factory):
        browser = submit_request(browser_factory(language="en"), receipt_desk)
        assert "Your request was registered" in text(browser)
        assert "Keep your tracking code" in text(browser)


class TestContactForm:
    def test_complaint_redirects_to_its_receipt(self, receipt_desk, browser_factory):
        browser = browser_factory()
        browser.open(receipt_desk["portal"].absolute_url() + "/@@contact")
        browser.getControl(name="kind").value = ["complaint"]
        browser.getControl(name="target_unit").value = ["unit-a"]
        browser.getControl(name="subject").value = "برخورد نامناسب"
        fill_request(browser, body="شرح شکایت", applicant_national_code="")
        browser.getControl(name="form.buttons.send").click()
        assert "/@@request-receipt?" in browser.url
        code = code_on(browser)
        browser.reload()
        assert code_on(browser) == code and requests_count() == 1
        transaction.begin()
        assert desk_api.requests_folder()[code].kind == "complaint"


class TestEasyForm:
    def test_the_form_redirects_to_its_receipt(self, form_desk, browser_factory):
        form = form_desk["form"]
        browser = fill_form(browser_factory(), form.absolute_url())
        attach_transcript(browser)
        browser.followRedirects = False
        browser.getControl(name="form.buttons.submit").click()
        assert status(browser) == 303
        location = browser.headers["Location"]
        assert location.startswith(form.absolute_url() + "/@@request-receipt?")
        browser.open(location)
        code = code_on(browser)
        assert code and requests_count() == 1
        browser.reload()
        assert code_on(browser) == code and requests_count() == 1
        transaction.begin()
        request = desk_api.requests_folder()[code]
        assert desk_api.tracking_url(request).replace("&", "&amp;") in text(browser)

    def test_refused_answers_stay_on_the_form(self, form_desk, browser_factory):
        browser = fill_form(
            browser_factory(), form_desk["form"].absolute_url(), national_code="1234567890"
        )
        attach_transcript(browser)
        browser.followRedirects = False
        browser.getControl(name="form.buttons.submit").click()
        assert "Location" not in browser.headers
        assert requests_count() == 0

    def test_someone_else_cannot_open_it(self, form_desk, browser_factory):
        form = form_desk["form"]
        browser = fill_form(browser_factory(), form.absolute_url())
        attach_transcript(browser)
        browser.getControl(name="form.buttons.submit").click()
        code = code_on(browser)
        other = browser_factory("test-member")
        other.open(f"{form.absolute_url()}/@@request-receipt?{urlencode({'code': code})}")
        assert status(other) == 404 and APPLICANT["applicant_name"] not in text(other)


class TestAppointmentBooking:
    def book(self, browser, calendar):
        transaction.begin()
        slot = booking_api.next_free(calendar, limit=1)[0]
        browser.open(f"{calendar.absolute_url()}?day={slot.start.date().isoformat()}")
        browser.getControl(name="slot").value = [slot.key]
        for name, value in BOOKER.items():
            browser.getControl(name=name).value = value
        browser.getControl(name="form.buttons.book").click()
        return browser

    def bookings(self, calendar):
        transaction.begin()
        return list(calendar.bookings.values())

    def test_booking_redirects_to_its_receipt(self, receipt_desk, browser_factory):
        calendar = receipt_desk["calendar"]
        browser = browser_factory()
        browser.followRedirects = False
        self.book(browser, calendar)
        assert status(browser) == 303
        location = browser.headers["Location"]
        assert location.startswith(calendar.absolute_url() + "/@@appointment-receipt?")
        [booking] = self.bookings(calendar)
        assert query(location) == {"code": booking.tracking_code, "token": booking.tracking_secret}
        browser.open(location)
        assert "نوبت شما ثبت شد" in text(browser)
        assert code_on(browser) == booking.tracking_code
        assert "no-store" in browser.headers["Cache-Control"]
        browser.reload()
        assert code_on(browser) == booking.tracking_code
        assert len(self.bookings(calendar)) == 1
        browser.getLink(url="@@appointment-ics").click()
        assert "BEGIN:VEVENT" in text(browser)

    def test_someone_else_cannot_open_it(self, receipt_desk, browser_factory):
        calendar = receipt_desk["calendar"]
        self.book(browser_factory(), calendar)
        [booking] = self.bookings(calendar)
        other = browser_factory("test-member", language="en")
        base = calendar.absolute_url() + "/@@appointment-receipt?"
        for params in (
            {"code": booking.tracking_code},
            {"code": booking.tracking_code, "token": BOOKER["applicant_mobile"]},
            {"code": booking.tracking_code, "token": "x" * 24},
        ):
            other.open(base + urlencode(params))
            assert status(other) == 404, params
            assert "Receipt not found" in text(other)
            assert BOOKER["applicant_name"] not in text(other)

    def test_bad_input_is_not_redirected(self, receipt_desk, browser_factory):
        calendar = receipt_desk["calendar"]
        browser = browser_factory()
        browser.followRedirects = False
        transaction.begin()
        slot = booking_api.next_free(calendar, limit=1)[0]
        browser.open(f"{calendar.absolute_url()}?day={slot.start.date().isoformat()}")
        browser.getControl(name="slot").value = [slot.key]
        for name, value in dict(BOOKER, applicant_mobile="123").items():
            browser.getControl(name=name).value = value
        browser.getControl(name="form.buttons.book").click()
        assert status(browser) == 400 and "Location" not in browser.headers
        assert self.bookings(calendar) == []
