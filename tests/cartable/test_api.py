"""The cartable's domain functions: tabs per role, filters, sorting, batching, bulk actions."""

from AccessControl import Unauthorized
from plone import api
from tests.cartable.conftest import as_user
from tests.cartable.conftest import jalali
from tests.cartable.conftest import submit
from uni.servicedesk.api import cartable
from uni.servicedesk.api.cartable import query as cartable_query
from uni.servicedesk.api import requests as desk_api

import pytest


def codes(listing):
    return [brain.tracking_code for brain in listing.brains]


def names(desk, listing):
    by_code = {r.tracking_code: name for name, r in desk.items() if hasattr(r, "tracking_code")}
    return sorted(by_code[code] for code in codes(listing))


def tab(desk, user, name, **kwargs):
    as_user(desk["portal"], user)
    return names(desk, cartable.search(name, **kwargs))


class TestVisibility:
    def test_expert_sees_own_and_units_not_other_units(self, desk):
        assert tab(desk, "expert-a", "mine") == ["a1", "wait_a"]
        assert tab(desk, "expert-a", "unit") == ["a1", "a2"]
        assert tab(desk, "expert-a", "sla") == ["a1"]
        assert tab(desk, "expert-a", "awaiting") == ["wait_a"]
        assert tab(desk, "expert-b", "mine") == ["b1"]
        assert tab(desk, "expert-b", "unit") == ["b1", "wait_b"]  # awaiting is active too
        assert tab(desk, "expert-b", "sla") == ["b1"]
        assert tab(desk, "expert-b", "awaiting") == ["wait_b"]

    def test_colleague_in_the_unit(self, desk):
        assert tab(desk, "expert-a2", "mine") == []
        assert tab(desk, "expert-a2", "unit") == ["a1", "a2"]
        # a1 is referred to the unit too, so the unit's experts see its SLA alert
        assert tab(desk, "expert-a2", "sla") == ["a1"]
        assert tab(desk, "expert-a2", "awaiting") == []

    def test_expert_without_unit(self, desk):
        assert tab(desk, "test-agent", "mine") == []
        assert tab(desk, "test-agent", "unit") == []
        assert tab(desk, "test-agent", "sla") == []

    def test_supervisor_sees_unassigned_and_all_alerts(self, desk):
        assert tab(desk, "test-supervisor", "unassigned") == ["new"]
        assert tab(desk, "test-supervisor", "sla") == ["a1", "b1", "new"]
        assert tab(desk, "test-supervisor", "awaiting") == ["wait_a", "wait_b"]
        assert tab(desk, "test-supervisor", "mine") == []
        assert cartable.tabs() == ["mine", "unit", "unassigned", "sla", "awaiting", "resolved"]
        assert cartable.default_tab() == "unassigned"

    def test_expert_may_not_see_unassigned(self, desk):
        as_user(desk["portal"], "expert-a")
        assert "unassigned" not in cartable.tabs()
        assert cartable.default_tab() == "mine"
        with pytest.raises(Unauthorized):
            cartable.search("unassigned")

    @pytest.mark.parametrize("user", [None, "test-member", "test-editor", "test-reviewer"])
    def test_others_get_nothing(self, desk, user):
        as_user(desk["portal"], user)
        assert not cartable.is_staff()
        for name in cartable.TABS:
            with pytest.raises(Unauthorized):
                cartable.search(name)
        with pytest.raises(Unauthorized):
            cartable.counts()
        with pytest.raises(Unauthorized):
            cartable.bulk([desk["a1"].tracking_code], "start")

    def test_closed_requests_leave_the_tabs(self, desk):
        as_user(desk["portal"], "expert-a")
        everything = set()
        for name in cartable.tabs():
            everything.update(codes(cartable.search(name)))
        assert desk["done_a"].tracking_code not in everything

    def test_counts(self, desk):
        as_user(desk["portal"], "expert-a")
        assert cartable.counts() == {"mine": 2, "unit": 2, "sla": 1, "awaiting": 1}
        as_user(desk["portal"], "test-supervisor")
        assert cartable.counts() == {
            "mine": 0,
            "unit": 0,
            "unassigned": 1,
            "sla": 3,
            "awaiting": 2,
            "resolved": 1,
        }
        assert cartable.counts(filters={"priority": "urgent"})["sla"] == 1

    def test_a_request_in_both_halves_of_a_tab_counts_once(self, desk):
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(desk["wait_a"], unit="unit-a", expert="expert-a")
        as_user(desk["portal"], "expert-a")
        assert tab(desk, "expert-a", "awaiting") == ["wait_a"]
        assert cartable.counts()["awaiting"] == 1

    def test_unknown_tab(self, desk):
        as_user(desk["portal"], "expert-a")
        with pytest.raises(cartable.FilterError) as info:
            cartable.search("everything")
        assert "tab" in info.value.errors


