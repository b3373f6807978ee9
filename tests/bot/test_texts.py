"""Wording lives in bot/texts.py (and jobs/texts.py), not in the handlers (issue 10).

A handler that says a new sentence must name a constant in bot/texts.py, so every fixed
sentence the bot says can be reviewed in one place. These tests read the handlers' source
with `ast` and fail on a string literal (or an f-string's fixed text) that looks like a
sentence: it starts with a capital letter, has a space and ends with ".", "?" or "!".
Docstrings are not said to anyone and are skipped.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = sorted((ROOT / "bot" / "handlers").glob("*.py"))
TEXTS = [ROOT / "bot" / "texts.py", ROOT / "jobs" / "texts.py"]


def _looks_like_sentence(text: str) -> bool:
    text = text.strip()
    return len(text) > 2 and text[0].isupper() and " " in text and text[-1] in ".?!"


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the nodes that are docstrings (module, class, function)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.add(id(first.value))
    return found


def _fixed_text(node: ast.JoinedStr) -> str:
    """An f-string as its reader sees it: fixed parts kept, each field shown as {}."""
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
    )


def sentences_in(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal in `source` that looks like a user-facing
    sentence; docstrings and the format specs inside f-strings are skipped."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.JoinedStr):  # judged whole; its parts are not literals
            text = _fixed_text(node)
            if _looks_like_sentence(text):
                found.append((node.lineno, text))
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in skip and _looks_like_sentence(node.value):
                found.append((node.lineno, node.value))
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_the_check_finds_sentences_and_skips_docstrings() -> None:
    """The check itself: it must catch a reply, a question and an f-string, and leave
    docstrings, log-style fragments and format specs alone."""
    source = '''
"""Module docstring. It is a sentence."""


def handler(name: str) -> list[str]:
    """Function docstring, also a sentence."""
    when = f"{name:%b %Y}"
    return [
        "Which customer?",
        f"Hello {name}, it worked!",
        "Nothing was changed.",
        "open pipeline",
        "failed to handle %s message %s",
        f"{name} ({when})",
    ]
'''
    found = [text for _, text in sentences_in(source)]
    assert found == ["Which customer?", "Hello {}, it worked!", "Nothing was changed."]


@pytest.mark.parametrize("path", HANDLERS, ids=[p.name for p in HANDLERS])
def test_handlers_keep_their_sentences_in_texts(path: Path) -> None:
    found = sentences_in(path.read_text(encoding="utf-8"))
    where = [f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in found]
    assert not where, "move these sentences to bot/texts.py:\n" + "\n".join(where)


@pytest.mark.parametrize("path", TEXTS, ids=[str(p.relative_to(ROOT)) for p in TEXTS])
def test_texts_define_each_name_once(path: Path) -> None:
    """A second assignment of a name would silently change what the first one's users
    say; every constant in a texts module is defined exactly once."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"defined more than once in {path.name}: {twice}"
