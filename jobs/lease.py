"""The job lease: only one process at a time sweeps and delivers.

A row in `scheduler_leases` names the owner and an expiry. The holder renews it well before
it expires (every third of its duration); anybody else may take it only once it has expired,
so a killed process blocks the jobs for at most one lease duration. Lease times are the real
wall clock, never the simulated `now` of `run-once --now`: they are about processes, not
about the CRM's calendar.
"""

from __future__ import annotations

import os
import socket
import time as _time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from crm_core.database import Database
from crm_core.models import SchedulerLease

LEASE_NAME = "jobs"
DEFAULT_LEASE_SECONDS = 30.0


def lease_seconds() -> float:
    """`CRMBOT_JOBS_LEASE_SECONDS` (tests shorten it), else 30 s."""
    try:
        return max(0.5, float(os.environ.get("CRMBOT_JOBS_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))
    except ValueError:
        return DEFAULT_LEASE_SECONDS


def default_owner(role: str = "scheduler") -> str:
    return f"{role}@{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseHeld(RuntimeError):
    """Somebody else holds the job lease."""


@dataclass
class Lease:
    database: Database
    owner: str = field(default_factory=default_owner)
    seconds: float = field(default_factory=lease_seconds)
    name: str = LEASE_NAME
    _renewed_monotonic: float | None = field(default=None, init=False, repr=False)

    @property
    def held(self) -> bool:
        """Held by us, as far as this process knows (renewed less than a duration ago)."""
        return (
            self._renewed_monotonic is not None
            and _time.monotonic() - self._renewed_monotonic < self.seconds
        )

    def acquire(self) -> bool:
        """Take or renew the lease; False when another owner holds an unexpired one."""
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=self.seconds)
        started = _time.monotonic()
        try:
            with self.database.transaction() as session:
                row = session.scalar(
                    select(SchedulerLease).where(SchedulerLease.name == self.name).with_for_update()
                )
                if row is None:
                    session.add(
                        SchedulerLease(
                            name=self.name,
                            owner=self.owner,
                            acquired_at=now,
                            renewed_at=now,
                            expires_at=expires,
                        )
                    )
                elif row.owner == self.owner or row.expires_at <= now:
                    if row.owner != self.owner:
                        row.owner, row.acquired_at = self.owner, now
                    row.renewed_at, row.expires_at = now, expires
                else:
                    self._renewed_monotonic = None
                    return False
        except IntegrityError:  # another process inserted the row first
            self._renewed_monotonic = None
            return False
        self._renewed_monotonic = started
        return True

    def renew_if_due(self) -> bool:
        """Renew when a third of the duration has passed; returns whether we still hold it."""
        if (
            self._renewed_monotonic is not None
            and _time.monotonic() - self._renewed_monotonic < self.seconds / 3
        ):
            return True
        return self.acquire()

    def release(self) -> None:
        if self._renewed_monotonic is None:
            return
        self._renewed_monotonic = None
        with self.database.transaction() as session:
            session.execute(
                delete(SchedulerLease).where(
                    SchedulerLease.name == self.name, SchedulerLease.owner == self.owner
                )
            )

    def wait(self, timeout: float) -> bool:
        """Try to acquire for up to `timeout` seconds."""
        deadline = _time.monotonic() + timeout
        while True:
            if self.acquire():
                return True
            if _time.monotonic() >= deadline:
                return False
            _time.sleep(min(0.25, max(0.0, deadline - _time.monotonic())))

    def holder(self) -> tuple[str, datetime] | None:
        """Who holds the lease and until when (None when nobody does)."""
        with self.database.transaction() as session:
            row = session.scalar(select(SchedulerLease).where(SchedulerLease.name == self.name))
            if row is None or row.expires_at <= datetime.now(UTC):
                return None
            return row.owner, row.expires_at
