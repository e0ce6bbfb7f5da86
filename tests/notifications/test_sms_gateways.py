"""SMS gateways against a real local HTTP server standing in for the provider.

Plain pytest: the gateways are pure Python, no Plone layer is needed.
"""

from uni.servicedesk.channels.gateways import HTTPGateway
from uni.servicedesk.channels.gateways import kavenegar_localid
from uni.servicedesk.channels.gateways import KavenegarGateway
from uni.servicedesk.channels.gateways import LogGateway
from uni.servicedesk.channels.sms import GSM7
from uni.servicedesk.channels.sms import international
from uni.servicedesk.channels.sms import SMSError
from uni.servicedesk.channels.sms import sms_parts
from uni.servicedesk.channels.sms import UCS2
from urllib.parse import quote

import base64
import logging
import os
import pytest
import subprocess
import sys
import time

MOBILE = "09121234567"
PERSIAN = "درخواست شما ثبت شد؛ کد رهگیری ۱۲۳۴"
SECRET = "S3cr3t/Key+with=odd&chars"
KAVENEGAR_KEY = "4F6B2D-KAVE-NEGAR-KEY"


def send_http(config, secret=SECRET, mobile=MOBILE, text=PERSIAN, message_id="m-1"):
    return HTTPGateway().send(mobile, text, message_id, config, {"http_secret": secret})


def send_kavenegar(provider, key=KAVENEGAR_KEY, message_id="42", **config):
    config.setdefault("kavenegar_url", provider.url + "/v1")
    secrets = {"kavenegar_api_key": key} if key is not None else {}
    return KavenegarGateway().send(MOBILE, PERSIAN, message_id, config, secrets)


def failure(send, *args, **kwargs):
    with pytest.raises(SMSError) as info:
        send(*args, **kwargs)
    return info.value


