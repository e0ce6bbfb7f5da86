"""The SMS gateways: a development log, a configurable HTTP gateway and Kavenegar.

They are stateless named utilities (``ISMSGateway``); settings and secrets come with each
call. Only the standard library talks HTTP, so no provider SDK is needed.

Secrets never reach logs or ``SMSError`` messages: the texts shown to managers are
built from our own words plus short, redacted excerpts of what the provider answered.
"""

from string import Template
from uni.servicedesk import _
from uni.servicedesk.channels.sms import international
from uni.servicedesk.channels.sms import ISMSGateway
from uni.servicedesk.channels.sms import MOBILE
from uni.servicedesk.channels.sms import SMSError
from zope.interface import implementer

import base64
import hashlib
import http.client
import json
import logging
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

logger = logging.getLogger("uni.servicedesk.sms")

DEFAULT_TIMEOUT = 10  # seconds
KAVENEGAR_URL = "https://api.kavenegar.com/v1"
# Characters left as they are when a configured URL is made ASCII (RFC 3986 reserved + %).
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
EXCERPT = 200  # characters of a provider's answer kept in an error message
MAX_ANSWER = 64 * 1024  # bytes read from a provider's answer


@implementer(ISMSGateway)
class LogGateway:
    """Development: writes the SMS to the log instead of sending it."""

    title = _("Log only (development, nothing is sent)")
    settings_keys = ()
    secret_keys = ()

    def send(self, mobile, text, message_id, config, secrets):
        logger.info("SMS %s to %s: %s", message_id, mobile, text)
        return f"log-{message_id}"


@implementer(ISMSGateway)
class HTTPGateway:
    """Any provider with an HTTP API, described by settings instead of code."""

    title = _("Generic HTTP gateway")
    settings_keys = (
        "http_url",
        "http_method",
        "http_body",
        "http_parameters",
        "http_headers",
        "http_auth",
        "http_username",
        "sender",
        "http_success_status",
        "http_success_text",
        "timeout",
    )
    secret_keys = ("http_secret",)

    def send(self, mobile, text, message_id, config, secrets):
        secret = secrets.get("http_secret") or ""
        variables = {
            "to": _checked(mobile),
            "to_international": international(mobile),
            "text": text,
            "sender": config.get("sender") or "",
            "message_id": str(message_id),
            "secret": secret,
        }
        # Every setting is checked before sending: a message delivered, then reported as
        # failed because of a typo in a setting, would be sent again.
        url, method, data, headers = _http_request(config, variables)
        success_statuses = _statuses(config.get("http_success_status"))
        success_text = _pattern(config.get("http_success_text"))
        timeout = _timeout(config)
        # Besides the secret itself: the URL (a key may be typed into it) and the
        # Authorization header (basic auth carries the secret base64-encoded).
        hide = [secret, urllib.parse.quote(secret, safe=""), url, headers.get("Authorization")]

        status, answer = _fetch(url, method, data, headers, timeout, hide)
        if status not in success_statuses:
            raise SMSError(
                _(
                    "The SMS gateway answered with HTTP status ${status}: ${answer}",
                    mapping={"status": status, "answer": _excerpt(answer, hide)},
                ),
                permanent=not _retryable(status),
            )
        if success_text and not success_text.search(answer):
            raise SMSError(
                _(
                    "The SMS gateway did not confirm the message: ${answer}",
                    mapping={"answer": _excerpt(answer, hide)},
                ),
                permanent=True,
            )
        return ""


def _http_request(config, variables):
    """(url, method, body, headers) the HTTP gateway's settings describe."""
    url = (config.get("http_url") or "").strip()
    if not url:
        raise SMSError(_("The SMS gateway has no URL."), permanent=True)
    method = (config.get("http_method") or "POST").upper()
    body_format = (config.get("http_body") or "form").lower()
    _require("http_method", method, ("GET", "POST"))
    _require("http_body", body_format, ("form", "json"))
    # Variables in the URL are percent-encoded one by one, then anything else not ASCII.
    quoted = {name: urllib.parse.quote(value, safe="") for name, value in variables.items()}
    url = urllib.parse.quote(Template(url).safe_substitute(quoted), safe=URL_SAFE)
    parameters = [
        (name, Template(value).safe_substitute(variables))
        for name, value in _pairs(config.get("http_parameters"), "=", "http_parameters")
    ]
    headers = {
        name: Template(value).safe_substitute(variables)
        for name, value in _pairs(config.get("http_headers"), ":", "http_headers")
    }
    headers.update(_authorization(config, variables["secret"]))
    if method == "GET":
        if parameters:
            # %20 rather than '+' for spaces: not every provider reads '+' in a query as one.
            query = urllib.parse.urlencode(parameters, quote_via=urllib.parse.quote)
            url += ("&" if "?" in url else "?") + query
        return url, method, None, headers
    if body_format == "json":
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
        body = json.dumps(dict(parameters), ensure_ascii=False).encode("utf-8")
        return url, method, body, headers
    headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return url, method, urllib.parse.urlencode(parameters).encode("ascii"), headers


