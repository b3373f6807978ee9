"""One way for the parser's tests to say what a parse must hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intents.parser import ParseResult

ParseFn = Callable[..., "ParseResult"]


def check_parse(got: Mapping[str, Any], intent: str, entities: dict[str, Any]) -> None:
    """The intent, and each entity as given (None: the key must be absent)."""
    assert got["intent"] == intent, got
    for key, value in entities.items():
        if value is None:
            assert key not in got["entities"], (key, got)
        else:
            assert got["entities"].get(key) == value, (key, got)
