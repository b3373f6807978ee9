"""`crmbot jobs run-once` and `crmbot jobs list` as a person runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bot.preferences import parse_preference_command
from crm_core.database import Database
from crm_core.services import tasks, users
from crm_core.services.context import Actor
from crm_core.services.preferences import apply_preference_change
from tests.conftest import NOW

CRMBOT = str(Path(sys.executable).with_name("crmbot"))
SYSTEM = Actor.system("tests")


def crmbot(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CRMBOT_TIMEZONE": "UTC"}
    return subprocess.run(
        [CRMBOT, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def _seed(database: Database) -> None:
    with database.transaction() as session:
        alex = users.create_user(
            session=session, actor=SYSTEM, name="alex", display_name="Alex Kim", role="admin"
        )
        tasks.create_task(
            session=session, actor=SYSTEM, text="call Initech", due_at=NOW, owner_id=alex.id
        )
        tasks.create_task(
            session=session,
            actor=SYSTEM,
            text="post the numbers",
            due_at=NOW,
            owner_id=alex.id,
            target_channel="#sales",
        )
        change = parse_preference_command("mute reminders")
        assert change is not None
        apply_preference_change(session=session, actor=SYSTEM, channel="#sales", change=change)


def test_run_once_prints_what_it_delivered_at_t_and_never_twice(sqlite_database: Database) -> None:
    _seed(sqlite_database)
    url = sqlite_database.url
    early = crmbot(
        "jobs", "run-once", "--db", url, "--now", (NOW - timedelta(minutes=1)).isoformat()
    )
    assert early.returncode == 0, early.stderr
    assert early.stdout.strip().splitlines()[-1] == (
        "run-once at 2026-11-23T09:59+00:00: 0 delivered, 0 skipped, 0 deferred, 0 to retry, "
        "0 failed (new pushes: nothing)"
    )

    due = crmbot("jobs", "run-once", "--db", url, "--now", NOW.isoformat())
    assert due.returncode == 0, due.stderr
    lines = due.stdout.strip().splitlines()
    assert "-> Alex Kim (@alex) [reminder]: Reminder: call Initech" in lines
    assert (
        "SKIPPED  reminder   -> #sales: Reminder: post the numbers (for Alex Kim)  "
        "(muted: reminders)"
    ) in lines
    assert lines[-1] == (
        "run-once at 2026-11-23T10:00+00:00: 1 delivered, 1 skipped, "
        "0 deferred, 0 to retry, 0 failed (new pushes: due_tasks 2)"
    )

    later = crmbot("jobs", "run-once", "--db", url, "--now", (NOW + timedelta(hours=1)).isoformat())
    assert "call Initech" not in later.stdout
    assert (
        later.stdout.strip()
        .splitlines()[-1]
        .startswith("run-once at 2026-11-23T11:00+00:00: 0 delivered")
    )

    listed = crmbot("jobs", "list", "--db", url)
    assert listed.returncode == 0, listed.stderr
    assert "jobs (not started by a bot on this database yet):" in listed.stdout
    assert "sweep:due_tasks" in listed.stdout and "deliver" in listed.stdout
    assert "lease: free" in listed.stdout
    assert "outbox: 1 delivered, 1 skipped" in listed.stdout


def test_run_once_with_a_bad_database_is_one_clear_line(tmp_path: Path) -> None:
    result = crmbot("jobs", "run-once", "--db", f"sqlite:///{tmp_path}/missing/x.db")
    assert result.returncode == 1
    assert (
        result.stderr.startswith("crmbot: cannot open database")
        and "Traceback" not in result.stderr
    )


def test_a_reminder_said_in_chat_is_delivered_at_its_time_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    built = crmbot("demo", "--db", url, "--customers", "30", "--now", NOW.isoformat(), "--quiet")
    assert built.returncode == 0, built.stderr
    said = crmbot(
        "say",
        "--db",
        url,
        "--user",
        "alex",
        "--now",
        NOW.isoformat(),
        "remind me to call Acme at 3pm",
    )
    assert said.returncode == 0 and "15:00" in said.stdout, said.stdout + said.stderr

    def reminders(at: str) -> list[str]:
        result = crmbot("jobs", "run-once", "--db", url, "--now", at)
        assert result.returncode == 0, result.stderr
        return [line for line in result.stdout.splitlines() if "[reminder]" in line]

    assert reminders("2026-11-23T14:59:00+00:00") == []
    assert reminders("2026-11-23T15:00:00+00:00") == [
        "-> Alex Kim (@alex) [reminder]: Reminder: call Acme"
    ]
    assert reminders("2026-11-23T16:00:00+00:00") == []
