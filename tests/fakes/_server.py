"""Common machinery of the fake API servers: a stdlib ThreadingHTTPServer on 127.0.0.1 (free
port) in a daemon thread, thread-safe recording of every call, waiting for calls, and a queue
of injected faults per method.

Subclasses implement ``_handle(handler, verb, path, query, body, headers)`` which returns
``(status, payload_dict, extra_headers, call_info)``; see slack_api.py and telegram_api.py.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from email.utils import collapse_rfc2231_value
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Call:
    """One HTTP request that reached a fake API (injected failures included)."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    time: float  # time.monotonic() when the request arrived
    http_verb: str = "POST"
    path: str = ""
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    failed: bool = False  # True when the answer was an injected fault (fail_next / error_next)
    files: dict[str, bytes] = field(default_factory=dict)  # multipart file parts, by field name

    @property
    def ok(self) -> bool:
        """The API's own verdict: HTTP 2xx and ``"ok": true`` in the body."""
        return 200 <= self.status < 300 and bool(self.response.get("ok"))


@dataclass
class Fault:
    status: int
    times: int
    retry_after: int | None = None
    error: str | None = None  # Slack's "error" / Telegram's "description"
    payload: dict[str, Any] | None = None
    # > 0: the call is carried out as usual, but the answer comes this many seconds late
    # (a client with a shorter timeout gives up on a request that did take effect).
    delay: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real APIs; every answer has Content-Length
    timeout = 30  # an idle kept-alive connection's thread ends after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers up to the empty line
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self, verb: str) -> None:
        body = self._read_body()
        try:
            status, payload, extra = self.server.fake._process(verb, self.path, body, self.headers)
        except Exception as exc:  # a bug in the fake must show, not hang the client
            status, payload, extra = 500, {"ok": False, "error": f"fake_crashed: {exc!r}"}, {}
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client went away (e.g. a cancelled long poll)
            self.close_connection = True

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeServer


def parse_body(body: bytes, content_type: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Parse a JSON, urlencoded or multipart/form-data body into (fields, files)."""
    ctype = (content_type or "").lower()
    if not body:
        return {}, {}
    if "application/json" in ctype:
        parsed = json.loads(body.decode("utf-8"))
        return (parsed if isinstance(parsed, dict) else {"_json": parsed}), {}
    if "multipart/form-data" in ctype:
        msg = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        fields: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in msg.iter_parts():
            param = part.get_param("name", header="content-disposition")
            # an RFC 2231 encoded name comes as a tuple: collapse it to the plain text
            name = collapse_rfc2231_value(param) if param is not None else ""
            payload = part.get_payload(decode=True)  # bytes, or None when empty
            content = payload if isinstance(payload, bytes) else b""
            if part.get_filename() is not None:
                files[name] = content
            else:
                fields[name] = content.decode(part.get_content_charset() or "utf-8")
        return fields, files
    # application/x-www-form-urlencoded (also the default when no type is given)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), {}


class FakeServer:
    """Base of the fakes. ``start()``/``stop()`` or ``with Fake() as fake:``."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._calls: list[Call] = []
        self._faults: dict[str, list[Fault]] = {}
        self._conns: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.stopping = False
        self.port: int = 0

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeServer:
        if self._server is not None:
            return self
        self.stopping = False
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server = self._server
        if server is None:
            return
        with self._cond:
            self.stopping = True
            self._cond.notify_all()  # ends long polls and wait_for at once
        server.shutdown()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:  # kept-alive client connections: close them so no thread lingers
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    # --- recording -------------------------------------------------------------------------
    def _method_key(self, method: str) -> str:
        return method

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def calls(self, method: str | None = None) -> list[Call]:
        """Every recorded call (injected failures included, see ``Call.failed``), oldest first."""
        with self._lock:
            if method is None:
                return list(self._calls)
            key = self._method_key(method)
            return [c for c in self._calls if self._method_key(c.method) == key]

    def count(self, method: str) -> int:
        """How many calls of ``method`` arrived (every attempt, failed ones too)."""
        return len(self.calls(method))

    def wait_for(self, method: str, n: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least ``n`` calls of ``method`` arrived; return them all.

        Raises AssertionError (listing what did arrive) on timeout."""
        key = self._method_key(method)
        deadline = time.monotonic() + timeout

        def matching() -> list[Call]:
            return [c for c in self._calls if self._method_key(c.method) == key]

        with self._cond:
            while True:
                found = matching()
                if len(found) >= n:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self.stopping:
                    seen = [c.method for c in self._calls]
                    raise AssertionError(
                        f"waited {timeout}s for {n} call(s) of {method!r}, got {len(found)}; "
                        f"calls so far: {seen}"
                    )
                self._cond.wait(left)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Block until ``predicate()`` (evaluated under the fake's lock) is true."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"condition not met within {timeout}s")
                self._cond.wait(min(left, 0.1))

    def reset(self) -> None:
        """Forget recorded calls and pending faults (the fake's data, e.g. messages, stays)."""
        with self._lock:
            self._calls.clear()
            self._faults.clear()

    # --- faults ----------------------------------------------------------------------------
    def _add_fault(self, method: str, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.setdefault(self._method_key(method), []).append(fault)

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(self._method_key(method))
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    # --- request processing (subclasses) ---------------------------------------------------
    def _process(
        self, verb: str, path: str, body: bytes, headers: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        raise NotImplementedError
