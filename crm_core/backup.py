"""A consistent copy of the database while the bot keeps running.

SQLite: the online backup API (sqlite3.Connection.backup) copies page by page and restarts
a step when a writer changed a page under it, so the copy is one moment's state however
busy the bot is. PostgreSQL: `pg_dump`, which reads one snapshot; when it is not installed
the caller gets one clear sentence saying so.

Restore: for SQLite, stop the bot and copy the backup file over the database file; for
PostgreSQL, `pg_restore --clean --dbname URL FILE` (README, "Backups").
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from crm_core.errors import CrmError

PAGES_PER_STEP = 1024


class BackupFailed(CrmError):
    """The copy could not be made; the sentence says why."""


def default_name(engine: Engine, now: datetime) -> Path:
    """crmbot-YYYYmmdd-HHMMSS.db (SQLite, beside the database) or .dump (PostgreSQL)."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    if engine.url.get_backend_name() == "sqlite" and engine.url.database:
        source = Path(engine.url.database).expanduser()
        return source.with_name(f"{source.stem}-{stamp}.db")
    return Path(f"crmbot-{stamp}.dump")


def backup(engine: Engine, out: Path) -> Path:
    """Copy the database behind `engine` to `out`; returns `out`."""
    backend = engine.url.get_backend_name()
    if backend == "sqlite":
        return backup_sqlite(engine, out)
    if backend == "postgresql":
        return backup_postgresql(engine, out)
    raise BackupFailed(f"cannot back up a {backend} database: only SQLite and PostgreSQL")


def backup_sqlite(engine: Engine, out: Path) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupFailed("an in-memory database has nothing to back up")
    source_path = Path(database).expanduser()
    if not source_path.is_file():
        raise BackupFailed(f"no database file {source_path}")
    if out.expanduser().resolve() == source_path.resolve():
        raise BackupFailed("the backup cannot overwrite the database itself")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=PAGES_PER_STEP)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"backup of {source_path} failed: {exc}") from exc
    finally:
        target.close()
        source.close()
    partial.replace(out)  # a reader never sees a half-written backup under the final name
    return out


def backup_postgresql(engine: Engine, out: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupFailed(
            "pg_dump is not installed: install the PostgreSQL client tools "
            "(e.g. apt install postgresql-client) or back up with your database host's tools"
        )
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [pg_dump, "--format=custom", f"--file={out}", "--no-owner"]
    schema = _search_path(engine)
    if schema:
        command.append(f"--schema={schema}")
    command.append(f"--dbname={url.render_as_string(hide_password=False)}")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise BackupFailed(f"pg_dump failed: {reason}")
    return out


def _search_path(engine: Engine) -> str | None:
    """The schema the engine works in when it is not the default one (tests use one each)."""
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("select current_schema()").scalar()
    return str(schema) if schema and schema != "public" else None
