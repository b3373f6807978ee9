"""Which database failures a message's transaction is run again for, and how often."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from crm_core import retry


class _PgError(Exception):
    """Stands in for a psycopg error: what matters is its SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def _pg(kind: type[DBAPIError], sqlstate: str) -> DBAPIError:
    return kind("UPDATE deals ...", {}, _PgError(sqlstate))


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (_pg(OperationalError, "40P01"), True),  # deadlock detected
        (_pg(OperationalError, "40001"), True),  # serialization failure
        (_pg(IntegrityError, "23505"), True),  # unique violation: a first-contact race
        (_pg(IntegrityError, "23503"), False),  # foreign key: a bug, not a race
        (_pg(OperationalError, "57P01"), False),  # admin shutdown
        (OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")), True),
        (
            IntegrityError(
                "INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed: users.name")
            ),
            True,
        ),
        (
            IntegrityError(
                "INSERT", {}, sqlite3.IntegrityError("NOT NULL constraint failed: deals.name")
            ),
            False,
        ),
        (OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x")), False),
    ],
)
def test_transient_failures_are_told_from_real_ones(error: DBAPIError, transient: bool) -> None:
    assert retry.is_transient(error) is transient
    assert retry.is_transient(ValueError("not a database error")) is False


def test_a_transient_failure_is_retried_until_it_succeeds() -> None:
    calls: list[int] = []
    waits: list[float] = []

    def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _pg(OperationalError, "40P01")
        return "done"

    assert retry.run(work, sleep=waits.append) == "done"
    assert len(calls) == 3 and len(waits) == 2
    assert all(0 <= w <= retry.MAX_DELAY for w in waits)


def test_retries_are_bounded_and_the_last_failure_is_raised() -> None:
    calls: list[int] = []

    def work() -> None:
        calls.append(1)
        raise _pg(OperationalError, "40001")

    with pytest.raises(OperationalError):
        retry.run(work, attempts=4, sleep=lambda _: None)
    assert len(calls) == 4


def test_a_real_failure_is_raised_at_once() -> None:
    calls: list[int] = []

    def work() -> None:
        calls.append(1)
        raise _pg(IntegrityError, "23503")

    with pytest.raises(IntegrityError):
        retry.run(work, sleep=lambda _: None)
    assert len(calls) == 1


def test_the_wait_is_jittered_under_a_doubling_ceiling() -> None:
    import random

    rng = random.Random(7)
    waits = [retry.delay(attempt, rng) for attempt in (1, 1, 1, 5, 10)]
    assert len(set(waits[:3])) == 3  # writers that collided once do not retry in step
    assert waits[0] <= retry.BASE_DELAY and waits[4] <= retry.MAX_DELAY


def test_a_sqlite_writer_waits_for_the_lock_then_gets_it_or_says_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crm_core import db

    path = tmp_path / "locked.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    with pytest.raises(OperationalError) as raised, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert retry.is_transient(raised.value)  # the engine runs the message again
    released = threading.Timer(0.05, lambda: holder.execute("COMMIT"))
    released.start()
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 15_000)
    with engine.begin() as conn:  # waits for the holder, then writes
        conn.execute(text("INSERT INTO t VALUES (2)"))
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15_000
    released.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT x FROM t")).scalars().all() == [2]
    holder.close()
    engine.dispose()
