"""`crmbot say`, `crmbot chat` and `crmbot users` as a person runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CRMBOT = str(Path(sys.executable).with_name("crmbot"))
ENV = {**os.environ, "CRMBOT_TIMEZONE": "Europe/Berlin"}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CRMBOT, *args],
        capture_output=True,
        text=True,
        env=ENV,
        input=stdin,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    result = run("demo", "--db", url, "--customers", "120", "--now", "2026-11-23T10:00", "--quiet")
    assert result.returncode == 0, result.stderr
    return url


def test_say_runs_the_engine_and_state_persists(demo_db: str) -> None:
    base = ("say", "--db", demo_db, "--user", "alex", "--now", "2026-11-23T10:00")
    first = run(*base, "log a call")
    assert first.returncode == 0 and first.stdout.strip() == "Which customer was the call with?"
    second = run(*base, "Initech")
    assert second.stdout.startswith("Logged a call with Initech"), second.stdout
    history = run(*base, "what's going on with Initech?")
    assert "call · Alex Kim" in history.stdout


def test_say_as_manager_sees_the_team(demo_db: str) -> None:
    out = run(
        "say", "--db", demo_db, "--user", "morgan", "--now", "2026-11-23T10:00", "pipeline by owner"
    ).stdout
    assert out.startswith("Team east's open pipeline:") and "Alex Kim" in out


def test_chat_reads_lines_until_eof(demo_db: str) -> None:
    result = run(
        "chat",
        "--db",
        demo_db,
        "--user",
        "dana",
        "--now",
        "2026-11-23T10:00",
        stdin="help\nlog email with Hooli\nundo\nquit\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "crmbot console as dana" in out and "Here's what I can do, Dana." in out
    assert "Logged an email with Hooli" in out and "Undone: removed the interaction" in out
    assert out.rstrip().endswith("bye")


def test_users_add_list_set(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert (
        run(
            "users",
            "add",
            "sam",
            "--db",
            url,
            "--role",
            "manager",
            "--team",
            "East",
            "--slack",
            "U02AB3CD",
        ).stdout.strip()
        == "added sam (manager)"
    )
    listing = run("users", "list", "--db", url).stdout
    assert "sam" in listing and "manager" in listing and "slack:U02AB3CD" in listing
    changed = run("users", "set", "sam", "--db", url, "--role", "admin", "--region", "EMEA")
    assert changed.stdout.strip() == "sam: role admin, team east, region EMEA"
    bad = run("users", "set", "sam", "--db", url, "--role", "boss")
    assert bad.returncode == 1 and "unknown role" in bad.stderr and "Traceback" not in bad.stderr
    missing = run("users", "set", "nobody", "--db", url, "--role", "rep")
    assert missing.returncode == 1 and "no user called 'nobody'" in missing.stderr


def test_unreachable_database_is_one_line() -> None:
    result = run("say", "--db", "postgresql://postgres@127.0.0.1:1/none", "hello")
    assert result.returncode == 1
    assert (
        result.stderr.startswith("crmbot: cannot open database")
        and "Traceback" not in result.stderr
    )


def test_teams_set_and_list(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    run("users", "add", "sam", "--db", url, "--team", "East")
    out = run("teams", "set", "east", "--db", url, "--stale-days", "21", "--digest-hour", "7")
    assert (
        out.returncode == 0 and out.stdout.strip() == "team east: stale deal days 21, digest hour 7"
    )
    listing = run("teams", "list", "--db", url).stdout.splitlines()
    east = next(line for line in listing if line.startswith("east"))
    assert east.split()[1:4] == ["21", "2", "7"]
    bad = run("teams", "set", "east", "--db", url, "--digest-hour", "25")
    assert bad.returncode == 2 and "between 0 and 23" in bad.stderr