# -- log gateway ---------------------------------------------------------------------


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def sms_log():
    logger = logging.getLogger("uni.servicedesk.sms")
    handler, level = ListHandler(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.messages
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_log_gateway_logs_number_and_text(sms_log):
    reference = LogGateway().send(MOBILE, PERSIAN, "m-7", {}, {})
    assert reference == "log-m-7"
    assert len(sms_log) == 1
    assert MOBILE in sms_log[0] and PERSIAN in sms_log[0]


def test_log_gateway_never_fails(sms_log):
    assert LogGateway().send("not a number", "", "m-8", {}, {}) == "log-m-8"


# -- generic HTTP gateway -------------------------------------------------------------

PARAMETERS = [
    "to=${to}",
    "to98=${to_international}",
    "text=${text}",
    "from=${sender}",
    "id=${message_id}",
    "key=${secret}",
    "fixed=yes",
]
SENT = {
    "to": MOBILE,
    "to98": "989121234567",
    "text": PERSIAN,
    "from": "3000123",
    "id": "m-1",
    "key": SECRET,
    "fixed": "yes",
}


def test_http_get_puts_parameters_in_the_query_string(provider):
    config = {
        "http_url": provider.url + "/send?format=json",
        "http_method": "GET",
        "http_parameters": "\n".join(PARAMETERS),
        "sender": "3000123",
    }
    assert send_http(config) == ""
    request = provider.last
    assert request.method == "GET"
    assert request.path == "/send"
    assert request.query == dict(SENT, format="json")
    # The Persian text travels as percent-encoded UTF-8, nothing left raw in the URL.
    assert quote(PERSIAN, safe="") in request.raw_query
    assert request.raw_query.isascii()
    assert request.body == b""


def test_http_post_form(provider):
    config = {
        "http_url": provider.url + "/send",
        "http_method": "POST",
        "http_body": "form",
        "http_parameters": PARAMETERS,  # a list of lines works as well as text
        "sender": "3000123",
    }
    send_http(config)
    request = provider.last
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.form == SENT
    assert request.query == {}


def test_http_post_json(provider):
    config = {
        "http_url": provider.url + "/api/sms",
        "http_method": "POST",
        "http_body": "json",
        "http_parameters": "\n".join(PARAMETERS) + "\n\n",
        "sender": "3000123",
    }
    send_http(config)
    request = provider.last
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json == SENT


def test_http_variables_in_the_url_are_encoded(provider):
    config = {"http_url": provider.url + "/${secret}/ارسال/${to_international}?text=${text}"}
    send_http(config)
    request = provider.last
    assert request.path == f"/{SECRET}/ارسال/989121234567"
    assert request.raw_path.isascii()
    assert quote(SECRET, safe="") in request.raw_path  # '/' inside the key stays one segment
    assert request.query == {"text": PERSIAN}


def test_http_headers_with_variables(provider):
    config = {
        "http_url": provider.url + "/send",
        "http_headers": "X-Api-Key: ${secret}\nX-Message:${message_id}\n",
    }
    send_http(config, message_id="m-99")
    assert provider.last.method == "POST"  # the default, with a form body
    assert provider.last.headers["X-Api-Key"] == SECRET
    assert provider.last.headers["X-Message"] == "m-99"


def test_http_basic_auth(provider):
    config = {"http_url": provider.url + "/send", "http_auth": "basic", "http_username": "uni"}
    send_http(config)
    expected = base64.b64encode(f"uni:{SECRET}".encode()).decode()
    assert provider.last.headers["Authorization"] == f"Basic {expected}"


def test_http_bearer_auth(provider):
    config = {"http_url": provider.url + "/send", "http_auth": "bearer"}
    send_http(config)
    assert provider.last.headers["Authorization"] == f"Bearer {SECRET}"


def test_http_auth_without_secret_is_permanent(provider):
    error = failure(send_http, {"http_url": provider.url, "http_auth": "bearer"}, secret="")
    assert error.permanent
    assert provider.requests == []


@pytest.mark.parametrize(
    "status, success_status, sent",
    [
        (200, "", True),
        (201, None, True),
        (299, "200-299", True),
        (202, "200,201", False),
        (204, "200-202, 204", True),
        (203, "200-202,204", False),
        (200, "201", False),
    ],
)
def test_http_success_status(provider, status, success_status, sent):
    provider.answer(status)
    config = {"http_url": provider.url + "/send", "http_success_status": success_status}
    if sent:
        assert send_http(config) == ""
    else:
        assert failure(send_http, config).permanent


@pytest.mark.parametrize(
    "setting, value", [("http_success_status", "2xx"), ("http_success_text", "OK (")]
)
def test_http_bad_success_settings_are_found_before_sending(provider, setting, value):
    # Found afterwards, a message already delivered would be reported as failed.
    error = failure(send_http, {"http_url": provider.url, setting: value})
    assert error.permanent
    assert provider.requests == []


def test_http_success_text(provider):
    config = {"http_url": provider.url + "/send", "http_success_text": r'"status":\s*"OK"'}
    provider.answer(body='{"status": "OK", "id": 5}')
    assert send_http(config) == ""
    provider.answer(body='{"status": "ERROR", "code": 12}')
    error = failure(send_http, config)
    assert error.permanent
    assert "ERROR" in str(error)  # the provider's words help the manager


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_http_server_errors_and_rate_limits_are_temporary(provider, status):
    provider.answer(status, body="try later")
    error = failure(send_http, {"http_url": provider.url + "/send"})
    assert not error.permanent
    assert str(status) in str(error)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_http_client_errors_are_permanent(provider, status):
    provider.answer(status, body="invalid number")
    error = failure(send_http, {"http_url": provider.url + "/send"})
    assert error.permanent
    assert "invalid number" in str(error)


def test_http_redirects_are_not_followed(provider):
    provider.answer(302, headers={"Location": "http://127.0.0.1:9/elsewhere"})
    error = failure(send_http, {"http_url": provider.url + "/send", "http_auth": "bearer"})
    assert error.permanent
    assert len(provider.requests) == 1


def test_http_slow_server_is_temporary(provider):
    provider.answer(delay=1.5)
    started = time.monotonic()
    error = failure(send_http, {"http_url": provider.url + "/send", "timeout": "0.3"})
    assert not error.permanent
    assert time.monotonic() - started < 1.4


def test_http_connection_refused_is_temporary(closed_port):
    error = failure(send_http, {"http_url": f"http://127.0.0.1:{closed_port}/send"})
    assert not error.permanent


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"http_url": "   "},
        {"http_url": "no-scheme/${secret}"},
        {"http_url": "http://127.0.0.1:1/", "http_method": "PUT"},
        {"http_url": "http://127.0.0.1:1/", "http_body": "xml", "http_method": "POST"},
        {"http_url": "http://127.0.0.1:1/", "http_auth": "digest"},
        {"http_url": "http://127.0.0.1:1/", "http_parameters": "only-a-name"},
        {"http_url": "http://127.0.0.1:1/", "http_headers": "No colon here"},
        {"http_url": "http://127.0.0.1:1/", "timeout": "soon"},
    ],
)
def test_http_bad_configuration_is_permanent(config):
    error = failure(send_http, config)
    assert error.permanent


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_http_and_https_urls_are_opened(tmp_path, method):
    """urllib would read a file: (or ftp:) URL set as the gateway's address."""
    local = tmp_path / "local.txt"
    local.write_text("LOCAL-FILE-CONTENT", encoding="utf-8")
    error = failure(send_http, {"http_url": local.as_uri(), "http_method": method})
    assert error.permanent
    assert "LOCAL-FILE-CONTENT" not in str(error)
    kavenegar = {"kavenegar_url": tmp_path.as_uri()}
    error = failure(
        KavenegarGateway().send,
        MOBILE,
        PERSIAN,
        "1",
        kavenegar,
        {"kavenegar_api_key": KAVENEGAR_KEY},
    )
    assert error.permanent


