"""Slack's HTTP mode in two halves, so that an ack never waits for engine work.

The engine (parsing, name resolution, reports) is pure Python: in the process that serves
HTTP it holds the interpreter lock for tens of milliseconds at a time, and with many events
at once every ack queues behind it (slack-bolt's `process_before_response=False` and lazy
listeners only move the work to another *thread*, which does not help against the lock). So
`crmbot serve slack` splits:

- the **front** (this process): the WSGI server, `slack_guard` (size, signature, shape),
  Slack's `url_verification` and `ssl_check`, and for everything else an empty 200 at once,
  the request handed to a worker through a queue. It holds no engine.
- **engine workers** (`--engine-workers N`, separate processes started with `spawn`): each
  runs the engine and the same Bolt app and listeners as ever (`SlackAdapter`), fed the
  verified requests (Bolt's own verification is off there: the front checked, and a queued
  request may be older than its 5-minute window by the time it runs).

Exactly once is unchanged: a request is routed by its conversation (event channel, else the
command's or click's channel), so Slack's retries of one event reach the worker that saw it
first and its `_Seen` drops them; the engine's `handled_requests` row, written with the
request's writes, makes any other replay write nothing. The message metrics are counted in
the front's registry: each worker sends them back over a queue.

A worker that dies is started again on the next request for it; the requests waiting in its
queue are lost (already acknowledged, Slack will not resend them), as they would be if a
single process died. A worker whose front has gone (killed) stops by itself.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import queue
import signal
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs

from bot.adapters.slack import SlackSettings

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

    from bot.observability import Observability

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Request = tuple[str, dict[str, str | Sequence[str]]]  # body, headers (Bolt's shape)
Metric = tuple[str, tuple[str, ...], float]  # "messages" | "latency", labels, amount

LISTENER_THREADS = 10  # per worker: Bolt's default pool size
WORKER_NICENESS = 10
STOP_SECONDS = 30.0  # how long a stopping worker may take to finish what it runs


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to build its engine and Bolt app (picklable, for `spawn`)."""

    database_url: str
    settings: SlackSettings
    team_id: str  # from the front's auth.test: workers do not ask again


# --- the front --------------------------------------------------------------------------------


def _headers(environ: dict[str, Any]) -> dict[str, str | Sequence[str]]:
    """The request's headers as Bolt's WSGI adapter gives them (lower case, dashes)."""
    headers: dict[str, str | Sequence[str]] = {
        key[5:].lower().replace("_", "-"): [str(value)]
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.lower().replace("_", "-")] = [str(environ[key])]
    return headers


def _parse(body: str, content_type: str) -> dict[str, Any]:
    """The request as a dict: the JSON of an event, a form (a command), or a form's
    `payload` (a click). slack_guard has already checked the shape."""
    if content_type.startswith("application/json"):
        data = json.loads(body)
        return data if isinstance(data, dict) else {}
    form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items() if v}
    if "payload" in form:
        payload = json.loads(form["payload"])
        return payload if isinstance(payload, dict) else {}
    return form


def route_key(request: dict[str, Any]) -> str:
    """The conversation a request belongs to: the same one goes to the same worker."""
    event = request.get("event")
    if isinstance(event, dict) and event.get("channel"):
        return str(event["channel"])
    channel = request.get("channel")
    if isinstance(channel, dict) and channel.get("id"):
        return str(channel["id"])
    return str(request.get("channel_id") or request.get("team_id") or "")


