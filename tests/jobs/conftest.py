"""Fixtures of the scheduler tests.

Sweeps are tested on the shared rolled-back `session` (tests/conftest.py). Delivery, the
lease and run_once commit for real, so they get `database`: a fresh, migrated database per
test on SQLite (a copy of one migrated template) and on PostgreSQL (one schema of our own,
emptied after each test). The APScheduler job store table is only ever created in these
databases, never in the shared `engine` that test_migrations compares with our models.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_core.database import Database, open_database
from crm_core.db import make_engine, session_factory
from crm_core.models import Base
from tests.conftest import (
    POSTGRES_URL,
    drop_postgres_schema,
    postgres_schema_engine,
    worker_schema,
)

JOBS_SCHEMA = worker_schema("crmbot_jobs_test")


@pytest.fixture(scope="session")
def sqlite_template(migrated_sqlite_template: Path) -> Path:
    return migrated_sqlite_template


@pytest.fixture(scope="session")
def postgres_jobs_url() -> Iterator[str]:
    postgres_schema_engine(JOBS_SCHEMA).dispose()
    yield POSTGRES_URL
    drop_postgres_schema(JOBS_SCHEMA)


def _empty_postgres(database: Database) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables if t.name != "pipeline_stages"]
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        path = tmp_path / "jobs.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = open_database(f"sqlite:///{path}")
        yield db
        db.dispose()
    else:
        url = request.getfixturevalue("postgres_jobs_url")
        engine = make_engine(url, connect_args={"options": f"-csearch_path={JOBS_SCHEMA}"})
        db = Database(engine, session_factory(engine))
        try:
            yield db
        finally:
            _empty_postgres(db)
            db.dispose()


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """SQLite only: for tests that are about processes and files, not SQL dialects."""
    path = tmp_path / "jobs.db"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()