class TestFilters:
    def listing(self, desk, user="test-supervisor", name="sla", **form):
        as_user(desk["portal"], user)
        return names(desk, cartable.search(name, cartable.parse_filters(form)))

    def test_kind(self, desk):
        assert self.listing(desk, "expert-a", "unit", kind="complaint") == ["a2"]
        assert self.listing(desk, "expert-a", "unit", kind="request") == ["a1"]

    def test_service(self, desk):
        lib = desk["services"]["lib"].UID()
        assert self.listing(desk, service=lib) == ["b1"]
        assert self.listing(desk, service=desk["services"]["edu"].UID()) == ["a1", "new"]

    def test_state(self, desk):
        assert self.listing(desk, name="awaiting", state="awaiting_applicant") == [
            "wait_a",
            "wait_b",
        ]
        assert self.listing(desk, state="submitted") == ["new"]
        assert self.listing(desk, state="assigned") == ["a1", "b1"]
        # a state outside the tab: nothing, not an error
        assert self.listing(desk, state="closed") == []

    def test_priority_and_channel(self, desk):
        assert self.listing(desk, priority="urgent") == ["a1"]
        assert self.listing(desk, priority="high") == ["b1"]
        assert self.listing(desk, channel="rest") == ["a1"]
        assert self.listing(desk, channel="web") == ["b1", "new"]

    def test_jalali_range_with_persian_and_arabic_digits(self, desk):
        assert self.listing(desk, created_from="۱۴۰۵/۰۹/۰۱", created_to="۱۴۰۵/۰۹/۰۵") == ["a1"]
        assert self.listing(desk, created_from="1405/9/1", created_to="1405/9/1") == ["a1"]
        assert self.listing(desk, created_from="١٤٠٥-٠٩-٠٢") == ["b1", "new"]
        assert self.listing(desk, "expert-a", "unit", created_to="1405/08/30") == ["a2"]
        assert self.listing(desk, created_from="1405/09/01", created_to="1405/09/11") == [
            "a1",
            "b1",
        ]

    def test_combined(self, desk):
        assert self.listing(desk, priority="urgent", channel="web") == []
        assert self.listing(desk, kind="request", priority="high", created_from="1405/09/01") == [
            "b1"
        ]

    @pytest.mark.parametrize(
        "form, field",
        [
            ({"kind": "spam"}, "kind"),
            ({"service": "not-a-uid"}, "service"),
            ({"service": "0" * 32}, "service"),
            ({"state": "private"}, "state"),
            ({"priority": "asap"}, "priority"),
            ({"channel": "pigeon"}, "channel"),
            ({"created_from": "1405/13/01"}, "created_from"),
            ({"created_from": "yesterday"}, "created_from"),
            ({"created_to": "1405/02/32"}, "created_to"),
            ({"created_from": "1405/09/10", "created_to": "1405/09/01"}, "created_to"),
        ],
    )
    def test_bad_filter_is_a_clear_error(self, desk, form, field):
        with pytest.raises(cartable.FilterError) as info:
            cartable.parse_filters(form)
        assert list(info.value.errors) == [field]

    def test_every_bad_filter_named(self, desk):
        with pytest.raises(cartable.FilterError) as info:
            cartable.parse_filters({"kind": "spam", "created_from": "x", "priority": "normal"})
        assert sorted(info.value.errors) == ["created_from", "kind"]

    def test_jalali_dates(self):
        assert cartable.jalali_date("۱۴۰۵/۰۱/۰۱").isoformat() == "2026-03-21"
        assert (
            cartable.jalali_date(" 1403/12/30 ").isoformat() == "2025-03-20"
        )  # a leap year's last day
        assert (
            cartable.jalali_date("٢٠٢٦-١١-٢٢").isoformat() == "2026-11-22"
        )  # Gregorian, as shown in English
        for bad in ("1404/12/30", "1405/0/1", "2026-02-30", "1405/09", "۱۴۰۵/۰۹/۰۱/۰۱"):
            with pytest.raises(ValueError):
                cartable.jalali_date(bad)  # 1404 is not a leap year


