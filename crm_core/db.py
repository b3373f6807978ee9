"""Engines and sessions for SQLite (embedded default) and PostgreSQL (psycopg 3).

SQLite needs care to behave like a server database: foreign keys are off unless asked for,
WAL lets readers proceed during a write, a busy timeout makes concurrent writers wait instead
of failing, and pysqlite's own transaction handling must be switched off so that SAVEPOINTs
(each service call's all-or-nothing guarantee) work. Writers take the lock up front with
BEGIN IMMEDIATE: a deferred transaction that reads and then writes can deadlock with another
and fail at once, whatever the busy timeout.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crm_core.errors import DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY = "crmbot_read_only"  # execution option: a transaction that only reads


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (`postgresql://`, `postgres://`) and pick psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A connection marked read-only (Database.read) takes no write lock: WAL lets it
        # read while a writer works, and nothing it does can need the lock later.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(connection.connection.driver_connection)


def _begin_immediate(dbapi_connection: Any) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in short jittered polls.

    SQLite's own busy handler sleeps longer the longer it has waited (up to 100 ms a time),
    so with several writers a waiter keeps missing the moments the lock is free and one
    write can wait seconds while others pass. Polling every millisecond or two takes the
    lock within about a millisecond of its release; the overall limit stays the busy
    timeout, after which SQLite's "database is locked" is raised as before.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    dbapi_connection.execute("PRAGMA busy_timeout = 0")
    try:
        attempt = 0
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                # Raised as SQLAlchemy would have raised it, so callers (and the retry of
                # a whole transaction) see the same error as from any statement.
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
                if time.monotonic() >= deadline:
                    raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
            attempt += 1
            time.sleep(random.uniform(0.0002, 0.0002 * 2 ** min(attempt, 3)))
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Build an engine, or raise `DatabaseUnavailable` with a sentence a person can act on."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"bad database URL {url!r}: {exc}") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(url, **kwargs)
            _configure_sqlite(engine)
        else:
            kwargs.setdefault("pool_pre_ping", True)
            engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise DatabaseUnavailable(f"unsupported database URL {url!r}: {exc}") from exc
    return engine


def check_connection(engine: Engine) -> None:
    """Fail early and clearly when the server is down or the file cannot be opened."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"cannot open database {engine.url.render_as_string(hide_password=True)}: {reason}"
        ) from exc


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commits if the block finishes, rolls everything back if it raises."""
    with factory() as session, session.begin():
        yield session


def engine_key(session: Session) -> str:
    """Which database a session talks to, for per-database caches (the session may be bound
    to an engine or, in tests, to one connection)."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return engine.url.render_as_string(hide_password=False)
