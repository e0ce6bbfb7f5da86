"""Tracking look-ups under attack: the counts are shared by every instance (the database),
the guesser is throttled, the real applicant gets through."""

from BTrees.OOBTree import OOBTree
from pathlib import Path
from plone import api
from tests.helpers import APPLICANT
from tests.helpers import make_service
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api import throttle
from uni.servicedesk.api import tracking
from uni.servicedesk.api.transactions import committed
from ZODB.MappingStorage import MappingStorage
from ZPublisher import HTTPRequest

import pytest
import re
import transaction
import ZODB

CODE = tracking.new_code(exists=lambda code: False)
ATTACKER = "203.0.113.66"
APPLICANT_ADDRESS = "198.51.100.7"


class Holder:
    """A request as the look-up sees it."""

    tracking_secret = "s3cr3t-link-secret-of-eighteen-b"
    applicant_mobile = "09121234567"
    applicant_email = "sara@example.com"


def find(code):
    return Holder() if code == CODE else None


@pytest.fixture
def two_instances():
    """One database, two instances' connections (each with its own cache and
    transactions), and the counters committed in it."""
    db = ZODB.DB(MappingStorage())
    with db.transaction() as connection:
        connection.root()["counters"] = OOBTree()
    instances = []
    for _ in range(2):
        manager = transaction.TransactionManager()
        connection = db.open(transaction_manager=manager)
        instances.append((manager, connection))
    yield [connection.root()["counters"] for _manager, connection in instances]
    for manager, connection in instances:
        manager.abort()
        connection.close()
    db.close()


def look_up(counters, verifier, client):
    return tracking.verify(CODE, verifier, find, client=client, counters=counters)


def test_the_attacker_is_throttled_on_both_instances_the_applicant_is_not(two_instances):
    first, second = two_instances
    for attempt in range(10):  # ten wrong guesses, spread over both instances
        assert look_up(first if attempt % 2 else second, f"0912000000{attempt}", ATTACKER) is None
    for counters in (first, second):  # both see all ten
        with pytest.raises(tracking.TooManyAttempts):
            look_up(counters, "09121234567", ATTACKER)  # even the right pair
        found = look_up(counters, "09121234567", APPLICANT_ADDRESS)
        assert isinstance(found, Holder)  # the real applicant, from her own address
    # The private link works even from the throttled address.
    assert isinstance(look_up(first, Holder.tracking_secret, ATTACKER), Holder)


def test_one_instance_alone_would_not_have_stopped_the_attacker(two_instances):
    """Each instance saw five failures: only the shared count reaches the limit."""
    first, second = two_instances
    for attempt in range(10):
        look_up(first if attempt % 2 else second, "09120000000", ATTACKER)
    for counters in (first, second):
        with throttle.SharedCounters(counters) as shared:
            assert shared.count(f"lookup-client:{ATTACKER}", 900) == 10
            assert shared.count(f"lookup-code:{CODE}", 900) == 10


def test_a_code_under_attack_from_many_addresses(two_instances):
    """Many addresses guessing one code: each may fail a few times, then is throttled for
    that code; the applicant's first right pair still gets through."""
    first, second = two_instances
    for index in range(10):
        look_up(first if index % 2 else second, "09120000000", f"203.0.113.{index}")
    with throttle.SharedCounters(first) as shared:
        assert throttle.lookup_blocked(shared, APPLICANT_ADDRESS, CODE) is False
    for _ in range(throttle.HOT_CODE_TRIES - 1):  # 1 failure already counted above
        look_up(second, "09120000000", "203.0.113.1")
    with pytest.raises(tracking.TooManyAttempts):
        look_up(first, "09121234567", "203.0.113.1")
    assert isinstance(look_up(second, "09121234567", APPLICANT_ADDRESS), Holder)
    assert isinstance(look_up(first, "sara@example.com", "203.0.113.200"), Holder)


def test_a_failure_counts_although_the_page_fails(two_instances):
    """The failure is committed on its own: aborting the page's transaction keeps it."""
    first, _second = two_instances
    transaction.begin()
    look_up(first, "09120000000", ATTACKER)
    transaction.abort()
    with throttle.SharedCounters(first) as shared:
        assert shared.count(f"lookup-client:{ATTACKER}", 900) == 1


