"""What the engine answers: text plus structure that each adapter renders its own way
(plain text in the console, Block Kit in Slack, HTML in Telegram). The same structure is the
payload of a scheduled push in the outbox, so it round-trips through JSON."""

from __future__ import annotations

import base64
import binascii
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


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (a chart): Slack uploads it, Telegram sends it as a photo, the
    console writes it to disk and says where.

    In the outbox and the record of handled requests it travels as base64 inside the reply's
    JSON, not as a path: the process that delivers a push may be another container than the
    one that drew it (no shared disk), a row must stay deliverable after a restart, and no file
    is left behind to clean up. A chart is some tens of kilobytes."""

    filename: str  # "pipeline-by-stage.png"
    title: str  # the upload's title / the photo's caption, and alt text
    data: bytes
    mime: str = "image/png"

    def to_dict(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "title": self.title,
            "mime": self.mime,
            "data": base64.b64encode(self.data).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attachment | None:
        """None for a missing or unreadable attachment: the text still goes out."""
        try:
            raw = base64.b64decode(str(data["data"]), validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error):
            return None
        return cls(
            filename=str(data.get("filename") or "attachment.png"),
            title=str(data.get("title") or ""),
            data=raw,
            mime=str(data.get("mime") or "image/png"),
        )


@dataclass
class Reply:
    text: str
    sections: list[Section] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    ok: bool = True  # False for refusals and errors, so adapters may style them
    attachment: Attachment | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sections"] = [
            {**s, "fields": [list(f) for f in s["fields"]]} for s in data["sections"]
        ]
        data["attachment"] = self.attachment.to_dict() if self.attachment else None
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
            attachment=(
                Attachment.from_dict(data["attachment"])
                if isinstance(data.get("attachment"), dict)
                else None
            ),
        )
