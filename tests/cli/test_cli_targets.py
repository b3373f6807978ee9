"""`crmbot targets set / list` as a person runs them: real subprocesses, exit codes, stderr."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import Target
from crm_core.services import users
from crm_core.services.context import Actor
from tests.cli.test_cli_core import run


def _crm(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    database = open_database(url)
    with database.transaction() as s:
        for name, display, role in (
            ("dana", "Dana Scully", "rep"),
            ("alex", "Alex Kim", "rep"),
            ("morgan", "Morgan Reyes", "manager"),
        ):
            users.create_user(
                session=s,
                actor=Actor.system("tests"),
                name=name,
                display_name=display,
                role=role,
                team="east",
            )
    database.dispose()
    return url


def test_set_and_list_targets(tmp_path: Path) -> None:
    url = _crm(tmp_path)
    said = [
        run("targets", "set", "east", "2026-Q4", "500k", "--db", url),
        run("targets", "set", "dana", "2026-Q4", "150k", "--db", url),
        run("targets", "set", "Alex Kim", "2026-11", "1.2M", "--db", url),
        run("targets", "set", "dana", "2026-Q4", "$175,000.50", "--db", url),  # replaces
    ]
    assert [r.returncode for r in said] == [0, 0, 0, 0], [r.stderr for r in said]
    assert [r.stdout.strip() for r in said] == [
        "target for team east, 2026-Q4: $500,000",
        "target for Dana Scully, 2026-Q4: $150,000",
        "target for Alex Kim, 2026-11: $1,200,000",
        "target for Dana Scully, 2026-Q4: $175,000.50",
    ]
    listed = run("targets", "list", "--db", url)
    assert listed.returncode == 0
    assert [" ".join(line.split()) for line in listed.stdout.splitlines()[2:]] == [
        "2026-Q4 team east $500,000",
        "2026-Q4 Dana Scully $175,000.50",
        "2026-11 Alex Kim $1,200,000",
    ]
    november = run("targets", "list", "--period", "2026-11", "--db", url)
    assert "Alex Kim" in november.stdout and "team east" not in november.stdout
    database = open_database(url)
    with database.transaction() as s:
        amounts = sorted(s.scalars(select(Target.amount)))
    database.dispose()
    assert amounts == [Decimal("175000.50"), Decimal("500000.00"), Decimal("1200000.00")]


def test_mistakes_are_one_line_and_exit_1(tmp_path: Path) -> None:
    url = _crm(tmp_path)
    for args, message in [
        (("nobody", "2026-Q4", "5k"), "crmbot: no user or team called 'nobody'\n"),
        (("east", "2026-Q5", "5k"), "crmbot: '2026-Q5' is not a period: write a quarter"),
        (("east", "2026-Q4", "lots"), "crmbot: 'lots' is not an amount: write 500k, 1.2M"),
        (("east", "2026-Q4", "0"), "crmbot: a target must be more than zero\n"),
    ]:
        result = run("targets", "set", *args, "--db", url)
        assert result.returncode == 1 and result.stderr.startswith(message), result.stderr
        assert "Traceback" not in result.stderr
    empty = run("targets", "list", "--db", url)
    assert empty.returncode == 0 and empty.stdout.startswith("no targets set")


def test_the_console_says_where_it_wrote_the_chart(tmp_path: Path) -> None:
    url = _crm(tmp_path)
    assert run("targets", "set", "east", "2026-Q4", "500k", "--db", url).returncode == 0
    charts = tmp_path / "charts"
    said = run(
        "say",
        "--db",
        url,
        "--user",
        "morgan",
        "--now",
        "2026-11-23T10:00",
        "forecast chart",
        env={"CRMBOT_CHART_DIR": str(charts)},
    )
    assert said.returncode == 0, said.stderr
    path = charts / "forecast-2026-10-01-2026-12-31.png"
    assert "$0 of the $500,000 target, 0 %; $500,000 to go." in said.stdout
    assert said.stdout.rstrip().endswith(f"(chart written to {path})")
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    plain = run("say", "--db", url, "--user", "alex", "--now", "2026-11-23T10:00", "forecast chart")
    assert "chart written" not in plain.stdout  # a rep gets the numbers, no picture
