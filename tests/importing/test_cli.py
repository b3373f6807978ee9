"""`crmbot import`, `export`, `customers` and `db backup` as a person runs them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_core import migrate
from crm_core.database import open_database
from crm_core.db import make_engine
from crm_core.models import AuditEntry, Customer, Deal
from tests.importing.conftest import write_csv

CRMBOT = str(Path(sys.executable).with_name("crmbot"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRMBOT_TIMEZONE": "UTC"}
    return subprocess.run(
        [CRMBOT, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def counts(url: str) -> tuple[int, int, int]:
    database = open_database(url)
    with database.transaction() as session:
        found = tuple(
            int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Customer, Deal, AuditEntry)
        )
    database.dispose()
    return found  # type: ignore[return-value]


COMPANIES = """
Company name;Phone Number;Create Date
Acme Corp;+1 415 555 0100;04/03/2024
Globex;;
;+1 212 555 0100;
Acme Corporation;(415) 555-0100;
"""


def test_dry_run_writes_nothing_and_errors_go_to_a_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    path = write_csv(tmp_path / "companies.csv", COMPANIES, "cp1252")
    errors = tmp_path / "errors.csv"
    dry = run("import", "customers", str(path), "--db", url, "--dry-run", "--errors", str(errors))
    assert dry.returncode == 0, dry.stderr
    assert "would import 4 rows: 2 created, 1 unchanged, 1 rejected" in dry.stdout
    assert "row 5: duplicate of customers" in dry.stdout and "same phone" in dry.stdout
    assert "dry run: nothing was written" in dry.stdout
    assert counts(url)[:2] == (0, 0)
    assert errors.read_text(encoding="utf-8").splitlines()[1:] == [
        f"{path},4,Company name,,a customer needs a name"
    ]
    real = run("import", "customers", str(path), "--db", url, "--date-order", "DMY")
    assert real.returncode == 0 and "imported 4 rows: 2 created" in real.stdout
    assert counts(url)[0] == 2
    again = run("import", "customers", str(path), "--db", url, "--date-order", "DMY")
    assert "3 unchanged, 1 rejected" in again.stdout
    assert counts(url)[0] == 2


def test_bad_arguments_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    path = write_csv(tmp_path / "x.csv", "name\nA\n")
    for args, message in (
        (("import", "widgets", str(path)), "unknown kind 'widgets'"),
        (("import", "customers", str(path), "--on-duplicate", "maybe"), "--on-duplicate"),
        (("import", "customers", str(tmp_path / "none.csv")), "no file"),
        (("import", "customers", str(path), "--map", "name=colour"), "no field 'colour'"),
        (("export", "widgets"), "unknown kind"),
    ):
        result = run(*args, "--db", url)
        assert result.returncode != 0
        assert message in result.stderr and "Traceback" not in result.stderr


def test_strict_stops_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    path = write_csv(tmp_path / "x.csv", "name,email\nA,a@a.example\nB,broken\nC,\n")
    result = run("import", "customers", str(path), "--db", url, "--strict")
    assert result.returncode == 1 and "row 3" in result.stderr
    assert counts(url)[0] == 0


def test_export_import_export_round_trip(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    target = f"sqlite:///{tmp_path / 'target.db'}"
    demo = run("demo", "--db", source, "--customers", "60", "--seed", "5", "--quiet")
    assert demo.returncode == 0, demo.stderr
    first, second = tmp_path / "first", tmp_path / "second"
    assert run("export", "all", "--db", source, "--out", str(first)).returncode == 0
    loaded = run("import", str(first), "--db", target)
    assert loaded.returncode == 0, loaded.stderr
    assert "rejected" not in loaded.stdout, loaded.stdout
    assert run("export", "all", "--db", target, "--out", str(second)).returncode == 0
    for kind in ("users", "customers", "contacts", "leads", "deals", "interactions"):
        a = (first / f"{kind}.csv").read_text(encoding="utf-8")
        b = (second / f"{kind}.csv").read_text(encoding="utf-8")
        assert a == b, kind
        assert len(a.splitlines()) > 1, kind
    # and importing the export again changes nothing, in either database
    for url, folder in ((target, second), (source, first)):
        before = counts(url)
        run("import", str(folder), "--db", url)
        again = run("import", str(folder), "--db", url)
        assert "created" not in again.stdout and "updated" not in again.stdout, again.stdout
        assert counts(url)[:2] == before[:2]
    # the same through JSON lines
    lines, back = tmp_path / "jsonl", tmp_path / "jsonl-back"
    assert (
        run("export", "all", "--db", source, "--format", "jsonl", "--out", str(lines)).returncode
        == 0
    )
    third = f"sqlite:///{tmp_path / 'third.db'}"
    loaded = run("import", str(lines), "--db", third)
    assert loaded.returncode == 0 and "rejected" not in loaded.stdout, loaded.stdout
    assert (
        run("export", "all", "--db", third, "--format", "jsonl", "--out", str(back)).returncode == 0
    )
    for kind in ("users", "customers", "contacts", "leads", "deals", "interactions"):
        text = (lines / f"{kind}.jsonl").read_text(encoding="utf-8")
        assert text == (back / f"{kind}.jsonl").read_text(encoding="utf-8"), kind


def test_customers_duplicates_and_merge(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    path = write_csv(tmp_path / "c.csv", "name\nInitech\nInitech Ltd\nHooli\nInitec\n")
    assert (
        run("import", "customers", str(path), "--db", url, "--on-duplicate", "new").returncode == 0
    )
    listed = run("customers", "duplicates", "--db", url)
    assert "#1 'Initech' ~ #2 'Initech Ltd': 100 (same name)" in listed.stdout
    assert "#1 'Initech' ~ #4 'Initec'" in listed.stdout and "similar name" in listed.stdout
    merged = run("customers", "merge", "1", "Initec", "--db", url)
    assert merged.returncode == 0 and "merged #4 'Initec' into #1 'Initech'" in merged.stdout
    unsure = run("customers", "merge", "Inytech", "2", "--db", url)
    assert unsure.returncode == 1 and "did you mean #1 Initech" in unsure.stderr
    # "Initech" and "Initech Ltd" share a key; the exact spelling settles which is meant
    spelled = run("customers", "merge", "Initech", "2", "--db", url)
    assert spelled.returncode == 0 and "merged #2 'Initech Ltd' into #1" in spelled.stdout
    assert counts(url)[0] == 2


def test_backup_while_writes_go_on_then_restore(tmp_path: Path) -> None:
    db_path = tmp_path / "live.db"
    url = f"sqlite:///{db_path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE ledger (id INTEGER PRIMARY KEY, a INT, b INT)")
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        """Each transaction writes two rows that must appear together: a+b sums to 0."""
        raw = sqlite3.connect(db_path, timeout=30)
        while not stop.is_set():
            with raw:
                raw.execute("INSERT INTO ledger (a, b) VALUES (1, -1)")
                raw.execute("INSERT INTO ledger (a, b) VALUES (-1, 1)")
            written[0] += 1
        raw.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 50:
            time.sleep(0.01)
        result = run("db", "backup", "--db", url, "--out", str(tmp_path / "copy.db"))
    finally:
        stop.set()
        thread.join()
    engine.dispose()
    assert result.returncode == 0, result.stderr
    assert "backed up to" in result.stdout
    # restore: the copy replaces the database file while nothing runs
    restored = tmp_path / "restored.db"
    shutil.copy(tmp_path / "copy.db", restored)
    check = sqlite3.connect(restored)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows, total = check.execute("SELECT count(*), sum(a) FROM ledger").fetchone()
    check.close()
    assert rows % 2 == 0 and rows >= 100 and total == 0  # whole transactions only
    assert rows <= 2 * written[0]
    database = open_database(f"sqlite:///{restored}", upgrade=False)  # schema intact
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    database.dispose()


def test_automatic_upgrade_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0003")
    engine.dispose()
    database = open_database(f"sqlite:///{path}", upgrade=True)
    database.dispose()
    head = migrate.head_revision()
    copy = tmp_path / f"old-before-{head}.db"
    assert copy.is_file()
    assert migrate.current_revision(make_engine(f"sqlite:///{copy}")) == "0003"


@pytest.mark.postgres
def test_postgres_backup_with_pg_dump(tmp_path: Path) -> None:
    from tests.conftest import (
        POSTGRES_URL,
        drop_postgres_schema,
        postgres_schema_engine,
        worker_schema,
    )

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    from crm_core.backup import backup

    schema = worker_schema("crmbot_backup_test")
    engine = postgres_schema_engine(schema)
    try:
        out = backup(engine, tmp_path / "pg.dump")
        listing = subprocess.run(
            ["pg_restore", "--list", str(out)], capture_output=True, text=True, check=True
        ).stdout
        assert f"{schema} customers" in listing
        assert f"{schema} deals" in listing
    finally:
        engine.dispose()
        drop_postgres_schema(schema)
    assert POSTGRES_URL
