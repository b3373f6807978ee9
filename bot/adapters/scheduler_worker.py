"""The scheduler in a process of its own, beside the Slack front (`serve slack` in HTTP mode
with engine workers).

The front exists so that an ack never waits for Python work holding the interpreter lock
(bot/adapters/slack_workers.py); the scheduler's jobs (a delivery pass rendering a thousand
pushes, an alert sweep, a digest with its chart) are such work, so they run here, not in the
front. Nothing else changes: the job lease still lets one scheduler run among every process
on the database, and the front's /metrics and /readyz still show the deliveries and the
lease: this process sends them over a queue, as the engine workers send their message counts.

The process stops when told (the front's shutdown: it finishes the job it runs and gives the
lease back) or when the front is gone. One that dies is started again by the front.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, cast

from bot.adapters.slack import SlackSettings
from bot.adapters.slack_workers import WORKER_NICENESS, Metric

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Event

    from bot.observability import Observability

log = logging.getLogger(__name__)

STOP_SECONDS = 60.0  # a delivery pass in flight finishes before the process stops
WATCH_SECONDS = 1.0  # how often the process looks for a stop, its front, and its lease


class RemoteLease:
    """The front's view of the lease the scheduler process holds or waits for."""

    def __init__(self, owner: str = "") -> None:
        self.owner = owner
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    def update(self, owner: str, held: bool) -> None:
        self.owner, self._held = owner, held


class SchedulerWorker:
    """Runs `run_scheduler` in a spawned process, relays what it reports into the front's
    observer, and starts it again when it died (checked every WATCH_SECONDS)."""

    def __init__(
        self, database_url: str, settings: SlackSettings, observer: Observability | None = None
    ) -> None:
        self.database_url, self.settings, self.observer = database_url, settings, observer
        self.lease = RemoteLease()
        if observer is not None:
            observer.watch_lease(self.lease)
        self._context = multiprocessing.get_context("spawn")
        self._reports: Queue[Metric | None] = self._context.Queue()
        self._stop = self._context.Event()
        self._closing = threading.Event()
        self.process = self._spawn()
        self._relay = threading.Thread(target=self._watch, name="scheduler-relay", daemon=True)
        self._relay.start()

    def _spawn(self) -> BaseProcess:
        process = self._context.Process(
            target=run_scheduler,
            args=(self.database_url, self.settings, self._reports, self._stop, os.getpid()),
            name="crmbot-scheduler",
            daemon=False,  # it must finish the pass it runs and give the lease back
        )
        process.start()
        log.info("scheduler runs in process %s", process.pid)
        return process

    def shutdown(self, timeout: float = STOP_SECONDS) -> None:
        """Let the scheduler finish what it runs, give the lease back and stop."""
        self._closing.set()
        self._stop.set()
        self.process.join(timeout)
        if self.process.is_alive():
            log.warning("the scheduler process did not stop in time")
            self.process.terminate()
            self.process.join(5)
        self._reports.put(None)
        self._relay.join(5)

    def _watch(self) -> None:
        while True:
            try:
                item = self._reports.get(timeout=WATCH_SECONDS)
            except queue.Empty:
                if not self._closing.is_set() and not self.process.is_alive():
                    log.error(
                        "the scheduler process exited (code %s); starting it again",
                        self.process.exitcode,
                    )
                    self.lease.update(self.lease.owner, False)
                    self.process = self._spawn()
                continue
            if item is None:
                return
            name, labels, amount = item
            if name == "lease":
                self.lease.update(labels[0], bool(amount))
            elif self.observer is not None and name == "deliveries":
                self.observer.count_delivery(*labels)


class _Reporter:
    """Stands in for `Observability` in the scheduler process, so that the one
    `watch_scheduler` counts its deliveries; the counts travel to the front."""

    def __init__(self, out: Queue[Metric | None]) -> None:
        self.out = out

    def watch_lease(self, lease: object) -> None:
        pass  # the process reports its lease itself (see run_scheduler)

    def count_delivery(self, platform: str, status: str) -> None:
        self.out.put(("deliveries", (platform, status), 1.0))


def run_scheduler(
    database_url: str,
    settings: SlackSettings,
    reports: Queue[Metric | None],
    stop: Event,
    front_pid: int,
) -> None:
    """The process's life: the scheduler with the Slack notifier (and Telegram's, when its
    token is set), its lease reported whenever it changes, until told to stop or the front
    is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the front; it stops us
    os.nice(WORKER_NICENESS)
    from bot.adapters.notifiers import telegram_notifier_from_env
    from bot.adapters.slack import make_client
    from bot.adapters.slack_notifier import SlackNotifier
    from bot.cli.serve import setup_logging
    from bot.observability import Observability
    from crm_core.database import open_database
    from jobs.notifier import Notifier
    from jobs.scheduler import CrmScheduler

    setup_logging()
    database = open_database(database_url, hide_parameters=True)
    notifiers: list[Notifier] = [SlackNotifier(make_client(settings))]
    telegram = telegram_notifier_from_env(os.environ, database)
    if telegram is not None:
        notifiers.append(telegram)
    jobs = CrmScheduler(database, notifiers=notifiers)
    Observability.watch_scheduler(cast("Observability", _Reporter(reports)), jobs)
    jobs.start()
    said: tuple[str, bool] | None = None
    try:
        while True:
            now = (jobs.lease.owner, jobs.lease.held)
            if now != said:
                reports.put(("lease", (now[0],), float(now[1])))
                said = now
            if stop.wait(WATCH_SECONDS):
                return
            if os.getppid() != front_pid:
                log.warning("the Slack front process is gone: the scheduler stops")
                return
    finally:
        jobs.shutdown()
        reports.put(("lease", (jobs.lease.owner,), 0.0))
        database.dispose()