def test_old_events_are_pruned():
    tree = OOBTree()
    old = throttle.now_ms() - (throttle.KEEP_SECONDS + 60) * 1000
    for _ in range(3):
        throttle.add(tree, "lookup-client:a", at=old)
        throttle.add(tree, "lookup-client:b", at=old)
    assert throttle.count(tree, "lookup-client:a", 3600) == 0
    throttle.add(tree, "lookup-client:a")  # its own expired events go with a new one
    assert [key[0] for key in tree.keys()].count("lookup-client:a") == 1
    assert throttle.prune(tree) == 3  # the rest by the periodic job
    assert len(tree) == 1


# -- through the publisher ---------------------------------------------------------------


@pytest.fixture
def submitted(functional, service_catalog):
    with api.env.adopt_roles(["Manager"]):
        make_service(service_catalog, "edu-101", allow_anonymous=True)
        request = committed(
            desk_api.submit, dict(APPLICANT, kind="complaint", subject="کلاس", body="سرد است")
        )
    return request


def track(browser, portal, code, verifier, forwarded=None):
    if forwarded:
        browser.addHeader("X-Forwarded-For", forwarded)
    browser.post(portal.absolute_url() + "/@@track", f"code={code}&verifier={verifier}")
    return browser.headers["status"][:3]


def test_the_page_throttles_the_guesser_not_the_applicant(functional, submitted, browser_factory):
    portal, code = functional["portal"], submitted.tracking_code
    attacker = browser_factory(address=ATTACKER)
    assert {track(attacker, portal, code, "09120000000") for _ in range(10)} == {"404"}
    assert track(attacker, portal, code, APPLICANT["applicant_mobile"]) == "429"
    assert "صبر" in attacker.contents  # "wait a few minutes", in Persian
    applicant = browser_factory(address=APPLICANT_ADDRESS)
    assert track(applicant, portal, code, APPLICANT["applicant_mobile"]) == "200"
    assert "سرد است" in applicant.contents
    attacker.open(desk_api.tracking_url(submitted))  # the private link
    assert attacker.headers["status"].startswith("200")


def test_a_forged_forwarded_for_buys_no_fresh_throttle(functional, submitted, browser_factory):
    """X-Forwarded-For from a client that is not a trusted proxy is ignored."""
    portal, code = functional["portal"], submitted.tracking_code
    attacker = browser_factory(address=ATTACKER)
    for index in range(10):
        track(attacker, portal, code, "09120000000", forwarded=f"192.0.2.{index}")
    assert (
        track(attacker, portal, code, APPLICANT["applicant_mobile"], forwarded="192.0.2.99")
        == "429"
    )


def test_behind_a_trusted_proxy_each_visitor_has_their_own_address(
    functional, submitted, browser_factory, monkeypatch
):
    """zope.conf's trusted-proxy: Zope takes the address from X-Forwarded-For, for
    requests from the proxy only; ten typos by one visitor do not lock out the others."""
    monkeypatch.setattr(HTTPRequest, "trusted_proxies", ["10.0.0.2"])
    portal, code = functional["portal"], submitted.tracking_code
    proxy = browser_factory(address="10.0.0.2")
    for _ in range(10):
        assert track(proxy, portal, code, "09120000000", forwarded=ATTACKER) == "404"
    assert track(proxy, portal, code, APPLICANT["applicant_mobile"]) == "429"
    other = browser_factory(address="10.0.0.2")
    other.addHeader("X-Forwarded-For", APPLICANT_ADDRESS)
    assert track(other, portal, code, APPLICANT["applicant_mobile"]) == "200"


def test_rest_lookups_are_throttled_too(functional, submitted, rest_factory):
    rest = rest_factory()
    body = {"code": submitted.tracking_code, "verifier": "09120000000"}
    statuses = [rest.post("/@track", json=body).status_code for _ in range(10)]
    assert statuses == [404] * 10
    answer = rest.post("/@track", json=dict(body, verifier=APPLICANT["applicant_mobile"]))
    assert answer.status_code == 429
    assert answer.json()["error"]["type"] == "TooManyRequests"
    link = rest.post("/@track", json=dict(body, verifier=submitted.tracking_secret))
    assert link.status_code == 200


def test_we_never_read_forwarded_for_ourselves():
    """The client address is Zope's getClientAddr() everywhere: no code of ours reads
    X-Forwarded-For (which any client can set)."""
    source = Path(__file__).resolve().parents[2] / "src"
    readers = re.compile(
        r"HTTP_X_FORWARDED|getHeader\(\s*['\"]x-forwarded|\[\s*['\"]x-forwarded", re.IGNORECASE
    )
    found = [str(path) for path in source.rglob("*.py") if readers.search(path.read_text())]
    assert found == []
