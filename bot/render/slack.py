"""Slack rendering: Block Kit blocks with mrkdwn, fields, a code-block table, and buttons
whose action_id carries the engine's action and whose value its value."""

from __future__ import annotations

import json
from typing import Any

from bot import format as fmt
from bot.reply import Reply

MAX_TEXT = 2900  # a section's text may be 3000 characters


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_TEXT]}}


def blocks(reply: Reply) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [_section(escape(reply.text))]
    for section in reply.sections:
        if section.title:
            out.append(_section(f"*{escape(section.title)}*"))
        if section.text:
            out.append(_section(escape(section.text)))
        if section.fields:
            for start in range(0, len(section.fields), 10):  # at most 10 fields a block
                out.append(
                    {
                        "type": "section",
                        "fields": [
                            {"type": "mrkdwn", "text": f"*{escape(label)}*\n{escape(value)}"[:2000]}
                            for label, value in section.fields[start : start + 10]
                        ],
                    }
                )
        if section.rows:
            out.append(_section("```" + escape(fmt.table(section.rows)) + "```"))
    if reply.buttons:
        elements = []
        for n, button in enumerate(reply.buttons[:25]):
            element: dict[str, Any] = {
                "type": "button",
                "text": {"type": "plain_text", "text": button.label[:75], "emoji": True},
                "action_id": f"{button.action}:{n}",
                "value": json.dumps({"action": button.action, "value": button.value})[:2000],
            }
            if button.style in ("primary", "danger"):
                element["style"] = button.style
            elements.append(element)
        out.append({"type": "actions", "elements": elements})
    return out[:50]


def payload(reply: Reply) -> dict[str, Any]:
    """chat.postMessage arguments: `text` is the notification fallback."""
    return {"text": reply.text[:3000], "blocks": blocks(reply)}
