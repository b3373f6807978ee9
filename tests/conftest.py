"""Shared fixtures: every core test runs on SQLite and on PostgreSQL by the same fixtures.

Each test runs inside an outer transaction that is rolled back at the end; services' own
SAVEPOINTs nest inside it (join_transaction_mode="create_savepoint"), so tests are isolated
and fast on both backends.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crm_core import migrate
from crm_core.db import check_connection, make_engine
from crm_core.errors import DatabaseUnavailable
from crm_core.services.context import Actor
from tests.factories import Factory

# The fake Slack and Telegram API servers (fake_slack, fake_telegram) for adapter tests.
pytest_plugins = ["tests.fakes.fixtures"]

POSTGRES_URL = os.environ.get(
    "CRMBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def worker_schema(name: str) -> str:
    """A PostgreSQL schema name of this test process's own: tests run in parallel
    (pytest-xdist) each get theirs, so two workers never empty or drop each other's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{name}_{worker}" if worker else name


TEST_SCHEMA = worker_schema("crmbot_test")


def postgres_schema_engine(schema: str) -> Engine:
    """A migrated engine on a fresh schema of its own in the test database, so nothing left
    there by an earlier run (or anything else in that database) can interfere; skips the
    test, saying why, when no server answers."""
    admin = make_engine(POSTGRES_URL)
    try:
        check_connection(admin)
    except DatabaseUnavailable as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL half skipped: no server at {POSTGRES_URL} ({exc})")
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    migrate.upgrade(engine)
    return engine


def drop_postgres_schema(schema: str) -> None:
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()


def _postgres_engine() -> Engine:
    return postgres_schema_engine(TEST_SCHEMA)


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that tests copy, rather than migrating a database each time."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        shutil.copy(request.getfixturevalue("migrated_sqlite_template"), path)  # migrated once
        eng = make_engine(f"sqlite:///{path}")
    else:
        eng = _postgres_engine()
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    outer = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def make(session: Session, now: datetime) -> Factory:
    return Factory(session, now)


@pytest.fixture
def system() -> Actor:
    return Actor.system("tests")
