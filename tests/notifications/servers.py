"""Local servers standing in for the SMTP server and the SMS provider (127.0.0.1 only)."""

from aiosmtpd.controller import Controller
from email import message_from_bytes
from email import policy
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlsplit

import json
import socket
import threading
import time


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorded:
    """One request the provider received."""

    def __init__(self, method, target, headers, body):
        parts = urlsplit(target)
        self.method = method
        self.raw_path = parts.path
        self.path = unquote(parts.path)
        self.raw_query = parts.query
        self.query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        self.headers = headers
        self.body = body

    @property
    def form(self):
        return {name: values[0] for name, values in parse_qs(self.body.decode("ascii")).items()}

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Provider:
    """What the stand-in provider answers next, and what it was sent."""

    def __init__(self):
        self.requests = []
        self.answer()

    def answer(self, status=200, body="", delay=0, content_type="text/plain", headers=()):
        self.status, self.body, self.delay = status, body, delay
        self.content_type, self.headers = content_type, dict(headers)

    def answer_json(self, data, status=200):
        self.answer(status, json.dumps(data, ensure_ascii=False), content_type="application/json")

    @property
    def last(self):
        assert self.requests, "the provider received no request"
        return self.requests[-1]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.respond()

    do_POST = do_GET

    def respond(self):
        provider = self.server.provider
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        provider.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
        time.sleep(provider.delay)
        payload = provider.body.encode("utf-8")
        self.send_response(provider.status)
        self.send_header("Content-Type", provider.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in provider.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # noqa: A002 - the name BaseHTTPRequestHandler gives it
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client of a slow answer has hung up already: nothing to report


def start_provider():
    server = Server(("127.0.0.1", 0), Handler)
    server.provider = Provider()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    server.provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server


class Mailbox:
    """An aiosmtpd handler keeping every message it accepts (as email.message objects)."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address):
        return [m for rcpt, m in self.messages if address in rcpt]

    def message_ids(self):
        return [m["Message-ID"] for _rcpt, m in self.messages]


def start_smtp(port=None):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    controller.mailbox = mailbox
    return controller
