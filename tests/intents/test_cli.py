"""`crmbot parse` and `crmbot train` registered on a throwaway Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.parse import register


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        pass

    register(app)
    return app


runner = CliRunner()


def test_commands_registered(app: typer.Typer) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "parse" in result.output and "train" in result.output


def test_parse_text(app: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMBOT_TIMEZONE", "Europe/Berlin")
    result = runner.invoke(
        app, ["parse", "--now", "2026-11-23T10:00", "log call with Acme, follow up Friday"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    got = json.loads(lines[0])
    assert got["intent"] == "log_interaction"
    assert got["entities"]["follow_up"] == "2026-11-27"
    assert got["entities"]["customer"] == "Acme"


def test_parse_stdin_lines(app: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMBOT_TIMEZONE", "Europe/Berlin")
    stdin = (
        "log call with Acme\nwhat's going on with Globex?\n\ntell me a joke\nHooli deal won!! 🎉\n"
    )
    result = runner.invoke(app, ["parse", "--now", "2026-11-23", "--batch-size", "2"], input=stdin)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["intent"] for r in rows] == [
        "log_interaction",
        "customer_history",
        "unknown",
        "unknown",
        "update_deal",
    ]
    assert rows[4]["text"] == "Hooli deal won!! 🎉"  # ensure_ascii=False keeps the emoji
    assert "🎉" in result.stdout


def test_now_with_offset_and_date_only(app: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMBOT_TIMEZONE", "Europe/Berlin")
    result = runner.invoke(
        app, ["parse", "--now", "2026-11-23T08:00:00Z", "remind me tomorrow at 9 to call Acme"]
    )
    got = json.loads(result.stdout)
    assert got["entities"]["when"] == "2026-11-24T09:00:00+01:00"
    result = runner.invoke(app, ["parse", "--now", "2026-11-23", "log call with Acme yesterday"])
    assert json.loads(result.stdout)["entities"]["when"] == "2026-11-22"


@pytest.mark.parametrize("bad", ["garbage", "2026-13-45", "tomorrow", "2026-11-23T25:00"])
def test_bad_now(app: typer.Typer, bad: str) -> None:
    result = runner.invoke(app, ["parse", "--now", bad, "log call with Acme"])
    assert result.exit_code == 2
    assert "--now" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_missing_model_is_clear(tmp_path: Path) -> None:
    from intents.parser import ModelMissingError, Parser

    with pytest.raises(ModelMissingError, match="crmbot train"):
        Parser.load(tmp_path / "nothing")
