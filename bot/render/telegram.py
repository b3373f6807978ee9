"""Telegram rendering: HTML parse mode (only the tags Telegram allows), a <pre> table, and an
inline keyboard whose callback_data carries "action|value" (64 bytes at most).

Every text in a `Reply` came from a person or the database, so all of it is HTML-escaped here
and only here; the tags are ours. A reply longer than a message (`MessageLimit`, 4,096
characters counted in UTF-16 code units as Telegram counts them) is split into several messages
at entry boundaries: between lines, between a section's parts, and inside a table only between
rows, each part a whole <pre> with its header repeated; never inside a tag or an entity. The
keyboard goes with the last message.
"""

from __future__ import annotations

import html
from typing import Any

from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot import format as fmt
from chat.reply import Reply

MAX_MESSAGE = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096
MAX_CALLBACK = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)  # 64 bytes
BUTTON_TEXT = 64  # our own cap on a button's label (Telegram wraps longer ones)


def size(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts twice). Measured on
    the HTML, which is never shorter than the text Telegram shows."""
    return len(text.encode("utf-16-le")) // 2


def _split_line(line: str, limit: int) -> list[str]:
    """An over-long escaped line in pieces at spaces, never inside an entity (`&amp;`)."""
    out: list[str] = []
    while size(line) > limit:
        cut = limit
        while size(line[:cut]) > limit:
            cut -= 1
        space = line.rfind(" ", 0, cut)
        if space > 0:
            cut = space
        else:
            amp = line.rfind("&", 0, cut)
            if amp > 0 and ";" not in line[amp:cut]:
                cut = amp
        out.append(line[:cut])
        line = line[cut:].lstrip(" ")
    return [*out, line] if line else out


def _text_entries(raw: str, limit: int) -> list[str]:
    return [piece for line in html.escape(raw).split("\n") for piece in _split_line(line, limit)]


def _table_entries(rows: list[list[str]], limit: int) -> list[str]:
    """<pre> tables: as many rows as fit a message each, the header repeated."""
    lines = [html.escape(line) for line in fmt.table(rows).split("\n")]
    head, body = lines[:2], lines[2:]
    room = limit - size("<pre></pre>") - size("\n".join(head)) - 1
    out: list[str] = []
    chunk: list[str] = []
    for line in body:
        if size(line) > room:
            line = _split_line(line, room - 1)[0] + "…"
        if chunk and size("\n".join([*chunk, line])) > room:
            out.append("<pre>" + "\n".join(head + chunk) + "</pre>")
            chunk = []
        chunk.append(line)
    out.append("<pre>" + "\n".join(head + chunk) + "</pre>")
    return out


def _parts(reply: Reply, limit: int) -> list[list[str]]:
    """The reply as paragraphs (joined by a blank line), each a list of entries (joined by a
    line end); an entry is never split further."""
    parts = [_text_entries(reply.text, limit)]
    for section in reply.sections:
        entries: list[str] = []
        if section.title:
            title = html.escape(section.title)
            entries.append(f"<b>{_split_line(title, limit - 7)[0]}</b>")
        if section.text:
            entries += _text_entries(section.text, limit)
        for label, value in section.fields:
            field = f"<b>{html.escape(label)}:</b> {html.escape(value)}"
            if size(field) > limit:
                entries.append(f"<b>{html.escape(label)}:</b>")
                entries += _split_line(html.escape(value), limit)
            else:
                entries.append(field)
        if section.rows:
            entries += _table_entries(section.rows, limit)
        parts.append(entries)
    return [p for p in parts if any(e.strip() for e in p)]


def texts(reply: Reply, limit: int = MAX_MESSAGE) -> list[str]:
    """The reply as one or more HTML messages, each at most `limit` long."""
    messages: list[str] = []
    current = ""
    for part in _parts(reply, limit):
        separator = "\n\n"
        for entry in part:
            candidate = f"{current}{separator}{entry}" if current else entry
            if size(candidate) > limit and current:
                messages.append(current)
                candidate = entry
            current, separator = candidate, "\n"
    if current or not messages:
        messages.append(current)
    return messages


def text(reply: Reply) -> str:
    """The whole reply as one message's HTML (the first message when it needs several)."""
    return texts(reply)[0]


def keyboard(reply: Reply) -> list[list[dict[str, str]]]:
    """Rows of inline buttons, two a row."""
    buttons = [
        {
            "text": b.label[:BUTTON_TEXT],
            "callback_data": _callback(f"{b.action}|{b.value}"),
        }
        for b in reply.buttons
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _callback(data: str) -> str:
    """At most 64 bytes (Telegram counts bytes), cut on a character boundary."""
    raw = data.encode()[:MAX_CALLBACK]
    return raw.decode("utf-8", errors="ignore")


def payloads(reply: Reply) -> list[dict[str, Any]]:
    """sendMessage arguments, one per message; the keyboard rides on the last one."""
    out: list[dict[str, Any]] = [{"text": t, "parse_mode": "HTML"} for t in texts(reply)]
    rows = keyboard(reply)
    if rows:
        out[-1]["reply_markup"] = {"inline_keyboard": rows}
    return out


def payload(reply: Reply) -> dict[str, Any]:
    """The first message's arguments: the whole reply, keyboard included, when it fits one
    message (adapters send `payloads`)."""
    return payloads(reply)[0]
