"""Telegram rendering: HTML parse mode (only the tags Telegram allows), a <pre> table, and an
inline keyboard whose callback_data carries "action|value" (64 bytes at most)."""

from __future__ import annotations

import html
from typing import Any

from bot import format as fmt
from bot.reply import Reply

MAX_MESSAGE = 4096


def text(reply: Reply) -> str:
    parts = [html.escape(reply.text)]
    for section in reply.sections:
        lines = []
        if section.title:
            lines.append(f"<b>{html.escape(section.title)}</b>")
        if section.text:
            lines.append(html.escape(section.text))
        lines += [
            f"<b>{html.escape(label)}:</b> {html.escape(value)}" for label, value in section.fields
        ]
        if section.rows:
            lines.append(f"<pre>{html.escape(fmt.table(section.rows))}</pre>")
        parts.append("\n".join(lines))
    body = "\n\n".join(p for p in parts if p)
    if len(body) > MAX_MESSAGE:
        body = html.escape(reply.text)[: MAX_MESSAGE - 20] + "\n…"
    return body


def keyboard(reply: Reply) -> list[list[dict[str, str]]]:
    """Rows of inline buttons, two a row."""
    buttons = [
        {"text": b.label[:64], "callback_data": f"{b.action}|{b.value}"[:64]} for b in reply.buttons
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def payload(reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = {"text": text(reply), "parse_mode": "HTML"}
    rows = keyboard(reply)
    if rows:
        data["reply_markup"] = {"inline_keyboard": rows}
    return data