class TestSortingAndBatching:
    def test_sorts(self, desk):
        as_user(desk["portal"], "test-supervisor")
        sla = {name: desk[name] for name in ("a1", "b1", "new")}
        newest = [desk[n].tracking_code for n in ("new", "b1", "a1")]
        assert codes(cartable.search("sla")) == newest
        assert codes(cartable.search("sla", order="asc")) == list(reversed(newest))
        by_priority = [desk[n].tracking_code for n in ("a1", "b1", "new")]  # urgent, high, normal
        assert codes(cartable.search("sla", sort="priority")) == by_priority
        assert codes(cartable.search("sla", sort="priority", order="asc")) == list(
            reversed(by_priority)
        )
        due = sorted(sla.values(), key=lambda r: r.due_date)
        assert codes(cartable.search("sla", sort="due_date")) == [r.tracking_code for r in due]

    @pytest.mark.parametrize(
        "kwargs, field",
        [
            ({"sort": "subject"}, "sort"),
            ({"order": "sideways"}, "order"),
            ({"b_start": "-1"}, "b_start"),
            ({"b_start": "two"}, "b_start"),
            ({"b_size": "1000"}, "b_size"),
        ],
    )
    def test_bad_sort_or_page(self, desk, kwargs, field):
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(cartable.FilterError) as info:
            cartable.search("sla", **kwargs)
        assert field in info.value.errors

    def test_pages_of_twenty(self, desk):
        portal = desk["portal"]
        as_user(portal, None)
        many = [submit(desk["services"]["edu"], subject=f"درخواست {i}") for i in range(45)]
        for index, request in enumerate(many):  # distinct registration times
            request.creation_date = jalali(1405, 8, 1 + index % 28, hour=1 + index % 20)
            request.reindexObject()
        as_user(portal, "test-supervisor")
        first = cartable.search("unassigned")
        assert first.total == 46 and len(list(first.brains)) == 20
        batch = first.batch()
        assert batch.numpages == 3 and batch.has_next
        pages = [codes(first)]
        pages.append(codes(cartable.search("unassigned", b_start=20)))
        pages.append(codes(cartable.search("unassigned", b_start="۴۰")))
        assert [len(p) for p in pages] == [20, 20, 6]
        seen = [c for page in pages for c in page]
        assert len(set(seen)) == 46
        catalog = api.portal.get_tool("portal_catalog")
        plain = [
            b.tracking_code
            for b in catalog(
                portal_type="ServiceRequest",
                review_state="submitted",
                sort_on="created",
                sort_order="descending",
            )
        ]
        assert seen == plain
        assert codes(cartable.search("unassigned", b_start=60)) == []
        # the same order by priority and by due date, page by page
        for sort in ("priority", "due_date"):
            whole = codes(cartable.search("unassigned", sort=sort, b_size=100))
            paged = [
                c
                for start in (0, 20, 40)
                for c in codes(cartable.search("unassigned", sort=sort, b_start=start))
            ]
            assert paged == whole

    def test_walk_and_heap_agree(self, desk):
        """Large tabs are put in order by walking the index, small ones by a heap: same order."""
        import random

        as_user(desk["portal"], None)
        for i in range(30):
            submit(desk["services"]["edu"], subject=f"r{i}")
        as_user(desk["portal"], "test-supervisor")
        catalog = api.portal.get_tool("portal_catalog")
        rids = cartable.matching("unassigned")
        index = catalog._catalog.getIndex("created")
        for descending in (True, False):
            for want in (1, 5, 20, 31, 50):
                walked = cartable_query._walk(index, rids, descending, want, budget=10**6)
                keys = index.documentToKeyMap()
                expected = sorted(rids, key=lambda r: (keys[r], r), reverse=descending)[:want]
                assert (walked or expected)[:want] == expected
        subset = type(rids)(random.sample(list(rids), 7))
        heap = cartable_query._in_order(catalog, subset, "created", True, 5)
        walk = cartable_query._walk(index, subset, True, 5, budget=10**6)
        assert heap == walk[:5]  # a walk may bring more of the last minute than wanted


