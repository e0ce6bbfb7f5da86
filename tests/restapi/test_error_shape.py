"""Every endpoint of ours answers errors in plone.restapi's one shape, translated."""

from tests.requests.test_rest import payload
from tests.requests.test_rest import service  # noqa: F401 - a fixture

import pytest


def shape_of(response):
    body = response.json()
    error = body["error"]
    assert set(error) <= {"type", "message", "errors"}, body
    assert error["type"] and error["message"], body
    for item in error.get("errors", []):
        assert set(item) == {"field", "message"} and item["message"], body
    return error


@pytest.mark.parametrize(
    "path, body, status",
    [
        ("/requests", "not json", 400),
        ("/requests", payload(service="NO-SUCH"), 400),
        ("/requests", payload(applicant_name="", applicant_mobile="123"), 400),
        ("/@track", "not json", 400),
        ("/@track", {"code": "1234567890", "verifier": "x"}, 404),
        ("/@appointment", {"code": "1234567890", "verifier": "x"}, 404),
    ],
)
def test_one_error_shape(service, rest_factory, path, body, status):  # noqa: F811
    rest = rest_factory()
    kwargs = {"data": body} if isinstance(body, str) else {"json": body}
    response = rest.post(path, **kwargs)
    assert response.status_code == status, response.text
    shape_of(response)


def test_field_errors_name_the_fields_in_persian(service, rest_factory):  # noqa: F811
    rest = rest_factory()
    rest.headers["Accept-Language"] = "fa"
    response = rest.post("/requests", json=payload(applicant_name="", applicant_mobile="123"))
    error = shape_of(response)
    fields = {e["field"]: e["message"] for e in error["errors"]}
    assert {"applicant_name", "applicant_mobile"} <= set(fields)
    assert any("\u0600" <= ch <= "\u06ff" for ch in error["message"]), error


def test_cartable_filter_error(service, rest_factory):  # noqa: F811
    response = rest_factory("test-supervisor").get("/@cartable", params={"state": "nope"})
    assert response.status_code == 400
    assert [e["field"] for e in shape_of(response)["errors"]] == ["state"]
