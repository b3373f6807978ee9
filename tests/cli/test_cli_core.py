"""The command line as a person runs it: real subprocesses, exit codes, stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_core.database import open_database
from crm_core.models import Customer, Deal, Interaction, User

CRMBOT = str(Path(sys.executable).with_name("crmbot"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "CRMBOT_TIMEZONE": "UTC", **(env or {})}
    return subprocess.run(
        [CRMBOT, *args], capture_output=True, text=True, env=full_env, timeout=120, check=False
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("db", "demo"):
        assert command in result.stdout


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    from crm_core.migrate import head_revision

    head = head_revision()
    url = f"sqlite:///{tmp_path / 'x.db'}"
    first = run("db", "upgrade", "--db", url)
    assert first.returncode == 0 and f"upgraded empty -> {head}" in first.stdout
    again = run("db", "upgrade", "--db", url)
    assert again.returncode == 0 and f"already at {head}" in again.stdout
    assert f"at {head}, head is {head}" in run("db", "current", "--db", url).stdout
    down = run("db", "downgrade", "0001", "--db", url)
    assert down.returncode == 0 and "at 0001, head" in run("db", "current", "--db", url).stdout


def test_demo_is_reproducible_and_refuses_to_double_fill(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db")]
    for url in urls:
        result = run(
            "demo",
            "--db",
            url,
            "--customers",
            "60",
            "--seed",
            "3",
            "--now",
            "2026-11-23T10:00",
            "--quiet",
        )
        assert result.returncode == 0, result.stderr
        assert "60 customers" in result.stdout
    snapshots = []
    for url in urls:
        database = open_database(url)
        with database.transaction() as s:
            snapshots.append(
                (
                    s.scalars(select(Customer.name).order_by(Customer.id)).all(),
                    s.scalar(select(func.count(Interaction.id))),
                    s.scalars(select(Deal.amount).order_by(Deal.id)).all(),
                    s.scalar(select(func.count(User.id))),
                )
            )
        database.dispose()
    assert snapshots[0] == snapshots[1]
    names, interactions, deal_amounts, _ = snapshots[0]
    assert interactions is not None
    assert "Acme Corp, Inc." in names and interactions > 200 and deal_amounts
    again = run("demo", "--db", urls[0], "--customers", "10", "--quiet")
    assert again.returncode == 1 and "--reset" in again.stderr
    reset = run("demo", "--db", urls[0], "--customers", "10", "--reset", "--quiet")
    assert reset.returncode == 0 and "10 customers" in reset.stdout


@pytest.mark.parametrize(
    "args, env, fragment",
    [
        (
            ["db", "upgrade", "--db", "postgresql://postgres@127.0.0.1:1/none"],
            {},
            "cannot open database",
        ),
        (["db", "upgrade", "--db", "nonsense://"], {}, "unsupported database URL"),
        (
            ["db", "upgrade"],
            {"CRMBOT_DATABASE_URL": "sqlite:////no/such/dir/x.db"},
            "does not exist",
        ),
        (["demo", "--now", "yesterday-ish", "--quiet"], {}, "not an ISO date"),
        (
            ["demo", "--quiet", "--db", "sqlite:///:memory:"],
            {"CRMBOT_TIMEZONE": "Mars/Olympus"},
            "not a known IANA time zone",
        ),
    ],
)
def test_bad_configuration_is_one_clear_line(
    args: list[str], env: dict[str, str], fragment: str
) -> None:
    result = run(*args, env=env)
    assert result.returncode != 0
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_db_flag_beats_environment(tmp_path: Path) -> None:
    flag, env_db = tmp_path / "flag.db", tmp_path / "env.db"
    result = run(
        "db",
        "upgrade",
        "--db",
        f"sqlite:///{flag}",
        env={"CRMBOT_DATABASE_URL": f"sqlite:///{env_db}"},
    )
    assert result.returncode == 0 and flag.exists() and not env_db.exists()