# Kavenegar's return.status values: the error table of https://kavenegar.com/rest.html,
# as transcribed in client libraries; Kavenegar repeats the status as the HTTP status.
# Temporary, because retrying later can succeed without anyone changing anything:
#   409  "the server cannot answer, try again later": the documentation says to retry;
#   402  "the operation failed": listed (also on kavenegar.com/soap.html) as a general
#        error of every method, naming no cause in our request or account.
# Permanent, because they need a manager to act (key, account, credit, sender line, IP
# allow-list) or concern this very message (number, text) and would fail again:
KAVENEGAR_PERMANENT = {
    400,  # parameters missing
    401,  # account disabled
    403,  # invalid API key
    404,  # no such method
    405,  # wrong HTTP method
    406,  # a required parameter is empty
    407,  # no access (the server's IP is not allowed)
    411,  # invalid receptor
    412,  # invalid sender line
    413,  # message empty or too long
    414,  # too many records in one request
    416,  # the calling IP does not match the account's settings
    417,  # invalid date
    418,  # credit too low: someone has to top it up; until then every retry fails
    419,  # array lengths differ
    422,  # characters that cannot be processed
    424,  # template not found
    426,  # the method needs an advanced plan
    428,  # code cannot be sent by call
    430,  # account identity (KYC) not verified
    431,  # invalid code structure
    432,  # code parameter not in the template
}
# Any other status (unknown to this table, e.g. a new rate limit) is taken as temporary:
# the outbox bounds the retries, and ``localid`` makes a retry safe.


