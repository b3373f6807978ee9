"""What each package may import (README, "Working on crmbot"), checked on the source.

The core knows nothing of chat, the parser knows nothing of the database, and the scheduler
reaches the chat layer only for the message and reply types it pushes. A new import that
crosses a line fails here, with the file and the module it named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "chat", "crm_core", "intents", "jobs")

# package -> (project packages it may import, single modules allowed beyond those)
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    # Message in, Reply out: the types the engine and the scheduler share.
    "chat": ({"chat"}, set()),
    "crm_core": ({"crm_core"}, set()),
    # Date arithmetic and the configured time zone; nothing that opens a database.
    # Forms of address ("Mr.", "-san"): the words the parser keeps and the contacts drop.
    "intents": ({"intents"}, {"crm_core.addressing", "crm_core.periods", "crm_core.settings"}),
    "jobs": ({"jobs", "chat", "crm_core"}, set()),
    "bot": ({"bot", "chat", "crm_core", "intents", "jobs"}, set()),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _crossings(package: str) -> list[str]:
    packages, modules = ALLOWED[package]
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top not in PACKAGES or top in packages:
                continue
            if any(name == m or name.startswith(m + ".") for m in modules):
                continue
            found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_stay_within_its_layer(package: str) -> None:
    assert _crossings(package) == []


def test_the_checker_sees_a_crossing(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from bot.engine import Engine\nimport crm_core.models\n", encoding="utf-8")
    assert _imports(sample) == ["bot.engine", "crm_core.models"]
