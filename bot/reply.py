"""What the engine answers: text plus structure that each adapter renders its own way
(plain text in the console, Block Kit in Slack, HTML in Telegram). The same structure is the
payload of a scheduled push in the outbox, so it round-trips through JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # e.g. "confirm", "cancel", "choose", "task_done", "task_snooze", "log_call"
    value: str = ""
    style: str | None = None  # "primary" | "danger" | None


@dataclass(frozen=True)
class Section:
    title: str | None = None
    text: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)  # label, value
    rows: list[list[str]] = field(default_factory=list)  # a small table; first row = header


@dataclass
class Reply:
    text: str
    sections: list[Section] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    ok: bool = True  # False for refusals and errors, so adapters may style them

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sections"] = [
            {**s, "fields": [list(f) for f in s["fields"]]} for s in data["sections"]
        ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=str(data.get("text", "")),
            sections=[
                Section(
                    title=s.get("title"),
                    text=s.get("text", ""),
                    fields=[(str(a), str(b)) for a, b in s.get("fields", [])],
                    rows=[list(map(str, r)) for r in s.get("rows", [])],
                )
                for s in data.get("sections", [])
            ],
            buttons=[Button(**b) for b in data.get("buttons", [])],
            ok=bool(data.get("ok", True)),
        )