def _reply(start_response: Callable[..., Any], body: bytes, content_type: str) -> list[bytes]:
    start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def front(workers: EngineWorkers) -> WsgiApp:
    """The events endpoint of the front: put behind `slack_guard`, it answers Slack's URL
    check itself and acknowledges everything else at once, after handing it to a worker."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode("utf-8") if length else ""
        request = _parse(body, str(environ.get("CONTENT_TYPE") or ""))
        if request.get("type") == "url_verification":
            answer = json.dumps({"challenge": str(request.get("challenge") or "")})
            return _reply(start_response, answer.encode(), "application/json")
        if request.get("ssl_check"):
            return _reply(start_response, b"", "text/plain")
        workers.submit((body, _headers(environ)), route_key(request))
        return _reply(start_response, b"", "text/plain")  # what ack() with no text answers

    return app


class EngineWorkers:
    """N engine worker processes, each with a queue of its own, and the thread that moves
    their message metrics into the front's registry."""

    def __init__(
        self, config: WorkerConfig, count: int, observer: Observability | None = None
    ) -> None:
        self.config = config
        self.count = max(1, count)
        self.observer = observer
        self._context = multiprocessing.get_context("spawn")
        self._metrics: Queue[Metric | None] = self._context.Queue()
        self._inboxes: list[Queue[Request | None]] = []
        self._processes: list[BaseProcess] = []
        self._lock = threading.Lock()
        for i in range(self.count):
            inbox: Queue[Request | None] = self._context.Queue()
            self._inboxes.append(inbox)
            self._processes.append(self._spawn(i, inbox))
        self._relay = threading.Thread(target=self._count, name="slack-metrics", daemon=True)
        self._relay.start()

    def _spawn(self, i: int, inbox: Queue[Request | None]) -> BaseProcess:
        process = self._context.Process(
            target=run_worker,
            args=(self.config, inbox, self._metrics, os.getpid()),
            name=f"crmbot-slack-engine-{i}",
            daemon=False,  # it must finish what it started when the front stops
        )
        process.start()
        return process

    def submit(self, request: Request, key: str) -> None:
        """Queue a request for the worker of its conversation (started again if it died)."""
        i = zlib.crc32(key.encode("utf-8")) % self.count
        with self._lock:
            if not self._processes[i].is_alive():
                log.error(
                    "Slack engine worker %d exited (code %s); starting it again",
                    i,
                    self._processes[i].exitcode,
                )
                self._inboxes[i] = self._context.Queue()  # its old queue may be torn
                self._processes[i] = self._spawn(i, self._inboxes[i])
            inbox = self._inboxes[i]
        inbox.put(request)

    def close(self, timeout: float = STOP_SECONDS) -> None:
        """Let every worker finish its queue and what it runs, then stop it."""
        for inbox in self._inboxes:
            inbox.put(None)
        for process in self._processes:
            process.join(timeout)
            if process.is_alive():
                log.warning("Slack engine worker %s did not stop in time", process.name)
                process.terminate()
                process.join(5)
        self._metrics.put(None)
        self._relay.join(5)

    def _count(self) -> None:
        while True:
            item = self._metrics.get()
            if item is None:
                return
            if self.observer is None:
                continue
            name, labels, amount = item
            if name == "messages":
                self.observer.messages.labels(*labels).inc(amount)
            else:
                self.observer.latency.labels(*labels).observe(amount)


# --- a worker ---------------------------------------------------------------------------------


class _Sent:
    """`labels(...).inc()` / `.observe()` that go to the front's registry over a queue."""

    def __init__(self, out: Queue[Metric | None], name: str, labels: tuple[str, ...]):
        self.out, self.name, self.labels = out, name, labels

    def inc(self, amount: float = 1.0) -> None:
        self.out.put((self.name, self.labels, amount))

    def observe(self, amount: float) -> None:
        self.out.put((self.name, self.labels, amount))


class _Family:
    def __init__(self, out: Queue[Metric | None], name: str) -> None:
        self.out, self.name = out, name

    def labels(self, *values: str) -> _Sent:
        return _Sent(self.out, self.name, tuple(values))


class _Relay:
    """Stands in for `Observability` in a worker, so that the one `instrument_engine`
    counts its messages: the counts travel to the front, which serves /metrics."""

    def __init__(self, out: Queue[Metric | None]) -> None:
        self.messages = _Family(out, "messages")
        self.latency = _Family(out, "latency")


def run_worker(
    config: WorkerConfig,
    inbox: Queue[Request | None],
    metrics: Queue[Metric | None],
    front_pid: int,
) -> None:
    """A worker's life: build the engine and the Bolt app, run each queued request through
    Bolt (its listeners on a pool of threads), stop on None, or when the front is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the front; it stops us
    # Below the front in the CPU queue: on a busy machine an ack (microseconds of work) goes
    # before another slice of parsing, which only delays a reply Slack does not time.
    os.nice(WORKER_NICENESS)
    from slack_bolt.request import BoltRequest

    from bot.adapters.slack import SlackAdapter, make_client
    from bot.cli.serve import setup_logging
    from bot.engine import Engine
    from bot.observability import Observability
    from crm_core.database import open_database
    from crm_core.services.enrolment import EnrolmentPolicy

    setup_logging()
    database = open_database(config.database_url, hide_parameters=True)
    engine = Engine(database, warm=True, enrolment=EnrolmentPolicy.from_env(os.environ))
    # The one instrumentation, its counters relayed (it uses nothing else of the observer).
    Observability.instrument_engine(cast("Observability", _Relay(metrics)), engine)
    listeners = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="crmbot-slack")
    adapter = SlackAdapter(
        engine,
        config.settings,
        make_client(config.settings),
        team_id=config.team_id,
        verify=False,
        listener_executor=listeners,
    )
    try:
        while True:
            try:
                item = inbox.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != front_pid:
                    log.warning("the Slack front process is gone: engine worker stops")
                    return
                continue
            if item is None:
                return
            body, headers = item
            try:
                adapter.app.dispatch(BoltRequest(body=body, headers=headers))
            except Exception:  # one bad request must not stop the worker
                log.exception("Slack request failed in the engine worker")
    finally:
        listeners.shutdown(wait=True)
        database.dispose()
