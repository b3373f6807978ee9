"""Running the jobs: every sweep due at a given time, then the delivery.

`run_once` is what `crmbot jobs run-once` and the tests call; the scheduler's jobs call the
same `run_sweep` and `deliver_due`. Each sweep runs in its own transaction and computes from
the CRM tables at `now` only (plus the outbox, the lease and the preferences), so running it
twice at the same time adds nothing, and `run_once(now=T)` is deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from crm_core.database import Database
from crm_core.errors import CrmError
from jobs.alerts import sweep_alerts
from jobs.campaigns import sweep_campaigns
from jobs.delivery import Delivery, deliver_due
from jobs.digests import sweep_morning_digests, sweep_weekly_digests
from jobs.housekeeping import sweep_housekeeping
from jobs.lease import Lease, default_owner
from jobs.notifier import Notifier
from jobs.nudges import sweep_stale_deals, sweep_uncontacted_leads
from jobs.reminders import sweep_due_tasks

log = logging.getLogger(__name__)

Sweep = Callable[..., int]


@dataclass(frozen=True)
class SweepSpec:
    name: str
    func: Sweep
    every_seconds: int  # how often the scheduler runs it
    description: str


# Order matters for run_once: campaigns create tasks before tasks are swept.
SWEEPS: tuple[SweepSpec, ...] = (
    SweepSpec("campaigns", sweep_campaigns, 300, "campaign starts, stragglers, results"),
    SweepSpec("due_tasks", sweep_due_tasks, 60, "due reminders and follow-ups"),
    SweepSpec("stale_deals", sweep_stale_deals, 900, "nudges for deals idle N days"),
    SweepSpec(
        "uncontacted_leads",
        sweep_uncontacted_leads,
        900,
        "nudges for leads not contacted M days after assignment",
    ),
    SweepSpec("alerts", sweep_alerts, 300, "alert rules (fire on crossing)"),
    SweepSpec("morning_digests", sweep_morning_digests, 600, "each rep's morning digest"),
    SweepSpec("weekly_digests", sweep_weekly_digests, 900, "managers' weekly digest"),
    SweepSpec("housekeeping", sweep_housekeeping, 3600, "drop expired conversation questions"),
)
DELIVERY_EVERY_SECONDS = 10

SWEEPS_BY_NAME = {spec.name: spec for spec in SWEEPS}


def run_sweep(database: Database, name: str, *, now: datetime) -> int:
    """One sweep in one transaction; returns how many pushes it enqueued."""
    spec = SWEEPS_BY_NAME[name]
    with database.transaction() as session:
        return spec.func(session, now=now)


class LeaseUnavailable(CrmError):
    """Another process holds the job lease."""


@dataclass
class RunResult:
    now: datetime
    enqueued: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for d in self.deliveries if d.status == status)


def run_all(
    database: Database,
    *,
    now: datetime,
    notifiers: Sequence[Notifier],
    lease: Lease | None = None,
    wait_for_lease: float = 0.0,
) -> RunResult:
    """Every sweep due at `now` once, then every delivery due at `now`, under the job lease
    (released at the end unless the caller passed its own)."""
    own = lease is None
    lease = lease or Lease(database, owner=default_owner("run-once"))
    if not (lease.renew_if_due() or (wait_for_lease and lease.wait(wait_for_lease))):
        held = lease.holder()
        who = f"{held[0]} until {held[1]:%H:%M:%S} UTC" if held else "another process"
        raise LeaseUnavailable(
            f"the job lease is held by {who}; is a bot running the scheduler? Try again later."
        )
    result = RunResult(now)
    try:
        for spec in SWEEPS:
            lease.renew_if_due()
            try:
                result.enqueued[spec.name] = run_sweep(database, spec.name, now=now)
            except Exception as exc:  # one broken sweep must not stop the others
                log.exception("sweep %s failed", spec.name)
                result.errors[spec.name] = f"{type(exc).__name__}: {exc}"
        result.deliveries = deliver_due(database, now=now, notifiers=notifiers, lease=lease)
    finally:
        if own:
            lease.release()
    return result


def run_once(
    database: Database, *, now: datetime, notifiers: Sequence[Notifier], wait_for_lease: float = 0.0
) -> list[Delivery]:
    """Run everything due at `now` once; returns what the delivery did with each push."""
    return run_all(database, now=now, notifiers=notifiers, wait_for_lease=wait_for_lease).deliveries
