"""Console rendering: plain text, tables aligned in monospace, buttons as hints."""

from __future__ import annotations

from bot import format as fmt
from bot import texts
from chat.reply import Reply


def render(reply: Reply) -> str:
    parts = [reply.text]
    for section in reply.sections:
        lines = []
        if section.title:
            lines.append(f"{section.title}")
        if section.text:
            lines.append(section.text)
        if section.fields:
            width = max(len(label) for label, _ in section.fields)
            lines += [f"  {label.ljust(width)}  {value}" for label, value in section.fields]
        if section.rows:
            numeric = [
                i
                for i, cell in enumerate(section.rows[-1])
                if cell[:1] in "$€£¥₹0123456789–" and i > 0
            ]
            lines.append(fmt.table(section.rows, right=numeric))
        parts.append("\n".join(lines))
    if reply.buttons:
        choices = [b.label for b in reply.buttons if b.action not in ("confirm", "decline")]
        if any(b.action == "confirm" for b in reply.buttons):
            parts.append(texts.YES_NO_HINT)
        elif choices:
            parts.append("[" + "] [".join(choices) + "]")
    return "\n\n".join(p for p in parts if p)
