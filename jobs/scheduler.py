"""The scheduler that runs in the bot's process: APScheduler 3 with its job store in the CRM's
own database, started only while this process holds the job lease.

    scheduler = CrmScheduler(database, notifiers=[slack_notifier])
    scheduler.start()      # returns at once; a heartbeat thread takes the lease when it can
    ...
    scheduler.shutdown()

Choices, and why:
- Job store: `SQLAlchemyJobStore` on the same engine (table `apscheduler_jobs`, created by
  the store, not by our migrations), so the schedule survives restarts. The jobs only sweep;
  what is due lives in the CRM tables and the outbox, never in the job store.
- The lease (`jobs.lease`, 30 s, renewed every 10 s): APScheduler 3 cannot share a job store
  between processes, so a second bot does not even open the store: its heartbeat keeps
  trying, and it starts its APScheduler when the first one's lease has expired.
- coalesce=True: after downtime, the backlog of missed ticks of a job is one run, because a
  sweep catches up from the tables anyway (`jobs.clock.CATCH_UP`), and N runs would only
  repeat the same work.
- misfire_grace_time=600 s: a tick later than 10 minutes (a stalled process) is dropped;
  nothing is lost, since the next tick, at most 15 minutes later, sweeps the same tables.
  The latest missed tick of an interval job is always within the grace, so a restart still
  runs every job at once.
- max_instances=1: a slow sweep is never run twice at the same time.
- The team's time zone (`crm_core.settings.get_timezone()`) is the scheduler's zone; per-rep
  local hours (digests) are computed by the sweeps, not by cron triggers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from crm_core.database import Database
from jobs.clock import team_zone
from jobs.delivery import Delivery, deliver_due
from jobs.lease import Lease, default_owner
from jobs.notifier import Notifier
from jobs.runner import DELIVERY_EVERY_SECONDS, SWEEPS, run_sweep

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"
MISFIRE_GRACE_SECONDS = 600
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS, "max_instances": 1}

# Jobs in the store name module functions (they must survive pickling); these find the
# scheduler of this process that currently holds the lease.
_instances: list[CrmScheduler] = []
_instances_lock = threading.Lock()


def _active() -> CrmScheduler | None:
    with _instances_lock:
        for instance in _instances:
            if instance.running_jobs and instance.lease.held:
                return instance
    return None


def scheduled_sweep(name: str) -> int:
    instance = _active()
    if instance is None or not instance.lease.renew_if_due():
        log.warning("sweep %s skipped: this process does not hold the job lease", name)
        return 0
    enqueued = run_sweep(instance.database, name, now=instance.clock())
    if enqueued:
        instance.wake_delivery()  # send now rather than at the next delivery tick
    return enqueued


def scheduled_delivery() -> int:
    instance = _active()
    if instance is None or not instance.lease.renew_if_due():
        return 0
    deliveries = deliver_due(
        instance.database, now=instance.clock(), notifiers=instance.notifiers, lease=instance.lease
    )
    instance.record(deliveries)
    return len(deliveries)


def job_specs() -> list[dict[str, Any]]:
    """What the scheduler keeps in its store: one interval job per sweep, plus delivery."""
    specs = [
        {
            "id": f"sweep:{s.name}",
            "func": "jobs.scheduler:scheduled_sweep",
            "args": [s.name],
            "seconds": s.every_seconds,
            "name": s.description,
        }
        for s in SWEEPS
    ]
    specs.append(
        {
            "id": "deliver",
            "func": "jobs.scheduler:scheduled_delivery",
            "args": [],
            "seconds": DELIVERY_EVERY_SECONDS,
            "name": "send the outbox",
        }
    )
    return specs


class CrmScheduler:
    def __init__(
        self,
        database: Database,
        *,
        notifiers: Sequence[Notifier],
        timezone: tzinfo | None = None,
        lease: Lease | None = None,
        owner: str | None = None,
    ) -> None:
        self.database = database
        self.notifiers = list(notifiers)
        self.timezone = timezone or team_zone()
        self.lease = lease or Lease(database, owner=owner or default_owner())
        self.deliveries: list[Delivery] = []  # recent outcomes, for logs and tests
        self._aps: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- public ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the heartbeat; the jobs run whenever this process holds the lease."""
        if self._thread is not None:
            return
        with _instances_lock:
            _instances.append(self)
        self._stop.clear()
        self._heartbeat_once()
        self._thread = threading.Thread(
            target=self._heartbeat, name="crmbot-jobs-lease", daemon=True
        )
        self._thread.start()

    def shutdown(self, wait: bool = True) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.lease.seconds)
            self._thread = None
        self._stop_jobs(wait=wait)
        self.lease.release()
        with _instances_lock:
            if self in _instances:
                _instances.remove(self)

    @property
    def running_jobs(self) -> bool:
        return self._aps is not None and self._aps.running

    def clock(self) -> datetime:
        return datetime.now(UTC)

    def wake_delivery(self) -> None:
        """Bring the delivery job's next run forward to now (APScheduler still runs at most
        one delivery at a time, so two passes never race for the same rows)."""
        aps = self._aps
        if aps is not None and aps.running:
            try:
                aps.modify_job("deliver", next_run_time=datetime.now(self.timezone))
            except Exception:  # the job store is being shut down: the next tick will do
                log.debug("could not wake the delivery job", exc_info=True)

    def record(self, deliveries: list[Delivery]) -> None:
        for d in deliveries:
            # INFO names the push by its key; whom it was for (a person's name) and its text
            # (customer names, what a reminder says) are for DEBUG only.
            log.info(
                "push %s %s (%s) via %s%s%s",
                d.status,
                d.key,
                d.kind,
                d.platform or "-",
                f": {d.reason}" if d.reason else "",
                " (possible duplicate)" if d.possible_duplicate else "",
            )
            log.debug("%s", d.line())
        with self._lock:
            self.deliveries = (self.deliveries + deliveries)[-1000:]

    # -- lease and APScheduler ------------------------------------------------------------

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.lease.seconds / 3):
            self._heartbeat_once()

    def _heartbeat_once(self) -> None:
        try:
            holds = self.lease.acquire()
        except Exception:  # a database hiccup: treat as not holding, try again next beat
            log.exception("could not renew the job lease")
            holds = False
        if holds and not self.running_jobs:
            log.info("job lease taken by %s: starting the jobs", self.lease.owner)
            self._start_jobs()
        elif not holds and self.running_jobs:
            log.warning("job lease lost by %s: stopping the jobs", self.lease.owner)
            self._stop_jobs(wait=False)

    def _start_jobs(self) -> None:
        aps = BackgroundScheduler(
            jobstores={
                "default": SQLAlchemyJobStore(engine=self.database.engine, tablename=JOBSTORE_TABLE)
            },
            executors={"default": ThreadPoolExecutor(max_workers=2)},
            job_defaults=dict(JOB_DEFAULTS),
            timezone=self.timezone,
        )
        aps.start(paused=True)
        for spec in job_specs():
            existing = aps.get_job(spec["id"])
            if existing is None:
                # First start on this database: run at once, then every `seconds`.
                aps.add_job(
                    spec["func"],
                    "interval",
                    seconds=spec["seconds"],
                    id=spec["id"],
                    name=spec["name"],
                    args=spec["args"],
                    next_run_time=datetime.now(self.timezone),
                )
            else:
                # Keep the stored next run time (missed ticks coalesce on resume) but bring
                # the definition up to date.
                existing.modify(
                    func=spec["func"], args=spec["args"], name=spec["name"], **JOB_DEFAULTS
                )
                if getattr(existing.trigger, "interval_length", None) != spec["seconds"]:
                    existing.reschedule("interval", seconds=spec["seconds"])
        aps.resume()
        self._aps = aps

    def _stop_jobs(self, wait: bool) -> None:
        aps, self._aps = self._aps, None
        if aps is not None and aps.running:
            aps.shutdown(wait=wait)
