"""Opening the CRM's database: one call that resolves the URL, connects, and brings the
schema up to date, so every command and adapter starts the same way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crm_core import migrate
from crm_core.db import READ_ONLY, check_connection, make_engine, session_factory
from crm_core.errors import DatabaseUnavailable
from crm_core.settings import database_url


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commit when the block ends, roll back everything if it raises."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads, always rolled back. On SQLite it takes no write
        lock, so caches can be (re)built while other processes write."""
        with self.engine.connect() as connection:
            connection.execution_options(**{READ_ONLY: True})
            with Session(bind=connection, expire_on_commit=False) as session:
                try:
                    yield session
                finally:
                    session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


def _check_sqlite_path(engine: Engine) -> None:
    path = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise DatabaseUnavailable(f"cannot open database {path}: folder {parent} does not exist")


def open_database(
    url: str | None = None,
    *,
    upgrade: bool | None = None,
    migrate_schema: bool = True,
    **engine_kwargs: object,
) -> Database:
    """Connect to `url` (else CRMBOT_DATABASE_URL, else the SQLite default) and ensure the
    schema: upgrade it when auto-upgrade is on, else raise MigrationRequired."""
    engine = make_engine(database_url(url), **engine_kwargs)
    try:
        _check_sqlite_path(engine)
        check_connection(engine)
        if migrate_schema:
            migrate.ensure_schema(engine, auto_upgrade=upgrade)
    except Exception:
        engine.dispose()
        raise
    return Database(engine, session_factory(engine))
