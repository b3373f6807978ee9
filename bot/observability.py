"""Health, readiness and Prometheus metrics for `crmbot serve`, in every serving mode.

- `/healthz`: the process is up and answering (a load balancer or Docker restarts it when not).
- `/readyz`: it can do its work: the database answers, its schema is at this crmbot's head
  revision, and the scheduler's lease state is known (who holds it; this process may well be a
  standby: that is ready, only one process sweeps). 503 with the same JSON when not ready, so
  an orchestrator stops routing to it without killing it.
- `/metrics`: Prometheus text (prometheus_client), from a registry of this process.

Slack's HTTP mode serves them on its own server beside /slack/events; Socket Mode and Telegram
(polling or webhook) have no HTTP server of ours, so `listen()` starts a small one on
CRMBOT_HEALTH_HOST:CRMBOT_HEALTH_PORT (127.0.0.1:8080 unless configured: metrics are not for
the whole network by default).

The engine and the scheduler are instrumented from the outside (`instrument_engine`,
`watch_scheduler` wrap a method of the instance), so their code stays about conversations and
pushes. Nothing here logs what a customer wrote: INFO lines carry ids, intents and outcomes;
the text appears at DEBUG only.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from alembic.runtime.migration import MigrationContext
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    make_wsgi_app,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text

from bot import texts
from bot.adapters.http_server import WsgiApp, routes, serve
from chat.message import Message
from chat.reply import Reply
from crm_core import migrate
from crm_core.database import Database
from crm_core.models import OutboxMessage, SchedulerLease

if TYPE_CHECKING:
    from bot.engine import Engine
    from jobs.delivery import Delivery
    from jobs.scheduler import CrmScheduler

log = logging.getLogger(__name__)

DEFAULT_HEALTH_HOST = "127.0.0.1"
DEFAULT_HEALTH_PORT = 8080
READY_TIMEOUT_SECONDS = 5.0  # a database that does not answer in this long is "unreachable"
LEASE_NAME = "jobs"  # jobs.lease.LEASE_NAME
# Outbox rows still to send: what "outbox depth" counts.
WAITING = ("pending", "sending")
# Handling latency buckets (seconds): a parse plus a transaction is tens of milliseconds; a
# cold parser load or a locked SQLite database is seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class HealthConfigError(ValueError):
    """CRMBOT_HEALTH_PORT is not a port number; said in one line at start."""


def listener_address(env: Mapping[str, str]) -> tuple[str, int]:
    """(host, port) of the health/metrics listener: CRMBOT_HEALTH_HOST (127.0.0.1 unless set:
    a container sets 0.0.0.0 to be scraped) and CRMBOT_HEALTH_PORT (8080; 0 = any free port)."""
    host = env.get("CRMBOT_HEALTH_HOST", "").strip() or DEFAULT_HEALTH_HOST
    raw = env.get("CRMBOT_HEALTH_PORT", "").strip() or str(DEFAULT_HEALTH_PORT)
    if not raw.isdigit() or int(raw) > 65535:
        raise HealthConfigError(f"CRMBOT_HEALTH_PORT must be a port number (0-65535), not {raw!r}")
    return host, int(raw)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    checks: dict[str, Any]

    def body(self) -> bytes:
        return json.dumps({"ready": self.ready, **self.checks}, sort_keys=True).encode()


class _StateCollector(Collector):
    """Read at scrape time from the database: outbox depth by status, the lease holder, and
    whether the database answered at all (a scrape never fails because it did not)."""

    def __init__(self, observer: Observability) -> None:
        self.observer = observer

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("crmbot_database_up", "1 when the database answered this scrape")
        depth = GaugeMetricFamily(
            "crmbot_outbox_depth", "Outbox pushes not yet sent, by status", labels=["status"]
        )
        holder = GaugeMetricFamily(
            "crmbot_scheduler_lease_holder",
            "1 for the process that holds the job lease (none: nobody holds it)",
            labels=["owner"],
        )
        try:
            counts, owner = self.observer.database_state()
        except Exception as exc:  # noqa: BLE001 - a down database is a value, not an error
            log.debug("metrics: database state unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for status in WAITING:
            depth.add_metric([status], counts.get(status, 0))
        holder.add_metric([owner or "none"], 1 if owner else 0)
        yield up
        yield depth
        yield holder


class LeaseView(Protocol):
    """What readiness and /metrics read of a scheduler's lease (jobs.lease.Lease)."""

    owner: str

    @property
    def held(self) -> bool: ...


