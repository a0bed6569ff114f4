"""Real network peers for tests: an SMTP server and a scriptable HTTP server on loopback.

Loaded as a pytest plugin from the root conftest.py, so every test module can ask for them:

``smtp_server``
    An aiosmtpd server on 127.0.0.1 that Django's SMTP backend is pointed at for the test.
    ``smtp_server.messages`` holds what arrived; ``smtp_server.refuse(address)`` answers
    RCPT for that address with a 550; ``smtp_server.defer()`` answers every DATA with a
    451; ``smtp_server.wait_for(count)`` waits for mail sent from another thread.

``http_peer``
    An ``http.server.ThreadingHTTPServer`` on 127.0.0.1. ``http_peer.url`` is its base URL,
    ``http_peer.requests`` what it received; ``http_peer.respond(status, json, delay=...)``
    queues the next answers. Unscripted requests get 200 ``{"id": "msg-<n>"}``.
"""

import asyncio
import email
import email.policy
import json
import logging
import socket
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage, Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from pytest_django.fixtures import Settings

# Long enough for a loaded CI machine, short enough that a missing message fails quickly.
WAIT_SECONDS = 5.0


def unused_port() -> int:
    """A loopback port nothing listens on, to provoke "connection refused"."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _LoopbackController(Controller):
    """Listens on a port the OS picks, so parallel runs never race for a fixed one."""

    def _trigger_server(self) -> None:
        # The server is bound by now; learn its port before the base class connects to it.
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """The ``smtp_server`` fixture's object; its handler methods run in aiosmtpd's thread."""

    def __init__(self) -> None:
        self.messages: list[ReceivedMail] = []
        self.refused: dict[str, str] = {}
        self.data_reply: str | None = None
        self._arrived = threading.Condition()
        self._controller = _LoopbackController(self, hostname="127.0.0.1", port=0)
        self.host = "127.0.0.1"
        self.port = 0

    def start(self) -> None:
        self._controller.start()
        self.port = self._controller.port

    def stop(self) -> None:
        self._controller.stop()

    def refuse(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable") -> None:
        """Answers RCPT TO for ``address`` with ``reply`` (a 4xx reply defers it instead)."""
        self.refused[address.lower()] = reply

    def defer(self, reply: str = "451 4.3.0 Try again later") -> None:
        """Answers every DATA with ``reply`` until ``data_reply`` is set back to None."""
        self.data_reply = reply

    def wait_for(self, count: int, timeout: float = WAIT_SECONDS) -> list[ReceivedMail]:
        """Blocks until ``count`` messages arrived; fails the test after ``timeout`` s."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                pytest.fail(f"expected {count} e-mails within {timeout} s, got {self.messages}")
            return list(self.messages)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        reply = self.refused.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply is not None:
            return self.data_reply
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        received = ReceivedMail(str(envelope.mail_from), list(envelope.rcpt_tos), parsed)
        with self._arrived:
            self.messages.append(received)
            self._arrived.notify_all()
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback, with Django's e-mail settings pointing at it."""
    # aiosmtpd logs every SMTP command at INFO, which would bury a failing test's output.
    smtp_log = logging.getLogger("mail.log")
    level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    server = SmtpServer()
    try:
        server.start()
    except BaseException:
        smtp_log.setLevel(level)
        raise
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = WAIT_SECONDS
    try:
        yield server
    finally:
        server.stop()
        smtp_log.setLevel(level)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the HTTP peer received it; ``headers`` look up case-insensitively."""

    method: str
    path: str
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """The form-encoded body; a repeated field keeps its last value."""
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))


@dataclass(frozen=True)
class ScriptedResponse:
    status: int
    body: Any
    delay: float
    headers: dict[str, str]


class HttpPeer(ThreadingHTTPServer):
    """The ``http_peer`` fixture's object: a real server in a daemon thread."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _PeerHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.requests: list[RecordedRequest] = []
        self._script: deque[ScriptedResponse] = deque()
        self._lock = threading.Condition()
        # Set at teardown so delayed answers stop sleeping instead of outliving the test.
        self.closing = threading.Event()

    def respond(
        self,
        status: int = 200,
        json: Any = None,
        *,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queues the answer to the next unanswered request; ``delay`` seconds before it."""
        with self._lock:
            self._script.append(ScriptedResponse(status, json, delay, headers or {}))

    def wait_for(self, count: int, timeout: float = WAIT_SECONDS) -> list[RecordedRequest]:
        """Blocks until ``count`` requests arrived; fails the test after ``timeout`` s."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self.requests) >= count, timeout):
                pytest.fail(f"expected {count} requests within {timeout} s, got {self.requests}")
            return list(self.requests)

    def record(self, request: RecordedRequest) -> ScriptedResponse:
        with self._lock:
            self.requests.append(request)
            self._lock.notify_all()
            if self._script:
                return self._script.popleft()
            return ScriptedResponse(200, {"id": f"msg-{len(self.requests)}"}, 0.0, {})

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out has closed its socket before a delayed answer; that is
        # the scenario under test, not an error worth a traceback.
        pass


class _PeerHandler(BaseHTTPRequestHandler):
    server: HttpPeer
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = RecordedRequest(self.command, self.path, self.headers, self.rfile.read(length))
        scripted = self.server.record(request)
        if scripted.delay and self.server.closing.wait(scripted.delay):
            return
        body = b"" if scripted.body is None else json.dumps(scripted.body).encode()
        self.send_response(scripted.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in scripted.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are in http_peer.requests; stderr noise would hide test output


@pytest.fixture
def http_peer() -> Iterator[HttpPeer]:
    """A real HTTP server on loopback answering as scripted with ``respond()``."""
    peer = HttpPeer()
    thread = threading.Thread(target=peer.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield peer
    finally:
        peer.closing.set()
        peer.shutdown()
        peer.server_close()
        thread.join(timeout=WAIT_SECONDS)