def test_http_invalid_mobile_is_permanent(provider):
    error = failure(send_http, {"http_url": provider.url}, mobile="0912")
    assert error.permanent
    assert provider.requests == []


# -- Kavenegar ------------------------------------------------------------------------


def kavenegar_answer(status, message="", entries=None):
    return {"return": {"status": status, "message": message}, "entries": entries}


def test_kavenegar_sends(provider):
    provider.answer_json(kavenegar_answer(200, "تایید شد", [{"messageid": 8792343, "status": 1}]))
    reference = send_kavenegar(provider, message_id="1234567", sender="10004346")
    assert reference == "8792343"
    request = provider.last
    assert request.method == "POST"
    assert request.path == f"/v1/{KAVENEGAR_KEY}/sms/send.json"
    assert request.form == {
        "receptor": MOBILE,
        "message": PERSIAN,
        "sender": "10004346",
        "localid": "1234567",
    }


def test_kavenegar_without_sender_leaves_it_to_the_account(provider):
    provider.answer_json(kavenegar_answer(200, entries=[]))
    assert send_kavenegar(provider) == ""  # accepted, though no message id came back
    assert "sender" not in provider.last.form


def test_kavenegar_localid_is_stable_for_the_same_message(provider):
    provider.answer_json(kavenegar_answer(200, entries=[{"messageid": 1}]))
    send_kavenegar(provider, message_id="6f1c2a-outbox-id")
    send_kavenegar(provider, message_id="6f1c2a-outbox-id")
    first, second = (request.form["localid"] for request in provider.requests)
    assert first == second == kavenegar_localid("6f1c2a-outbox-id")
    assert first.isdigit() and int(first) < 2**63
    assert kavenegar_localid("another-id") != first


@pytest.mark.parametrize(
    "status, permanent",
    [
        (400, True),
        (401, True),
        (403, True),
        (411, True),
        (412, True),
        (413, True),
        (418, True),
        (402, False),
        (409, False),
        (499, False),  # not in the documentation: retried, the outbox bounds it
    ],
)
def test_kavenegar_error_statuses(provider, status, permanent):
    # Kavenegar repeats return.status as the HTTP status.
    provider.answer_json(kavenegar_answer(status, "خطا"), status=status)
    error = failure(send_kavenegar, provider)
    assert error.permanent is permanent
    assert str(status) in str(error)


def test_kavenegar_error_inside_an_http_200(provider):
    provider.answer_json(kavenegar_answer(411, "گیرنده نامعتبر است"))
    error = failure(send_kavenegar, provider)
    assert error.permanent
    assert "گیرنده نامعتبر است" in str(error)


@pytest.mark.parametrize("status", [200, 502])
def test_kavenegar_unreadable_answer_is_temporary(provider, status):
    provider.answer(status, body="<html>Bad Gateway</html>", content_type="text/html")
    assert not failure(send_kavenegar, provider).permanent


def test_kavenegar_timeout_and_refusal_are_temporary(provider, closed_port):
    provider.answer(delay=1.5)
    assert not failure(send_kavenegar, provider, timeout=0.3).permanent
    refused = f"http://127.0.0.1:{closed_port}/v1"
    assert not failure(send_kavenegar, provider, kavenegar_url=refused).permanent


@pytest.mark.parametrize("secrets", [{}, {"kavenegar_api_key": ""}, {"kavenegar_api_key": "  "}])
def test_kavenegar_without_key_is_permanent(provider, secrets):
    with pytest.raises(SMSError) as info:
        KavenegarGateway().send(MOBILE, PERSIAN, "1", {"kavenegar_url": provider.url}, secrets)
    assert info.value.permanent
    assert "not configured" in str(info.value)
    assert provider.requests == []


# -- secrets stay out of error messages --------------------------------------------


def secret_free(error, *secrets):
    texts = [str(error), repr(error), str(error.message)]
    texts += [str(value) for value in (getattr(error.message, "mapping", None) or {}).values()]
    # Nor in a chained exception a traceback would show (urllib's may quote the URL).
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    for secret in secrets:
        basic = base64.b64encode(f"uni:{secret}".encode()).decode()
        for variant in (secret, quote(secret, safe=""), basic):
            assert not any(variant in text for text in texts), (variant, texts)
    return True


