"""The README's command-line examples give the answers it shows.

Every `$ crmbot ...` line in a ```sh block of README.md that is followed by the output it
should print is run for real against a fresh demo database, in order (later examples see what
earlier ones wrote), and its output compared line for line; "…" in the README stands for any
text (a path that differs per machine).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CRMBOT = str(Path(sys.executable).with_name("crmbot"))
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def examples(readme: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each example that shows its output."""
    found: list[tuple[str, list[str]]] = []
    for block in SH_BLOCK.findall(readme):
        command: str | None = None
        output: list[str] = []
        for line in [*block.splitlines(), "$ "]:
            if line.startswith("$ "):
                if command and output and command.startswith("crmbot "):
                    found.append((command, output))
                command, output = line[2:].strip(), []
            elif command is not None and line.strip():
                output.append(line)
    return found


def matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, actual) is not None


def test_the_readme_shows_examples_to_check() -> None:
    found = examples((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(found) >= 5
    assert matches(
        "folder /…/missing-folder does not exist", "folder /tmp/x/missing-folder does not exist"
    )
    assert not matches("added sam (manager)", "added sam (rep)")


@pytest.mark.slow
def test_readme_examples_give_the_answers_shown(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {**os.environ, "CRMBOT_TIMEZONE": "Europe/Berlin", "CRMBOT_LOG_LEVEL": "WARNING"}
    subprocess.run(
        [CRMBOT, "demo", "--db", db, "--customers", "200", "--now", "2026-11-23T10:00", "--quiet"],
        check=True,
        env=env,
        cwd=tmp_path,
    )
    for command, expected in examples((ROOT / "README.md").read_text(encoding="utf-8")):
        args = shlex.split(command.replace("sqlite:///demo.db", db))
        done = subprocess.run(
            [CRMBOT, *args[1:]], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        actual = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        assert len(actual) == len(expected), (command, actual)
        for want, got in zip(expected, actual, strict=True):
            assert matches(want, got), (command, want, got)
