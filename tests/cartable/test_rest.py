"""GET and POST /@cartable: the same tabs, filters and bulk actions as the page, as JSON."""

from uni.servicedesk.api import requests as desk_api

import pytest
import transaction


def codes_of(response):
    return [item["tracking_code"] for item in response.json()["items"]]


class TestGet:
    def test_expert(self, desk_functional, rest_factory):
        codes = desk_functional["codes"]
        rest = rest_factory("expert-a")
        response = rest.get("/@cartable")
        assert response.status_code == 200, response.text
        data = response.json()
        assert data["tab"] == "mine"
        assert {t["id"]: t["count"] for t in data["tabs"]} == {
            "mine": 2,
            "unit": 2,
            "sla": 1,
            "awaiting": 1,
        }
        assert sorted(codes_of(response)) == sorted([codes["a1"], codes["wait_a"]])
        item = next(i for i in data["items"] if i["tracking_code"] == codes["a1"])
        assert item["sla_state"] == "overdue" and item["escalation_level"] == 2
        assert item["priority"] == "urgent" and item["channel"] == "rest"
        assert item["referred_unit"] == "unit-a" and item["referred_expert"] == "expert-a"
        assert item["@id"].endswith(f"/requests/{codes['a1']}")
        assert rest.get("/@cartable?tab=unassigned").status_code in (401, 403)

    def test_supervisor_filters_sorts_pages(self, desk_functional, rest_factory):
        codes = desk_functional["codes"]
        rest = rest_factory("test-supervisor")
        assert codes_of(rest.get("/@cartable")) == [codes["new"]]
        assert codes_of(rest.get("/@cartable?tab=sla&sort=priority")) == [
            codes["a1"],
            codes["b1"],
            codes["new"],
        ]
        assert codes_of(
            rest.get("/@cartable", params={"tab": "sla", "kind": "request", "channel": "rest"})
        ) == [codes["a1"]]
        ranged = rest.get("/@cartable", params={"tab": "sla", "created_from": "۱۴۰۵/۰۹/۰۹"})
        assert codes_of(ranged) == [codes["new"], codes["b1"]]
        # the tabs count the work, not the filtered page
        assert ranged.json()["items_total"] == 2
        assert {t["id"]: t["count"] for t in ranged.json()["tabs"]}["sla"] == 3
        paged = rest.get("/@cartable?tab=sla&b_size=2").json()
        assert paged["items_total"] == 3 and len(paged["items"]) == 2
        assert paged["batching"]["prev"] is None and "b_start=2" in paged["batching"]["next"]
        rest_page = rest.get(paged["batching"]["next"]).json()
        assert [i["tracking_code"] for i in rest_page["items"]] == [codes["a1"]]

    def test_bad_filters_are_400(self, desk_functional, rest_factory):
        rest = rest_factory("test-supervisor")
        response = rest.get(
            "/@cartable", params={"tab": "sla", "created_to": "۱۴۰۵/۱۳/۰۱", "priority": "x"}
        )
        assert response.status_code == 400
        fields = sorted(e["field"] for e in response.json()["error"]["errors"])
        assert fields == ["created_to", "priority"]
        assert rest.get("/@cartable?tab=nope").status_code == 400
        assert rest.get("/@cartable?b_start=-5").status_code == 400

    @pytest.mark.parametrize("user", [None, "test-member", "test-editor"])
    def test_others_get_nothing(self, desk_functional, rest_factory, user):
        rest = rest_factory(user)
        response = rest.get("/@cartable")
        assert response.status_code in (401, 403)
        assert "items" not in response.json()
        response = rest.post(
            "/@cartable", json={"action": "start", "codes": [desk_functional["codes"]["a1"]]}
        )
        assert response.status_code in (401, 403)


class TestPost:
    def test_bulk_transition_reports_per_code(self, desk_functional, rest_factory):
        codes = desk_functional["codes"]
        rest = rest_factory("expert-a")
        response = rest.post(
            "/@cartable",
            json={
                "action": "start",
                "codes": [codes["a1"], codes["a2"], codes["wait_a"], codes["b1"], "99999"],
            },
        )
        assert response.status_code == 200, response.text
        data = response.json()
        assert (data["done"], data["refused"]) == (2, 3)
        assert [r["status"] for r in data["results"]] == [
            "done",
            "done",
            "refused",
            "refused",
            "refused",
        ]
        assert all(r["message"] for r in data["results"])
        transaction.begin()
        assert desk_api.state(desk_api.find_by_code(codes["a2"])) == "in_progress"

    def test_bulk_refer_supervisor_only(self, desk_functional, rest_factory):
        codes = desk_functional["codes"]
        expert = rest_factory("expert-a")
        response = expert.post(
            "/@cartable", json={"action": "refer", "codes": [codes["a1"]], "unit": "unit-b"}
        )
        assert response.status_code in (401, 403)
        supervisor = rest_factory("test-supervisor")
        response = supervisor.post(
            "/@cartable", json={"action": "refer", "codes": [codes["new"]], "expert": "expert-a2"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["status"] == "done"
        transaction.begin()
        assert desk_api.find_by_code(codes["a1"]).referred_unit == "unit-a"
        assert desk_api.find_by_code(codes["new"]).referred_expert == "expert-a2"
        assert codes_of(rest_factory("expert-a2").get("/@cartable")) == [codes["new"]]

    def test_bad_bulk_is_400(self, desk_functional, rest_factory):
        rest = rest_factory("test-supervisor")
        for body in (
            {"action": "start"},
            {"action": "fly", "codes": ["1"]},
            {"action": "refer", "codes": ["1"], "unit": "unit-nowhere"},
        ):
            response = rest.post("/@cartable", json=body)
            assert response.status_code == 400, body
            assert response.json()["error"]
        assert (
            rest.post(
                "/@cartable", data="nope", headers={"Content-Type": "application/json"}
            ).status_code
            == 400
        )