def test_http_errors_never_show_the_secret(provider, closed_port):
    url = provider.url + "/send/${secret}?key=${secret}"
    config = {"http_url": url, "http_auth": "basic", "http_username": "uni"}
    basic = base64.b64encode(f"uni:{SECRET}".encode()).decode()
    echo = f"bad key {SECRET} for {quote(SECRET, safe='')} at /send/{SECRET}, Basic {basic}"
    provider.answer(401, body=echo)
    assert secret_free(failure(send_http, config), SECRET)
    provider.answer(500, body=echo)
    assert secret_free(failure(send_http, config), SECRET)
    provider.answer(200, body=echo)
    assert secret_free(failure(send_http, dict(config, http_success_text="^OK")), SECRET)
    provider.answer(delay=1.5)
    assert secret_free(failure(send_http, dict(config, timeout=0.3)), SECRET)
    refused = {"http_url": f"http://127.0.0.1:{closed_port}/${{secret}}"}
    assert secret_free(failure(send_http, refused), SECRET)
    assert secret_free(failure(send_http, {"http_url": "nonsense://x/${secret}"}), SECRET)
    headers = {"http_url": provider.url, "http_headers": "X-Key: ${secret} ${text}"}
    assert secret_free(failure(send_http, headers), SECRET)  # Persian cannot go in a header
    lines = {"http_url": provider.url, "http_headers": f"X-Key {SECRET}"}  # no colon
    assert secret_free(failure(send_http, lines), SECRET)


def test_kavenegar_errors_never_show_the_key(provider, closed_port):
    echo = f"کلید {KAVENEGAR_KEY} معتبر نیست: /v1/{KAVENEGAR_KEY}/sms/send.json"
    provider.answer_json(kavenegar_answer(403, echo), status=403)
    assert secret_free(failure(send_kavenegar, provider), KAVENEGAR_KEY)
    provider.answer(500, body=echo)
    assert secret_free(failure(send_kavenegar, provider), KAVENEGAR_KEY)
    refused = f"http://127.0.0.1:{closed_port}/v1"
    assert secret_free(failure(send_kavenegar, provider, kavenegar_url=refused), KAVENEGAR_KEY)
    assert secret_free(failure(send_kavenegar, provider, kavenegar_url="nonsense"), KAVENEGAR_KEY)


# -- registration ---------------------------------------------------------------------


def test_gateways_are_registered_by_name():
    # In a child process: loading ZCML here would change this test session's registry.
    script = """
from zope.configuration import xmlconfig
from zope.component import getUtilitiesFor
from uni.servicedesk.channels.sms import ISMSGateway
xmlconfig.string('''<configure xmlns="http://namespaces.zope.org/zope">
  <include package="zope.component" file="meta.zcml" />
  <include package="uni.servicedesk.channels" />
</configure>''')
for name, utility in sorted(getUtilitiesFor(ISMSGateway)):
    print(name, type(utility).__name__)
"""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "http HTTPGateway",
        "kavenegar KavenegarGateway",
        "log LogGateway",
    ]


# -- message length -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", (GSM7, 0, 0, 160)),
        ("Your request is registered.", (GSM7, 27, 1, 160)),
        ("a" * 160, (GSM7, 160, 1, 160)),
        ("a" * 161, (GSM7, 161, 2, 153)),
        ("a" * 306, (GSM7, 306, 2, 153)),
        ("a" * 307, (GSM7, 307, 3, 153)),
        ("@£$¥èé Ä ß\n", (GSM7, 11, 1, 160)),  # GSM letters outside ASCII
        ("{}[]~\\|^€", (GSM7, 18, 1, 160)),  # extension characters count twice
        ("€" * 80, (GSM7, 160, 1, 160)),
        ("€" * 81, (GSM7, 162, 2, 153)),
        # An escape sequence is not split between parts: 152 + 2 does not fit in 153.
        ("a" * 152 + "{" + "a" * 152, (GSM7, 306, 3, 153)),
        ("س" * 70, (UCS2, 70, 1, 70)),
        ("س" * 71, (UCS2, 71, 2, 67)),
        ("س" * 134, (UCS2, 134, 2, 67)),
        ("س" * 135, (UCS2, 135, 3, 67)),
        (PERSIAN, (UCS2, len(PERSIAN), 1, 70)),
        ("Code 1234 سلام", (UCS2, 14, 1, 70)),  # one Persian letter makes it all UCS-2
        ("`hello`", (UCS2, 7, 1, 70)),  # the backtick is not in the GSM alphabet
        ("😀" * 35, (UCS2, 70, 1, 70)),  # outside the BMP: two UTF-16 units each
        ("😀" * 36, (UCS2, 72, 2, 67)),
    ],
)
def test_sms_parts(text, expected):
    assert tuple(sms_parts(text)) == expected


def test_sms_parts_fields():
    parts = sms_parts("س" * 71)
    assert (parts.encoding, parts.length, parts.parts, parts.per_part) == (UCS2, 71, 2, 67)


def test_international():
    assert international("09121234567") == "989121234567"
    with pytest.raises(ValueError):
        international("+989121234567")
