"""Idempotency-Key on REST creations: the same key gets the first answer instead of a second
request or booking; the same key with another body is refused (422); keys are per caller
and endpoint, kept 24 hours, and safe under concurrent retries."""

from concurrent.futures import ThreadPoolExecutor
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.appointments.conftest import BOOKER
from tests.appointments.conftest import make_calendar
from tests.helpers import APPLICANT
from tests.helpers import make_catalog
from tests.helpers import make_service
from uni.servicedesk.api import appointments as booking_api
from uni.servicedesk.api import idempotency
from uni.servicedesk.api import requests as desk_api

import pytest
import requests
import transaction

EVERY_DAY = [f"{day} 08:00-18:00" for day in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")]


@pytest.fixture
def rest_desk(functional):
    portal = functional["portal"]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    service = make_service(make_catalog(portal), code="EDU-101", allow_anonymous=True)
    calendar = make_calendar(
        service, weekly_hours=EVERY_DAY, min_notice_hours=0, cancel_cutoff_hours=1, capacity=5
    )
    logout()
    transaction.commit()
    return {"portal": portal, "service": service, "calendar": calendar}


def payload(**changes):
    data = dict(APPLICANT, kind="request", service="EDU-101", body="لطفا گواهی صادر شود")
    data.update(changes)
    return data


def keyed(key):
    return {idempotency.HEADER: key}


def requests_count():
    transaction.begin()
    return len(desk_api.requests_folder().objectIds())


class TestRequests:
    def test_the_same_key_gets_the_first_answer(self, rest_desk, rest_factory):
        client = rest_factory()
        first = client.post("/requests", json=payload(), headers=keyed("order-1"))
        assert first.status_code == 201, first.text
        assert idempotency.REPLAYED_HEADER not in first.headers
        again = client.post("/requests", json=payload(), headers=keyed("order-1"))
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["Location"] == first.headers["Location"]
        assert again.headers[idempotency.REPLAYED_HEADER] == "true"
        assert requests_count() == 1

    def test_the_body_may_come_in_another_order(self, rest_desk, rest_factory):
        client = rest_factory()
        data = payload()
        first = client.post("/requests", json=data, headers=keyed("k"))
        reordered = dict(reversed(list(data.items())))
        assert client.post("/requests", json=reordered, headers=keyed("k")).json() == first.json()
        assert requests_count() == 1

    def test_a_reused_key_with_another_body_is_422(self, rest_desk, rest_factory):
        client = rest_factory()
        assert client.post("/requests", json=payload(), headers=keyed("k")).status_code == 201
        reused = client.post("/requests", json=payload(subject="چیز دیگری"), headers=keyed("k"))
        assert reused.status_code == 422
        assert reused.json()["error"]["type"] == "UnprocessableEntity"
        assert "Idempotency-Key" in reused.json()["error"]["message"]
        assert requests_count() == 1

    def test_without_a_key_each_post_creates(self, rest_desk, rest_factory):
        client = rest_factory()
        codes = {client.post("/requests", json=payload()).json()["tracking_code"] for _ in range(2)}
        assert len(codes) == 2 and requests_count() == 2

    def test_keys_are_each_callers_own(self, rest_desk, rest_factory):
        member = rest_factory("test-member").post("/requests", json=payload(), headers=keyed("k"))
        editor = rest_factory("test-editor").post("/requests", json=payload(), headers=keyed("k"))
        assert member.status_code == editor.status_code == 201
        assert member.json()["tracking_code"] != editor.json()["tracking_code"]
        # ...and each endpoint's: the same key books an appointment too
        transaction.begin()
        slot = booking_api.next_free(rest_desk["calendar"], limit=1)[0]
        booked = rest_factory("test-member").post(
            rest_desk["calendar"].absolute_url() + "/@book",
            json=dict(BOOKER, slot=slot.key),
            headers=keyed("k"),
        )
        assert booked.status_code == 201
        assert requests_count() == 2

    def test_a_refused_call_keeps_nothing(self, rest_desk, rest_factory):
        client = rest_factory()
        bad = client.post(
            "/requests", json=payload(applicant_national_code="1111111111"), headers=keyed("k")
        )
        assert bad.status_code == 400
        good = client.post("/requests", json=payload(), headers=keyed("k"))
        assert good.status_code == 201
        assert requests_count() == 1

    @pytest.mark.parametrize("key", ["", "x" * 256, "کلید", "a\tb"])
    def test_bad_keys(self, rest_desk, rest_factory, key):
        response = rest_factory().post(
            "/requests", json=payload(), headers={idempotency.HEADER: key.encode("utf-8")}
        )
        assert response.status_code == 400
        fields = [e["field"] for e in response.json()["error"]["errors"]]
        assert fields == ["Idempotency-Key"]
        assert requests_count() == 0

    def test_concurrent_retries_create_one_request(self, rest_desk):
        url = rest_desk["portal"].absolute_url() + "/requests"

        def attempt(_index):
            return requests.post(
                url,
                json=payload(),
                timeout=60,
                headers={"Accept": "application/json", **keyed("same")},
            )

        with ThreadPoolExecutor(6) as pool:
            responses = list(pool.map(attempt, range(6)))
        assert [r.status_code for r in responses] == [201] * 6, [r.text[:200] for r in responses]
        assert len({r.json()["tracking_code"] for r in responses}) == 1
        assert requests_count() == 1


class TestBooking:
    def test_the_same_key_books_once(self, rest_desk, rest_factory):
        calendar = rest_desk["calendar"]
        transaction.begin()
        slot = booking_api.next_free(calendar, limit=1)[0]
        client = rest_factory()
        url = calendar.absolute_url() + "/@book"
        first = client.post(url, json=dict(BOOKER, slot=slot.key), headers=keyed("b-1"))
        assert first.status_code == 201, first.text
        again = client.post(url, json=dict(BOOKER, slot=slot.key), headers=keyed("b-1"))
        assert (again.status_code, again.json()) == (201, first.json())
        assert again.headers[idempotency.REPLAYED_HEADER] == "true"
        other = client.post(
            url, json=dict(BOOKER, slot=slot.key, applicant_name="دیگری"), headers=keyed("b-1")
        )
        assert other.status_code == 422
        transaction.begin()
        assert [b.tracking_code for b in calendar.bookings.values()] == [
            first.json()["tracking_code"]
        ]
        assert calendar.slots[slot.key].codes == (first.json()["tracking_code"],)

    def test_bad_key(self, rest_desk, rest_factory):
        calendar = rest_desk["calendar"]
        transaction.begin()
        slot = booking_api.next_free(calendar, limit=1)[0]
        response = rest_factory().post(
            calendar.absolute_url() + "/@book",
            json=dict(BOOKER, slot=slot.key),
            headers=keyed("x" * 300),
        )
        assert response.status_code == 400
        transaction.begin()
        assert list(calendar.bookings.keys()) == []


class TestStore:
    """The store itself (integration): expiry and lazy pruning."""

    def answer(self, code="1"):
        return idempotency.Answer(201, {"tracking_code": code}, {"Location": "http://x/" + code})

    def test_kept_for_a_day(self, portal):
        key = idempotency.Key("d" * 64, "f")
        idempotency.remember(key, self.answer(), now=1_000_000.0)
        kept = idempotency.lookup(key, now=1_000_000.0 + idempotency.TTL - 1)
        assert kept.body == {"tracking_code": "1"} and kept.replayed
        assert kept.headers == {"Location": "http://x/1"}
        assert idempotency.lookup(key, now=1_000_000.0 + idempotency.TTL) is None
        with pytest.raises(idempotency.KeyReused):
            idempotency.lookup(idempotency.Key("d" * 64, "other"), now=1_000_001.0)

    def test_old_periods_are_dropped_when_a_new_one_starts(self, portal):
        start = 100 * idempotency.TTL
        for day in range(4):
            idempotency.remember(
                idempotency.Key(f"{day:064d}", "f"),
                self.answer(str(day)),
                now=start + day * idempotency.TTL,
            )
        store = idempotency.get_store()
        assert sorted(store.keys()) == [102, 103]
        assert (
            idempotency.lookup(idempotency.Key(f"{0:064d}", "f"), now=start + 3 * idempotency.TTL)
            is None
        )

    def test_reading_writes_nothing(self, portal):
        from zope.annotation.interfaces import IAnnotations

        IAnnotations(portal).pop(idempotency.ANNOTATION_KEY, None)
        assert idempotency.lookup(idempotency.Key("a" * 64, "f")) is None
        assert idempotency.ANNOTATION_KEY not in IAnnotations(portal)

    def test_made_at_install(self, portal):
        assert idempotency.get_store(create=False) is not None