class Observability:
    """One serving process's metrics registry, readiness check and HTTP endpoints."""

    def __init__(
        self,
        database: Database,
        *,
        clock: Callable[[], datetime] | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.database = database
        self.clock = clock or (lambda: datetime.now(UTC))  # lease expiry is wall-clock time
        self.lease: LeaseView | None = None  # the lease of the scheduler this process runs
        self.scheduling = False  # whether this process runs a scheduler at all
        self.registry = registry or CollectorRegistry()
        self._head: str | None = None
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="crmbot-ready")
        r = self.registry
        self.messages = Counter(
            "crmbot_messages_handled",
            "Messages and button clicks handled, by platform, intent and outcome",
            ["platform", "intent", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "crmbot_message_handling_seconds",
            "Time to answer a message (parse, database, reply), by platform",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.deliveries = Counter(
            "crmbot_deliveries",
            "Outbox pushes handled by the delivery job, by platform and status "
            "(delivered, skipped, deferred, retry, failed)",
            ["platform", "status"],
            registry=r,
        )
        self.failures = Counter(
            "crmbot_delivery_failures",
            "Pushes a platform did not take (retry: will try again; failed: gave up)",
            ["platform", "status"],
            registry=r,
        )
        self.lease_held = Gauge(
            "crmbot_scheduler_lease_held",
            "1 when this process holds the job lease and runs the sweeps",
            registry=r,
        )
        self.lease_held.set_function(self._holds_lease)
        r.register(_StateCollector(self))
        ProcessCollector(registry=r)  # CPU, memory, open files of this process
        PlatformCollector(registry=r)
        self._metrics_app = make_wsgi_app(r)

    # --- instrumentation ------------------------------------------------------------------
    def instrument_engine(self, engine: Engine) -> None:
        """Count and time every `engine.handle` call by intent and outcome.

        The intent is the first parse the engine makes while handling the message (its
        `_parse`, wrapped on this instance only); a click is "button", a message answered
        without a parse (a replayed request, cancel, undo, an answer to a question) "other".
        """
        handle = engine.handle
        parse: Callable[[Any], dict[str, Any]] | None = getattr(engine, "_parse", None)
        seen = threading.local()

        def handled(message: Message) -> Reply:
            seen.intent = None
            started = time.perf_counter()
            reply = handle(message)
            elapsed = time.perf_counter() - started
            intent = seen.intent or ("button" if message.action else "other")
            outcome = outcome_of(reply)
            self.messages.labels(message.platform, intent, outcome).inc()
            self.latency.labels(message.platform).observe(elapsed)
            log.info(
                "handled %s message %s: intent %s, %s, %.0f ms",
                message.platform,
                message.message_id,
                intent,
                outcome,
                elapsed * 1000,
            )
            log.debug(
                "message %s said %r; answered %r", message.message_id, message.text, reply.text
            )
            return reply

        def parsed(turn: Any) -> dict[str, Any]:
            assert parse is not None
            result = parse(turn)
            if getattr(seen, "intent", None) is None:
                seen.intent = str(result.get("intent") or "unknown")
            return result

        setattr(engine, "handle", handled)  # noqa: B010 - instance attribute over the method
        if parse is not None:
            setattr(engine, "_parse", parsed)  # noqa: B010

    def watch_scheduler(self, scheduler: CrmScheduler) -> None:
        """Count the delivery job's outcomes (its `record` is wrapped) and report the lease."""
        self.watch_lease(scheduler.lease)
        record = scheduler.record

        def recorded(deliveries: list[Delivery]) -> None:
            record(deliveries)
            for d in deliveries:
                self.count_delivery(d.platform or "none", d.status)

        setattr(scheduler, "record", recorded)  # noqa: B010 - instance attribute

    def watch_lease(self, lease: LeaseView) -> None:
        """This process runs a scheduler with this lease (its own, or the view of one that a
        child process runs and reports: bot.adapters.scheduler_worker)."""
        self.lease = lease
        self.scheduling = True

    def count_delivery(self, platform: str, status: str) -> None:
        self.deliveries.labels(platform, status).inc()
        if status in ("retry", "failed"):
            self.failures.labels(platform, status).inc()

    def _holds_lease(self) -> float:
        lease = self.lease
        return 1.0 if lease is not None and lease.held else 0.0

    # --- readiness ------------------------------------------------------------------------
    def head(self) -> str:
        if self._head is None:
            self._head = migrate.head_revision()
        return self._head

    def database_state(self) -> tuple[dict[str, int], str | None]:
        """Outbox rows waiting by status, and the lease's current holder (None: nobody)."""
        with self.database.read() as session:
            counts = {
                str(status): int(n)
                for status, n in session.execute(
                    select(OutboxMessage.status, func.count())
                    .where(OutboxMessage.status.in_(WAITING))
                    .group_by(OutboxMessage.status)
                )
            }
            return counts, self._holder(session)

    def _holder(self, session: Any) -> str | None:
        row = session.execute(
            select(SchedulerLease.owner, SchedulerLease.expires_at).where(
                SchedulerLease.name == LEASE_NAME
            )
        ).first()
        if row is None:
            return None
        expires = row.expires_at
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return str(row.owner) if expires > self.clock() else None

    def _probe(self) -> tuple[str | None, str | None]:
        """(schema revision, lease holder), or raises when the database does not answer."""
        with self.database.read() as session:
            session.execute(text("SELECT 1"))
            revision = MigrationContext.configure(session.connection()).get_current_revision()
            return revision, self._holder(session)

    def readiness(self, timeout: float = READY_TIMEOUT_SECONDS) -> Readiness:
        checks: dict[str, Any] = {}
        revision: str | None = None
        holder: str | None = None
        reachable = False
        try:
            revision, holder = self._pool.submit(self._probe).result(timeout)
            reachable = True
            checks["database"] = "ok"
        except FutureTimeout:
            checks["database"] = f"no answer within {timeout:g} s"
        except Exception as exc:  # noqa: BLE001 - any failure is "not ready", said in a line
            checks["database"] = "unreachable: " + _first_line(exc)
        head = self.head()
        current = reachable and revision == head
        checks["migrations"] = {
            "current": revision if reachable else None,
            "head": head,
            "ok": current,
        }
        checks["scheduler"] = self._lease_state(holder if reachable else None, reachable)
        ready = reachable and current
        return Readiness(ready, checks)

    def _lease_state(self, holder: str | None, known: bool) -> dict[str, Any]:
        lease = self.lease
        if not self.scheduling or lease is None:
            state = "off"
        elif lease.held:
            state = "holding"
        else:
            state = "standby"
        return {
            "state": state,
            "owner": lease.owner if lease is not None else None,
            "holder": holder if known else "unknown",
        }

    # --- HTTP -----------------------------------------------------------------------------
    def routes(self) -> dict[str, WsgiApp]:
        return {
            "/healthz": healthz,
            "/health": healthz,  # the name before 0.2; load balancers may still ask it
            "/readyz": self.readyz,
            "/metrics": self._metrics_app,
        }

    def readyz(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        result = self.readiness()
        status = "200 OK" if result.ready else "503 Service Unavailable"
        start_response(
            status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        )
        return [result.body()]

    def listen(self, host: str, port: int) -> tuple[int, threading.Event]:
        """Serve the endpoints on their own small server (a daemon thread): the bound port,
        and an event that stops it."""
        bound: list[int] = []
        ready = threading.Event()
        stop = threading.Event()

        def on_ready(number: int) -> None:
            bound.append(number)
            ready.set()

        failure: list[BaseException] = []

        def run() -> None:
            try:
                serve(routes(self.routes()), host, port, on_ready=on_ready, stop=stop)
            except BaseException as exc:  # noqa: BLE001 - reported to the caller below
                failure.append(exc)
                ready.set()

        threading.Thread(target=run, name="crmbot-health", daemon=True).start()
        ready.wait(10)
        if failure or not bound:
            reason = _first_line(failure[0]) if failure else "did not start"
            raise OSError(f"cannot listen on {host}:{port} for /healthz: {reason}")
        return bound[0], stop

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def healthz(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The process is up and its HTTP thread answers; says nothing about the database."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Cache-Control", "no-store")])
    return [b"ok"]


def outcome_of(reply: Reply) -> str:
    """ok (done or asked), refused (a refusal or something the person must fix), error (the
    bot's or the database's fault)."""
    if reply.ok:
        return "ok"
    if reply.text in (texts.CRASHED, texts.DATABASE_TROUBLE):
        return "error"
    return "refused"


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    words = str(orig if orig is not None else exc).strip().splitlines()
    return (words[0] if words else type(exc).__name__)[:300]
