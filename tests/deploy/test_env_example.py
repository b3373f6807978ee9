"""`.env.example` names every setting the code reads, and nothing it does not.

The settings are found in the source, not listed by hand: every string literal shaped like
one of crmbot's variables (CRMBOT_*, SLACK_*, TELEGRAM_*: what `os.environ`, `env.get(...)`
and typer's `envvar=` are given) and every literal name passed to os.environ / os.getenv /
an `env` mapping. A new setting without its line in .env.example (and the Configuration
table of the README) fails here, naming it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "crm_core", "intents", "jobs")
SETTING = re.compile(r"^(CRMBOT|SLACK|TELEGRAM)_[A-Z0-9_]+$")
# Read from the environment but not crmbot's to set: the login name (console fallback).
NOT_SETTINGS = {"USER"}
# In .env.example for docker compose only (compose.yaml interpolates them).
COMPOSE_ONLY = {"CRMBOT_PLATFORM", "POSTGRES_PASSWORD", "CRMBOT_PUBLISH_PORT"}
ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def _environ_reads(tree: ast.AST) -> set[str]:
    """Literal names given to os.getenv / X.get / X[...] where X is os.environ or an `env`."""
    found: set[str] = set()

    def is_env(node: ast.expr) -> bool:
        if isinstance(node, ast.Attribute) and node.attr == "environ":
            return True
        return isinstance(node, ast.Name) and node.id in ("env", "environ")

    for node in ast.walk(tree):
        key: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "getenv":
                key = node.args[0]
            elif isinstance(func, ast.Attribute) and func.attr == "get" and is_env(func.value):
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and is_env(node.value):
            key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.add(key.value)
    return found


def settings_read() -> dict[str, str]:
    """Every setting the shipped code reads -> one file that reads it."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            names = _environ_reads(tree) | {
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SETTING.match(node.value)
            }
            for name in names - NOT_SETTINGS:
                # WSGI request keys (environ.get("PATH_INFO")) are not settings.
                if name.isupper() and not name.startswith(("HTTP_", "CONTENT_", "REQUEST_")):
                    if name not in ("PATH_INFO", "QUERY_STRING", "SERVER_NAME"):
                        found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def named_in_example() -> set[str]:
    return set(ENV_LINE.findall((ROOT / ".env.example").read_text(encoding="utf-8")))


def test_env_example_names_every_setting_the_code_reads() -> None:
    read = settings_read()
    missing = {name: where for name, where in read.items() if name not in named_in_example()}
    assert missing == {}, f"settings read by the code but not in .env.example: {missing}"


def test_env_example_names_nothing_the_code_does_not_read() -> None:
    stale = named_in_example() - set(settings_read()) - COMPOSE_ONLY
    assert stale == set()


def test_readme_configuration_table_has_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    undocumented = sorted(name for name in settings_read() if f"`{name}`" not in table)
    assert undocumented == []


def test_the_scan_finds_each_kind_of_read(tmp_path: Path) -> None:
    sample = ast.parse(
        "import os\n"
        "a = os.environ.get('CRMBOT_A')\n"
        "b = os.getenv('TZ')\n"
        "c = env.get('OTHER', '')\n"
        "d = os.environ['CRMBOT_D']\n"
        "e = typer.Option(1, envvar='CRMBOT_E')\n"
    )
    assert _environ_reads(sample) == {"CRMBOT_A", "TZ", "OTHER", "CRMBOT_D"}
    literals = {n.value for n in ast.walk(sample) if isinstance(n, ast.Constant)}
    assert "CRMBOT_E" in literals
    assert {"CRMBOT_DATABASE_URL", "TZ", "CRMBOT_PORT", "SLACK_BOT_TOKEN"} <= set(settings_read())
