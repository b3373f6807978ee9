"""Exactly once across a real crash: a jobs process SIGKILLed in the middle of a delivery,
then started again, delivers every due push and none twice."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from crm_core.database import Database
from crm_core.models import OutboxMessage
from crm_core.services import tasks, users
from crm_core.services.context import Actor
from tests.conftest import NOW

WORKER = Path(__file__).with_name("restart_worker.py")
ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 40


def _start(url: str, path: Path, delay: float) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "CRMBOT_TIMEZONE": "UTC",
        "CRMBOT_JOBS_LEASE_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, str(path), NOW.isoformat(), str(delay)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _keys(path: Path) -> list[str]:
    if not path.exists():
        return []
    return re.findall(r"<([^>]+)>$", path.read_text(encoding="utf-8"), flags=re.M)


def test_sigkill_mid_delivery_then_restart_delivers_each_push_exactly_once(
    sqlite_database: Database, tmp_path: Path
) -> None:
    with sqlite_database.transaction() as session:
        actor = Actor.system("tests")
        alex = users.create_user(session=session, actor=actor, name="alex")
        for i in range(REMINDERS):
            tasks.create_task(
                session=session,
                actor=actor,
                text=f"reminder {i}",
                due_at=NOW - timedelta(minutes=i),
                owner_id=alex.id,
            )
    url = sqlite_database.url
    sqlite_database.dispose()
    log = tmp_path / "pushes.log"

    first = _start(url, log, delay=0.2)
    deadline = time.monotonic() + 60
    while len(_keys(log)) < 10:
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the worker never got going"
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    killed_at = len(_keys(log))
    assert 10 <= killed_at < REMINDERS + 1  # killed in the middle, not after

    with sqlite_database.transaction() as session:
        statuses = dict(
            session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
    # The window in flight: claimed ("sending") before its first send, none of it marked;
    # the pushes of earlier windows are marked delivered. (A console writing to a file can
    # be asked afterwards, so it is sent in windows of many pushes per commit.)
    in_flight = statuses.get("sending", 0)
    marked = statuses.get("delivered", 0)
    assert in_flight >= 1 and marked + in_flight + statuses.get("pending", 0) == REMINDERS + 1
    sent_unmarked = killed_at - marked
    assert 1 <= sent_unmarked <= in_flight
    second = _start(url, log, delay=0)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err

    counts = Counter(_keys(log))
    assert len(counts) == REMINDERS + 1  # 40 reminders and alex's morning digest
    assert set(counts.values()) == {1}, [k for k, n in counts.items() if n > 1]
    # every push sent but not marked was found in the log, not resent
    assert f"confirmed={sent_unmarked}" in out
    with sqlite_database.transaction() as session:
        statuses = dict(
            session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
    assert statuses == {"delivered": REMINDERS + 1}
    third = _start(url, log, delay=0)
    assert "delivered=0" in third.communicate(timeout=120)[0]
    assert Counter(_keys(log)) == counts
