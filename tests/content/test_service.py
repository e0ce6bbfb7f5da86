"""Service identity cards: unique codes, Persian input, search text, availability."""

from plone import api
from tests.helpers import days
from tests.helpers import make_catalog
from tests.helpers import make_service
from tests.helpers import rich
from uni.servicedesk.api import request_availability
from uni.servicedesk.api import search_services
from uni.servicedesk.api import service_code_in_use
from uni.servicedesk.content.behaviors import IRequestAvailability
from uni.servicedesk.content.fields import DuplicateServiceCode
from uni.servicedesk.content.fields import InvalidNumber
from uni.servicedesk.content.fields import InvalidServiceCode
from uni.servicedesk.content.service import IService
from zope.schema import getFields

import pytest


@pytest.fixture
def catalog(manager):
    return make_catalog(manager)


class TestServiceCode:
    def test_id_comes_from_code(self, catalog):
        from zope.container.interfaces import INameChooser

        service = make_service(catalog, code="IT-501", id="temporary")
        # What the add form and the REST API ask when no id is given.
        assert INameChooser(catalog).chooseName(None, service) == "it-501"

    def test_code_in_use(self, catalog):
        service = make_service(catalog, code="EDU-101")
        assert service_code_in_use("EDU-101") is True
        assert service_code_in_use("EDU-101", exclude=service) is False
        assert service_code_in_use("EDU-999") is False

    def test_private_service_code_is_taken_too(self, catalog):
        make_service(catalog, code="FIN-601", publish=False)
        with api.env.adopt_roles(["Member"]):
            assert service_code_in_use("FIN-601") is True

    def test_duplicate_refused_by_field(self, catalog):
        service = make_service(catalog, code="EDU-101")
        other = make_service(catalog, code="EDU-102")
        field = IService["service_code"].bind(other)
        with pytest.raises(DuplicateServiceCode):
            field.validate("EDU-101")
        # A service keeps its own code when edited.
        IService["service_code"].bind(service).validate("EDU-101")

    def test_persian_digits_and_case_normalised(self, catalog):
        field = IService["service_code"].bind(catalog)
        assert field.fromUnicode(" edu-۱۰۷ ") == "EDU-107"
        assert field.fromUnicode("it-٥٠٩") == "IT-509"

    @pytest.mark.parametrize("bad", ["", "کد فارسی", "EDU 101", "-EDU", "A" * 40])
    def test_malformed_code(self, catalog, bad):
        field = IService["service_code"].bind(catalog)
        with pytest.raises(Exception) as info:
            field.fromUnicode(bad)
        if bad:
            assert isinstance(info.value, InvalidServiceCode)


class TestLocalizedNumbers:
    def test_persian_digits(self):
        field = getFields(IService)["fee"]
        assert field.fromUnicode("۱۲۰۰۰۰۰") == 1200000
        assert field.fromUnicode("۱٬۲۰۰٬۰۰۰") == 1200000
        assert field.fromUnicode("٣") == 3

    def test_not_a_number(self):
        with pytest.raises(InvalidNumber):
            getFields(IService)["duration_max"].fromUnicode("سه")


