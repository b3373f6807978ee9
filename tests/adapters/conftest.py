"""Running `crmbot serve ...` for real, in a subprocess, against the fake platform APIs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crm_core.database import open_database
from crm_core.services import customers, users
from crm_core.services.context import Actor
from jobs.team_config import set_team_config

CRMBOT = str(Path(sys.executable).with_name("crmbot"))
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"  # the app's secret: we sign with it


class Served:
    """A `crmbot serve` process; its stderr is collected so tests can wait for lines."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [CRMBOT, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # Health listener on any free port: tests (and other runs) never share 8080.
            env={
                **os.environ,
                "CRMBOT_TIMEZONE": "Europe/Berlin",
                "CRMBOT_HEALTH_PORT": "0",
                **env,
            },
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_line(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.search(pattern, line)
                if match:
                    return match
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r}; stderr was:\n" + "\n".join(self.lines))

    def wait_exit(self, timeout: float = 60.0) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)


@pytest.fixture
def serve() -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for served in started:
        served.stop()


@pytest.fixture
def crm_url(tmp_path: Path, migrated_sqlite_template: Path) -> str:
    """A database with two reps (Dana on Slack as U1, Tom on Telegram as 4242) and a few
    customers. It starts as a copy of the session's migrated template: migrating a fresh file
    for each of the many serve tests cost about half a second of CPU each."""
    shutil.copy(migrated_sqlite_template, tmp_path / "crm.db")
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    database = open_database(url)
    system = Actor.system("tests")
    with database.transaction() as s:
        dana = users.create_user(
            session=s, actor=system, name="dana", display_name="Dana Scully", team="east"
        )
        users.link_identity(
            session=s, actor=system, user_id=dana.id, platform="slack", external_id="U1"
        )
        tom = users.create_user(
            session=s, actor=system, name="tom", display_name="Tom Berg", team="east"
        )
        users.link_identity(
            session=s, actor=system, user_id=tom.id, platform="telegram", external_id="4242"
        )
        for name in ("Acme Corp, Inc.", "Hooli", "Initech"):
            customers.create_customer(session=s, actor=system, name=name, owner_id=dana.id)
        # The serving processes run on the real clock, and a test that makes Dana or Tom a
        # manager would, on the team's digest weekday, get the weekly digest pushed beside the
        # answer it waits for: the digest moves three days off today, so Monday runs like any day.
        set_team_config(s, "east", weekly_digest_weekday=(datetime.now(UTC).weekday() + 3) % 7)
    database.dispose()
    return url


def set_role(url: str, name: str, role: str) -> None:
    """Give a user of the test database another role (e.g. make Tom a manager)."""
    database = open_database(url)
    with database.transaction() as s:
        user = users.find_user(s, name)
        assert user is not None
        users.update_user(session=s, actor=Actor.system("tests"), user_id=user.id, role=role)
    database.dispose()