class TestBulk:
    def test_supervisor_refers_in_bulk(self, desk):
        as_user(desk["portal"], None)
        more = submit(desk["services"]["edu"], subject="یکی دیگر")
        as_user(desk["portal"], "test-supervisor")
        results = cartable.bulk(
            [desk["new"].tracking_code, more.tracking_code],
            "refer",
            unit="unit-b",
            expert="expert-b",
            note="فوری",
        )
        assert [r["status"] for r in results] == ["done", "done"]
        for request in (desk["new"], more):
            assert desk_api.state(request) == "assigned"
            assert request.referred_unit == "unit-b" and request.referred_expert == "expert-b"
        as_user(desk["portal"], "expert-b")
        assert {desk["new"].tracking_code, more.tracking_code} <= set(
            codes(cartable.search("mine"))
        )

    def test_expert_may_not_refer_in_bulk(self, desk):
        as_user(desk["portal"], "expert-a")
        with pytest.raises(Unauthorized):
            cartable.bulk([desk["a1"].tracking_code], "refer", unit="unit-b")
        assert desk["a1"].referred_unit == "unit-a"

    def test_refer_needs_a_valid_unit_or_expert(self, desk):
        as_user(desk["portal"], "test-supervisor")
        code = desk["new"].tracking_code
        for kwargs, field in (
            ({}, "unit"),
            ({"unit": "unit-zzz"}, "unit"),
            ({"unit": "Administrators"}, "unit"),
            ({"expert": "test-member"}, "expert"),
        ):
            with pytest.raises(cartable.FilterError) as info:
                cartable.bulk([code], "refer", **kwargs)
            assert field in info.value.errors
        assert desk_api.state(desk["new"]) == "submitted"

    def test_a_mix_is_reported_code_by_code(self, desk):
        as_user(desk["portal"], "expert-a")
        given = [
            desk["a1"].tracking_code,  # referred to them: started
            desk["wait_a"].tracking_code,  # awaiting the applicant: start is not possible
            desk["b1"].tracking_code,  # another unit's: not even seen
            "12345",  # no such code
            desk["a2"].tracking_code,
        ]  # their unit's: started
        results = cartable.bulk(given, "start")
        assert [r["status"] for r in results] == ["done", "refused", "refused", "refused", "done"]
        assert (
            results[2]["message"] == results[3]["message"]
        )  # a code they may not see says nothing
        assert desk_api.state(desk["a1"]) == "in_progress"
        assert desk_api.state(desk["a2"]) == "in_progress"
        assert desk_api.state(desk["wait_a"]) == "awaiting_applicant"
        assert desk_api.state(desk["b1"]) == "assigned"
        # the listing follows at once (the catalog was told)
        as_user(desk["portal"], "test-supervisor")
        assert cartable.search("sla", cartable.parse_filters({"state": "in_progress"})).total == 1

    def test_persian_digits_and_duplicates(self, desk):
        from uni.servicedesk.localization import localize_digits

        as_user(desk["portal"], "expert-a")
        code = desk["a1"].tracking_code
        results = cartable.bulk([localize_digits(code, "fa"), code], "start")
        assert [(r["code"], r["status"]) for r in results] == [(code, "done")]

    def test_reject_is_the_supervisors(self, desk):
        as_user(desk["portal"], "expert-a")
        results = cartable.bulk([desk["a1"].tracking_code], "reject", note="تکراری")
        assert results[0]["status"] == "refused"
        assert desk_api.state(desk["a1"]) == "assigned"
        as_user(desk["portal"], "test-supervisor")
        results = cartable.bulk([desk["a1"].tracking_code, desk["done_a"].tracking_code], "reject")
        assert [r["status"] for r in results] == ["done", "refused"]
        assert desk_api.state(desk["a1"]) == "rejected"

    def test_refused_request_is_left_whole(self, desk):
        """A refusal half-way through an action leaves nothing of it behind."""
        request = desk["wait_a"]
        timeline = len(request.timeline)
        as_user(desk["portal"], "expert-a")
        results = cartable.bulk([request.tracking_code], "resolve", note="حل شد")
        assert results[0]["status"] == "refused"
        assert len(request.timeline) == timeline
        assert desk_api.state(request) == "awaiting_applicant"

    @pytest.mark.parametrize(
        "codes_, action, field",
        [
            ([], "start", "codes"),
            (["1"] * 1 + [str(i) for i in range(300)], "start", "codes"),
            (["123"], "explode", "action"),
        ],
    )
    def test_bad_bulk_input(self, desk, codes_, action, field):
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(cartable.FilterError) as info:
            cartable.bulk(codes_, action)
        assert field in info.value.errors
