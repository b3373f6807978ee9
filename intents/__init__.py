"""crmbot's intent parser: chat text -> the contract of ../shared/INTENTS.md.

from intents import Parser
parser = Parser.load()
parser.parse("log call with Acme, follow up Friday")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from intents.registry import INTENTS

if TYPE_CHECKING:
    from intents.parser import Parser

__all__ = ["INTENTS", "Parser"]


def __getattr__(name: str) -> Any:  # lazy: `import intents` stays cheap (no spaCy until needed)
    if name == "Parser":
        from intents.parser import Parser

        return Parser
    raise AttributeError(name)