@implementer(ISMSGateway)
class KavenegarGateway:
    """Kavenegar's REST API: POST {base}/{API-KEY}/sms/send.json."""

    title = _("Kavenegar")
    settings_keys = ("kavenegar_url", "sender", "timeout")
    secret_keys = ("kavenegar_api_key",)

    def send(self, mobile, text, message_id, config, secrets):
        key = (secrets.get("kavenegar_api_key") or "").strip()
        if not key:
            raise SMSError(
                _("Kavenegar is not configured: the API key is missing."), permanent=True
            )
        base = (config.get("kavenegar_url") or KAVENEGAR_URL).strip().rstrip("/")
        url = f"{base}/{urllib.parse.quote(key, safe='')}/sms/send.json"
        fields = {
            "receptor": _checked(mobile),
            "message": text,
            "localid": kavenegar_localid(message_id),
        }
        if config.get("sender"):
            fields["sender"] = config["sender"]
        hide = [url, key, urllib.parse.quote(key, safe="")]
        status, answer = _fetch(
            url,
            "POST",
            urllib.parse.urlencode(fields).encode("ascii"),
            {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
            _timeout(config),
            hide,
        )
        try:
            result = json.loads(answer)
            code = int(result["return"]["status"])
            reason = str(result["return"].get("message") or "")
        except (ValueError, KeyError, TypeError):
            # Not Kavenegar's JSON: a proxy's or load balancer's error page, most likely.
            raise SMSError(
                _(
                    "Kavenegar gave an answer that could not be read (HTTP status ${status}).",
                    mapping={"status": status},
                ),
                permanent=False,
            ) from None
        if code != 200:
            raise SMSError(
                _(
                    "Kavenegar did not send the message (status ${status}): ${reason}",
                    mapping={"status": code, "reason": _excerpt(reason, hide)},
                ),
                permanent=code in KAVENEGAR_PERMANENT,
            )
        entries = result.get("entries")
        entry = (entries[0] if isinstance(entries, list) and entries else entries) or {}
        return str(entry.get("messageid") or "") if isinstance(entry, dict) else ""


def kavenegar_localid(message_id):
    """Kavenegar's ``localid`` for our message id: the same id gives the same localid.

    ``localid`` is how Kavenegar recognises a message it has already been given, so a
    re-send after a crash is not delivered twice. Its client libraries treat it as a
    number (the official Go client as int64), so an id that is not a decimal number
    becomes a stable 60-bit one: collisions are out of reach at any realistic volume.
    """
    message_id = str(message_id)
    if re.fullmatch(r"[1-9]\d{0,17}", message_id):
        return message_id
    digest = hashlib.sha256(message_id.encode("utf-8")).hexdigest()
    return str(int(digest[:15], 16))


def _checked(mobile):
    if not MOBILE.fullmatch(mobile or ""):
        raise SMSError(
            _("${mobile} is not an Iranian mobile number.", mapping={"mobile": str(mobile)}),
            permanent=True,
        )
    return mobile


def _require(setting, value, allowed):
    if value not in allowed:
        _invalid(setting, value)


def _invalid(setting, value):
    raise SMSError(
        _(
            "The SMS gateway setting ${setting} is not valid: ${value}",
            mapping={"setting": setting, "value": value},
        ),
        permanent=True,
    )


def _lines(value):
    if isinstance(value, str):
        value = value.splitlines()
    return [line.strip() for line in value or () if line and line.strip()]


def _pairs(value, separator, setting):
    """``name=value`` (or ``Name: value``) lines -> [(name, value)], in order."""
    pairs = []
    for line in _lines(value):
        name, found, rest = line.partition(separator)
        if not found or not name.strip():
            # The line is not echoed: it may hold a secret written in by hand.
            raise SMSError(
                _(
                    "The SMS gateway setting ${setting} has a line without '${separator}'.",
                    mapping={"setting": setting, "separator": separator},
                ),
                permanent=True,
            )
        pairs.append((name.strip(), rest.strip()))
    return pairs


def _authorization(config, secret):
    auth = (config.get("http_auth") or "none").lower()
    _require("http_auth", auth, ("none", "basic", "bearer"))
    if auth == "none":
        return {}
    if not secret:
        raise SMSError(
            _("The SMS gateway needs a password or token, and none is set."), permanent=True
        )
    if auth == "bearer":
        return {"Authorization": f"Bearer {secret}"}
    credentials = f"{config.get('http_username') or ''}:{secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(credentials).decode("ascii")}


def _statuses(text):
    """'200-299' or '200,201' (or both, '200-204,206') -> a set of statuses."""
    text = str(text or "").strip() or "200-299"
    statuses = set()
    for item in text.replace(" ", "").split(","):
        low, dash, high = item.partition("-")
        if not (low.isdigit() and (not dash or high.isdigit())):
            _invalid("http_success_status", text)
        statuses.update(range(int(low), int(high if dash else low) + 1))
    return statuses


def _pattern(text):
    text = (text or "").strip()
    try:
        return re.compile(text) if text else None
    except re.error:
        _invalid("http_success_text", text)


def _timeout(config):
    try:
        timeout = float(config.get("timeout") or DEFAULT_TIMEOUT)
    except (TypeError, ValueError):
        timeout = 0
    if timeout <= 0:
        _invalid("timeout", str(config.get("timeout")))
    return timeout


def _retryable(status):
    return status >= 500 or status in (408, 429)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A provider's API does not move; following a redirect would resend the
    # Authorization header and the text to wherever it points.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _fetch(url, method, data, headers, timeout, hide):
    """(status, answer text) for any HTTP answer; SMSError when there was none.

    Errors are raised ``from None``: the original exceptions may quote the URL, and
    the URL may hold the secret.
    """
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        # urllib would also read a file: or ftp: URL set as the gateway's address.
        raise SMSError(
            _("The SMS gateway URL or one of its headers cannot be sent over HTTP."),
            permanent=True,
        )
    try:
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url, data=data, headers=headers, method=method
        )
        try:
            # Built per call, so proxy settings in the environment are read when sending.
            response = urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error  # an HTTP error status is an answer too: read it
        with response:
            return response.status, _decoded(response.read(MAX_ANSWER), response.headers)
    except TimeoutError:
        raise SMSError(_("The SMS gateway did not answer in time."), permanent=False) from None
    except ValueError:
        # urllib or http.client refuses the URL (no scheme, bad port, spaces) or a header
        # (a line break; Persian, as headers go out as Latin-1). Their words are not
        # repeated: they quote the value, which may hold the secret.
        raise SMSError(
            _("The SMS gateway URL or one of its headers cannot be sent over HTTP."),
            permanent=True,
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", None) or error
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SMSError(_("The SMS gateway did not answer in time."), permanent=False) from None
        raise SMSError(
            _(
                "The SMS gateway could not be reached: ${reason}",
                mapping={"reason": _excerpt(str(reason), hide)},
            ),
            permanent=False,
        ) from None


def _decoded(body, headers):
    charset = headers.get_content_charset() or "utf-8"
    try:
        return body.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", "replace")


def _excerpt(text, hide):
    """A short, single-line piece of ``text`` with every secret replaced by ***."""
    text = str(text or "")
    for secret in sorted(filter(None, hide), key=len, reverse=True):
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"
