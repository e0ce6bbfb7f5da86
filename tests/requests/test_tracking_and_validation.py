"""Tracking codes and applicant input: check digits, Persian digits, clear errors."""

from uni.servicedesk.api import tracking
from uni.servicedesk.api import validation
from uni.servicedesk.api.validation import InputError

import pytest


def test_new_codes_are_numeric_random_and_valid():
    codes = {tracking.new_code(exists=lambda c: False) for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert code.isdigit() and len(code) == 10 and code[0] != "0"
        assert tracking.normalize_code(code) == code


def test_new_code_skips_taken_ones():
    taken = set()
    first = tracking.new_code(exists=lambda c: False)
    taken.add(first)
    calls = []

    def exists(code):
        calls.append(code)
        return len(calls) == 1  # the first candidate is taken

    second = tracking.new_code(exists=exists)
    assert len(calls) == 2 and second == calls[1]


def test_typos_are_caught():
    code = tracking.new_code(exists=lambda c: False)
    for i in range(len(code)):
        wrong = code[:i] + str((int(code[i]) + 1) % 10) + code[i + 1 :]
        assert tracking.normalize_code(wrong) is None
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert tracking.normalize_code(swapped) is None


def test_persian_and_arabic_digits_and_spaces():
    code = tracking.new_code(exists=lambda c: False)
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert tracking.normalize_code(persian) == code
    assert tracking.normalize_code(arabic) == code
    assert tracking.normalize_code(f" {code[:5]}-{code[5:]} ") == code
    assert tracking.normalize_code("abc") is None
    assert tracking.normalize_code("") is None


@pytest.mark.parametrize("value", ["0084575948", "۰۰۸۴۵۷۵۹۴۸", "84575948", "008-457594-8"])
def test_national_code_valid(value):
    assert validation.national_code(value) == "0084575948"


@pytest.mark.parametrize("value", ["0084575949", "1111111111", "12345", "abcdefghij", ""])
def test_national_code_invalid(value):
    with pytest.raises(InputError) as info:
        validation.national_code(value)
    assert info.value.field == "applicant_national_code"


@pytest.mark.parametrize(
    "value",
    [
        "09121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "+989121234567",
        "00989121234567",
        "9121234567",
        "0912 123 4567",
    ],
)
def test_mobile_valid(value):
    assert validation.mobile(value) == "09121234567"


@pytest.mark.parametrize("value", ["0212345678", "0912123456", "08121234567", "phone"])
def test_mobile_invalid(value):
    with pytest.raises(InputError):
        validation.mobile(value)


def test_email():
    assert validation.email(" Sara@Example.com ") == "sara@example.com"
    with pytest.raises(InputError):
        validation.email("sara@")