class TestSearch:
    def test_search_finds_title_description_and_faq(self, catalog):
        service = make_service(
            catalog,
            code="IT-502",
            title="بازنشانی گذرواژه",
            description="بازیابی حساب",
            service_category="it",
        )
        make_service(catalog, code="EDU-101")
        faq = api.content.create(
            container=service,
            type="FAQ",
            title="گذرواژه موقت چیست؟",
            answer=rich("<p>رمز یکبار مصرف برای ورود</p>"),
        )
        api.content.transition(obj=faq, transition="publish")
        codes = lambda text: [b.service_code for b in search_services(catalog, text=text)]
        assert codes("گذرواژه") == ["IT-502"]
        assert codes("بازیابی") == ["IT-502"]
        assert codes("یکبار") == ["IT-502"]  # only in the FAQ answer
        assert codes("گواهی") == ["EDU-101"]
        assert codes("IT-502") == ["IT-502"]

    def test_faq_edit_and_removal_reindex_service(self, catalog):
        service = make_service(catalog, code="IT-503")
        faq = api.content.create(
            container=service,
            type="FAQ",
            title="وای‌فای",
            answer=rich("<p>نام شبکه UNIWIFI است</p>"),
        )
        assert [b.service_code for b in search_services(catalog, text="uniwifi")] == ["IT-503"]
        api.content.delete(obj=faq)
        assert list(search_services(catalog, text="uniwifi")) == []

    def test_arabic_letter_forms_match(self, catalog):
        make_service(catalog, code="STA-302", title="کارت دانشجویی المثنی")
        # Typed with Arabic kaf and yeh.
        assert [b.service_code for b in search_services(catalog, text="كارت دانشجويي")] == [
            "STA-302"
        ]

    def test_operators_and_syntax_are_plain_words(self, catalog):
        make_service(catalog, code="EDU-101")
        make_service(catalog, code="IT-501", title="ایمیل دانشگاهی")
        # Query syntax typed into the box neither raises nor changes the meaning.
        assert [b.service_code for b in search_services(catalog, text='ایمیل AND ("')] == ["IT-501"]
        assert len(search_services(catalog, text="AND OR NOT *")) == 2

    def test_filters(self, catalog):
        make_service(
            catalog, code="EDU-101", service_category="education", service_audiences=["students"]
        )
        make_service(
            catalog, code="RES-801", service_category="research", service_audiences=["faculty"]
        )
        assert [b.service_code for b in search_services(catalog, category="research")] == [
            "RES-801"
        ]
        assert [b.service_code for b in search_services(catalog, audience="students")] == [
            "EDU-101"
        ]


class TestAvailability:
    def test_open(self, catalog):
        assert request_availability(make_service(catalog)).allowed is True

    def test_switched_off(self, catalog):
        result = request_availability(make_service(catalog, available=False))
        assert (result.allowed, result.code) == (False, "switched_off")

    def test_window(self, catalog):
        future = make_service(catalog, code="A-1", available_from=days(10))
        past = make_service(catalog, code="A-2", available_until=days(-1))
        current = make_service(
            catalog, code="A-3", available_from=days(-1), available_until=days(1)
        )
        assert request_availability(future).code == "not_yet_open"
        assert request_availability(past).code == "closed"
        assert request_availability(current).allowed is True

    def test_window_message_is_jalali_in_persian(self, catalog):
        import datetime

        service = make_service(catalog, available_from=datetime.date(2027, 3, 21))
        result = request_availability(service, today=datetime.date(2027, 1, 1), language="fa")
        assert result.reason.mapping["date"] == "۱ فروردین ۱۴۰۶"

    def test_audience(self, catalog):
        service = make_service(catalog, request_audiences=["faculty"])
        api.group.create(groupname="faculty")
        member = api.user.create(username="prof", email="p@example.edu", password="x" * 12)
        student = api.user.create(username="stud", email="s@example.edu", password="x" * 12)
        api.group.add_user(groupname="faculty", username="prof")
        assert request_availability(service, user=api.user.get("prof")).allowed is True
        result = request_availability(service, user=api.user.get("stud"))
        assert (result.allowed, result.code) == (False, "audience")
        assert member and student

    def test_anonymous_asked_to_log_in(self, catalog):
        from plone.app.testing import logout

        service = make_service(catalog, request_audiences=["students"])
        logout()
        assert request_availability(service).code == "login"

    def test_public_audience_is_everyone(self, catalog):
        from plone.app.testing import logout

        service = make_service(catalog, request_audiences=["public", "students"])
        logout()
        assert request_availability(service).allowed is True

    def test_dates_must_be_in_order(self):
        from zope.interface import Invalid

        class Data:
            available_from = days(5)
            available_until = days(1)

        with pytest.raises(Invalid):
            IRequestAvailability.validateInvariants(Data())
