"""Security headers on every answer, set in one place; no server banner; private caching
of pages with personal data; a policy that our pages and an editor's form work under."""

from html.parser import HTMLParser
from plone import api
from tests.helpers import APPLICANT
from tests.helpers import make_service
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.transactions import committed
from uni.servicedesk.interfaces import DEFAULT_CSP

import pytest
import transaction

FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


@pytest.fixture
def desk(functional, service_catalog):
    portal = functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        service = make_service(service_catalog, "edu-101", allow_anonymous=True)
        request = committed(
            desk_api.submit, dict(APPLICANT, kind="complaint", subject="کلاس", body="سرد است")
        )
    transaction.commit()
    return {"portal": portal, "service": service, "request": request}


def header(browser, name):
    return browser.headers.get(name)


def assert_security_headers(browser):
    for name, value in FIXED.items():
        assert header(browser, name) == value, name
    assert header(browser, "Content-Security-Policy") == DEFAULT_CSP
    assert header(browser, "X-Powered-By") is None


class InlineCode(HTMLParser):
    """What a policy without 'unsafe-inline' scripts would block: inline scripts, event
    handler attributes, javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")
        executable = attrs.get("type", "text/javascript") in (
            "text/javascript",
            "module",
            "application/javascript",
            "",
        )
        self._in_script = tag == "script" and "src" not in attrs and executable

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/services",
        "/services/edu-101",
        "/@@contact",
        "/services/edu-101/@@request-service",
        "/@@track",
    ],
)
def test_public_pages_carry_the_headers_and_run_under_the_policy(desk, browser_factory, path):
    browser = browser_factory()
    browser.open(desk["portal"].absolute_url() + path)
    assert browser.headers["status"].startswith("200")
    assert_security_headers(browser)
    assert inline_code(browser.contents) == []


def test_an_editors_edit_form_runs_under_the_policy(desk, browser_factory):
    """The edit form of a service (TinyMCE, the toolbar, patterns) has no inline code that
    the policy would block; its scripts come from this site."""
    with api.env.adopt_roles(["Manager"]):
        page = api.content.create(
            container=desk["portal"], type="Document", id="about", title="درباره"
        )
    transaction.commit()
    browser = browser_factory("admin")
    browser.open(page.absolute_url() + "/edit")
    assert browser.headers["status"].startswith("200")
    # The rich text field (TinyMCE, started by mockup's patterns) and the toolbar.
    assert 'name="form.widgets.IRichTextBehavior.text"' in browser.contents
    assert "pat-textareamimetypeselector" in browser.contents
    assert "pat-toolbar" in browser.contents
    assert_security_headers(browser)
    assert inline_code(browser.contents) == []
    assert header(browser, "Cache-Control") != "private, no-store"


def test_error_pages_and_rest_answers_carry_them(desk, browser_factory, rest_factory):
    browser = browser_factory()
    browser.open(desk["portal"].absolute_url() + "/no-such-page")
    assert browser.headers["status"].startswith("404")
    assert_security_headers(browser)
    response = rest_factory().get("/@search")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Powered-By" not in response.headers


@pytest.mark.parametrize("path", ["/@@track", "/@@contact", "/services/edu-101/@@request-service"])
def test_personal_pages_are_not_cached(desk, browser_factory, path):
    browser = browser_factory()
    browser.open(desk["portal"].absolute_url() + path)
    assert header(browser, "Cache-Control") == "private, no-store"


def test_tracking_receipt_and_staff_pages_are_not_cached(desk, browser_factory, rest_factory):
    request = desk["request"]
    browser = browser_factory()
    browser.open(desk_api.tracking_url(request))
    assert "سرد است" in browser.contents
    assert header(browser, "Cache-Control") == "private, no-store"
    staff = browser_factory("test-supervisor")
    staff.open(request.absolute_url())
    assert header(staff, "Cache-Control") == "private, no-store"
    staff.open(desk["portal"].absolute_url() + "/@@cartable")
    assert header(staff, "Cache-Control") == "private, no-store"
    found = rest_factory().post(
        "/@track", json={"code": request.tracking_code, "verifier": APPLICANT["applicant_mobile"]}
    )
    assert found.status_code == 200
    assert found.headers["Cache-Control"] == "private, no-store"
    # A public page is not marked.
    browser.open(desk["portal"].absolute_url() + "/services")
    assert header(browser, "Cache-Control") != "private, no-store"


def test_the_policy_is_a_setting(desk, browser_factory):
    api.portal.set_registry_record(
        "uni.servicedesk.security.content_security_policy", "default-src 'self'; img-src *"
    )
    transaction.commit()
    browser = browser_factory()
    browser.open(desk["portal"].absolute_url())
    assert header(browser, "Content-Security-Policy") == "default-src 'self'; img-src *"
    api.portal.set_registry_record("uni.servicedesk.security.content_security_policy", "")
    transaction.commit()
    browser.open(desk["portal"].absolute_url())
    assert header(browser, "Content-Security-Policy") is None
    assert header(browser, "X-Content-Type-Options") == "nosniff"
