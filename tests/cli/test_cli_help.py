"""`crmbot --help` reads right on every command: no type column on flags (`--help <bool>`),
`-h` works like `--help`, and every group and command has help that exits 0."""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under `command` (a click group or command, as Typer builds it):
    (), ("jobs",), ("jobs", "run-once"), ..."""
    out = [prefix]
    for name, sub in (getattr(command, "commands", None) or {}).items():
        out += _paths(sub, (*prefix, name))
    return out


def test_every_help_reads_right() -> None:
    paths = _paths(typer.main.get_command(app))
    assert ("serve", "slack") in paths and len(paths) > 20
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], prog_name="crmbot")
        assert result.exit_code == 0, (path, result.output)
        assert "<bool>" not in result.output, path
        assert "Usage: crmbot" in result.output and "Show this message and exit." in result.output
    flags = runner.invoke(app, ["serve", "slack", "-h"], prog_name="crmbot").output
    assert "--scheduler / --no-scheduler  Run the scheduler" in flags
