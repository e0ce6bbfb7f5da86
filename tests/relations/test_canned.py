"""Canned responses through the API: who keeps them, where each is offered, filling in."""

from AccessControl import Unauthorized
from plone import api
from tests.relations.conftest import submit
from tests.requests.conftest import as_user
from uni.servicedesk.api.requests import canned
from uni.servicedesk.api import requests as desk_api
from uni.servicedesk.api.validation import InputError
from uni.servicedesk.localization import localize_digits

import pytest


@pytest.fixture
def texts(desk):
    """One canned response per scope (titles sort them: the order they are offered in)."""
    as_user(desk["portal"], "test-supervisor")
    ids = {
        "global": canned.add_canned("ب — پاسخ عمومی", "${name} گرامی، درخواست ${code} بررسی شد."),
        "service": canned.add_canned(
            "الف — گواهی", "گواهی «${service}» آماده است.", desk["service"].UID()
        ),
        "other_service": canned.add_canned("کارت", "کارت آماده است.", desk["other_service"].UID()),
        "unit_a": canned.add_canned("ج — واحد الف", "واحد الف پاسخ می‌دهد.", "unit-a"),
        "unit_b": canned.add_canned("د — واحد ب", "واحد ب پاسخ می‌دهد.", "unit-b"),
    }
    as_user(desk["portal"], None)
    return ids


def offered(request, user="test-supervisor"):
    as_user(api.portal.get(), user)
    return [c["title"] for c in canned.canned_for(request)]


class TestManage:
    def test_add_update_remove(self, desk):
        as_user(desk["portal"], "test-supervisor")
        canned_id = canned.add_canned("  پاسخ   نمونه ", " متن ${name} ", "unit-a")
        assert canned.get_canned(canned_id) == {
            "id": canned_id,
            "title": "پاسخ نمونه",
            "text": "متن ${name}",
            "scope": "unit-a",
        }
        canned.update_canned(canned_id, "پاسخ دیگر", "متن دیگر", "")
        assert [(c["title"], c["text"], c["scope"]) for c in canned.all_canned()] == [
            ("پاسخ دیگر", "متن دیگر", "")
        ]
        canned.remove_canned(canned_id)
        assert canned.all_canned() == []
        with pytest.raises(InputError):
            canned.remove_canned(canned_id)

    @pytest.mark.parametrize(
        "title,text,scope,field",
        [
            ("", "متن", "", "title"),
            ("عنوان", "  ", "", "text"),
            ("عنوان", "متن", "unit-nowhere", "scope"),
            ("عنوان", "متن", "Reviewers", "scope"),
            ("عنوان", "متن", "not-a-uid", "scope"),
        ],
    )
    def test_bad_input_stores_nothing(self, desk, title, text, scope, field):
        as_user(desk["portal"], "test-supervisor")
        with pytest.raises(InputError) as info:
            canned.add_canned(title, text, scope)
        assert info.value.field == field
        assert canned.all_canned() == []

    def test_bad_update_changes_nothing(self, desk):
        as_user(desk["portal"], "test-supervisor")
        canned_id = canned.add_canned("عنوان", "متن")
        with pytest.raises(InputError):
            canned.update_canned(canned_id, "", "متن تازه")
        with pytest.raises(InputError):
            canned.update_canned("nope", "عنوان", "متن")
        assert canned.get_canned(canned_id)["text"] == "متن"

    @pytest.mark.parametrize("user", [None, "test-member", "test-agent", "expert-a", "test-editor"])
    def test_who_may_not_manage(self, desk, texts, user):
        as_user(desk["portal"], user)
        with pytest.raises(Unauthorized):
            canned.add_canned("عنوان", "متن")
        with pytest.raises(Unauthorized):
            canned.update_canned(texts["global"], "عنوان", "متن")
        with pytest.raises(Unauthorized):
            canned.remove_canned(texts["global"])
        with pytest.raises(Unauthorized):
            canned.all_canned()
        assert canned.get_canned(texts["global"])["title"] == "ب — پاسخ عمومی"

    @pytest.mark.parametrize("user", ["test-siteadmin", "test-supervisor"])
    def test_who_may_manage(self, desk, user):
        as_user(desk["portal"], user)
        assert canned.may_manage()
        canned.add_canned("عنوان", "متن")


class TestOffered:
    def test_scoping(self, desk, texts):
        request = submit(desk)
        assert offered(request) == ["الف — گواهی", "ب — پاسخ عمومی"]
        desk_api.refer(request, unit="unit-a")
        assert offered(request) == ["الف — گواهی", "ب — پاسخ عمومی", "ج — واحد الف"]
        # The expert of the unit is offered the same.
        assert offered(request, "expert-a") == ["الف — گواهی", "ب — پاسخ عمومی", "ج — واحد الف"]

    def test_target_unit_of_a_complaint(self, desk, texts):
        as_user(desk["portal"], None)
        complaint = desk_api.submit({
            "kind": "complaint",
            "subject": "شکایت",
            "body": "شرح",
            "target_unit": "unit-b",
            "applicant_name": "سارا",
            "applicant_mobile": "09121234567",
        })
        assert offered(complaint) == ["ب — پاسخ عمومی", "د — واحد ب"]

    @pytest.mark.parametrize("user", [None, "test-member", "expert-b"])
    def test_who_may_not_see_them(self, desk, texts, user):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        desk_api.refer(request, unit="unit-a")
        as_user(desk["portal"], user)
        with pytest.raises(Unauthorized):
            canned.canned_for(request)
        with pytest.raises(Unauthorized):
            canned.filled(request, texts["global"])

    def test_filled_in_for_the_request(self, desk, texts):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        code = localize_digits(request.tracking_code, "fa")  # as the applicant's messages show it
        assert (
            canned.filled(request, texts["global"]) == f"سارا محمدی گرامی، درخواست {code} بررسی شد."
        )
        assert (
            canned.filled(request, texts["service"])
            == f"گواهی «{desk['service'].Title()}» آماده است."
        )
        # Not offered on this request (another service's, another unit's): nothing.
        assert canned.filled(request, texts["other_service"]) is None
        assert canned.filled(request, texts["unit_b"]) is None
        assert canned.filled(request, "nope") is None

    def test_unknown_variables_are_left_as_they_are(self, desk):
        request = submit(desk)
        as_user(desk["portal"], "test-supervisor")
        canned_id = canned.add_canned("عنوان", "${name} — ${unknown} — $")
        assert canned.filled(request, canned_id) == "سارا محمدی — ${unknown} — $"
