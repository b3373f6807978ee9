"""The scheduler in the bot's process: APScheduler with its store in our database, and the
lease that keeps a second bot from running the jobs."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from crm_core.database import Database
from crm_core.models import OutboxMessage
from crm_core.services import tasks, users
from crm_core.services.context import Actor
from jobs.lease import Lease
from jobs.scheduler import (
    JOB_DEFAULTS,
    CrmScheduler,
    job_specs,
    scheduled_sweep,
)
from tests.jobs.helpers import FakeNotifier

SYSTEM = Actor.system("tests")


def _wait(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _reminder(database: Database, text: str) -> None:
    with database.transaction() as session:
        user = users.find_user(session, "alex") or users.create_user(
            session=session, actor=SYSTEM, name="alex", timezone="UTC"
        )
        tasks.create_task(
            session=session,
            actor=SYSTEM,
            text=text,
            owner_id=user.id,
            due_at=datetime.now(UTC) - timedelta(seconds=1),
        )


def test_lease_is_exclusive_until_released_or_expired(database: Database) -> None:
    a = Lease(database, owner="a", seconds=1)
    b = Lease(database, owner="b", seconds=1)
    assert a.acquire() and not b.acquire()
    assert a.acquire()  # renewing is fine
    holder = b.holder()
    assert holder is not None and holder[0] == "a"
    a.release()
    assert b.acquire() and not a.acquire()
    time.sleep(1.1)  # b died without releasing: its lease runs out
    assert a.acquire()


def test_two_schedulers_on_one_database_only_the_lease_holder_runs_jobs(
    sqlite_database: Database,
) -> None:
    database = sqlite_database
    _reminder(database, "first")
    first_notifier, second_notifier = FakeNotifier(), FakeNotifier()
    first = CrmScheduler(
        database, notifiers=[first_notifier], lease=Lease(database, owner="first", seconds=1.5)
    )
    second = CrmScheduler(
        database, notifiers=[second_notifier], lease=Lease(database, owner="second", seconds=1.5)
    )
    first.start()
    second.start()
    try:
        assert first.running_jobs and not second.running_jobs
        assert _wait(lambda: any(r.text == "Reminder: first" for _, r, _ in first_notifier.sent))
        time.sleep(1.5)  # several heartbeats: the second one never gets in
        assert not second.running_jobs and second_notifier.sent == []
        with database.transaction() as session:
            # (other sweeps, such as the 08:00 digest, run on the real clock here: count only
            # the reminder's push)
            reminders = session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "reminder")
            )
            assert [r.status for r in reminders] == ["delivered"]
        # The store holds our jobs, with the documented coalescing and misfire grace.
        assert inspect(database.engine).has_table("apscheduler_jobs")
        assert first._aps is not None
        stored = {job.id: job for job in first._aps.get_jobs()}
        assert set(stored) == {spec["id"] for spec in job_specs()}
        assert all(
            job.coalesce is JOB_DEFAULTS["coalesce"]
            and job.misfire_grace_time == JOB_DEFAULTS["misfire_grace_time"]
            for job in stored.values()
        )

        first.shutdown()  # releases the lease: the second takes over at its next heartbeat
        assert _wait(lambda: second.running_jobs, timeout=5)
        _reminder(database, "second")
        assert scheduled_sweep("due_tasks") == 1  # the jobs now run in the second scheduler
        assert _wait(lambda: any(r.text == "Reminder: second" for _, r, _ in second_notifier.sent))
        assert [r.text for _, r, _ in first_notifier.sent].count("Reminder: first") == 1
        assert all(r.text != "Reminder: first" for _, r, _ in second_notifier.sent)
    finally:
        first.shutdown()
        second.shutdown()


def test_a_dead_holders_lease_is_taken_over_once_it_expires(sqlite_database: Database) -> None:
    dead = Lease(sqlite_database, owner="killed-process", seconds=1)
    assert dead.acquire()
    scheduler = CrmScheduler(
        sqlite_database,
        notifiers=[FakeNotifier()],
        lease=Lease(sqlite_database, owner="new", seconds=1),
    )
    scheduler.start()
    try:
        assert not scheduler.running_jobs
        assert _wait(lambda: scheduler.running_jobs, timeout=5)
    finally:
        scheduler.shutdown()
    assert not scheduler.running_jobs
