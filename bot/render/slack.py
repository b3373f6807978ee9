"""Slack rendering: Block Kit built with `slack_sdk.models.blocks`, so the library's own
validators enforce Slack's limits (3,000 characters a section, 10 fields, 150 a header, 25
buttons); a reply that does not fit one message becomes several.

Everything in a `Reply` is text that came from a person or the database (customer names, notes,
reminders), so it is escaped here and only here: `&`, `<` and `>` become entities (so
`<!channel>`, `<!here>`, `<@U1>` and links are shown, never acted on), and mrkdwn's control
characters (`*`, `_`, `~`, `` ` ``) are fenced with zero-width spaces, which Slack treats like
spaces, so "*Bold* Ltd" is shown as typed. The fallback `text` (what notifications show) gets
the same treatment.

Long content is split at entry boundaries: text at line ends, tables by rows with their header
repeated (the code fence is never cut), fields ten at a time. More than 50 blocks continue in a
further message; the buttons go with the last one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot import format as fmt
from bot import texts
from chat.reply import Reply

SECTION_TEXT = SectionBlock.text_max_length  # 3000
SECTION_FIELDS = SectionBlock.fields_max_length  # 10
FIELD_TEXT = 2000  # a section field's text (Slack's reference; slack_sdk does not name it)
HEADER_TEXT = HeaderBlock.text_max_length  # 150
BUTTONS = ActionsBlock.elements_max_length  # 25
BUTTON_TEXT = ButtonElement.text_max_length  # 75
BUTTON_VALUE = ButtonElement.value_max_length  # 2000
MESSAGE_BLOCKS = 50  # blocks a message may carry
FALLBACK_TEXT = 3000  # the notification text: Slack truncates long ones; keep it short
MAX_TEXT = SECTION_TEXT  # kept for callers that knew the old name

ZWSP = "\u200b"
_CONTROL = re.compile(r"([*_~`])")
_ENTITY_TAIL = re.compile(r"&[a-z]*$")
FENCE = "```"


def escape_plain(text: str) -> str:
    """`&`, `<` and `>` as entities: Slack parses them in every text object, plain_text too."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Text shown literally inside mrkdwn: entities for `&<>` and each formatting character
    between zero-width spaces, so it can neither open nor close bold, italics, strike or code."""
    return _CONTROL.sub(ZWSP + r"\1" + ZWSP, escape_plain(text))


def _fit(text: str, limit: int) -> tuple[str, str]:
    """Split escaped `text` into a head of at most `limit` characters and the rest: at the last
    line end, else the last space, else anywhere, but never inside an entity (`&amp;`)."""
    if len(text) <= limit:
        return text, ""
    cut = text.rfind("\n", 0, limit + 1)
    if cut <= 0:
        cut = text.rfind(" ", 0, limit + 1)
    if cut <= 0:
        cut = limit
        tail = _ENTITY_TAIL.search(text[:cut])
        if tail is not None and tail.start() > 0:
            cut = tail.start()
    return text[:cut].rstrip("\n"), text[cut:].lstrip("\n")


def _pieces(text: str, limit: int) -> list[str]:
    """Escaped text in pieces of at most `limit` characters, cut at line ends first."""
    out: list[str] = []
    rest = text
    while rest:
        head, rest = _fit(rest, limit)
        if head.strip():
            out.append(head)
    return out


def _mrkdwn_sections(raw: str) -> list[Block]:
    return [
        SectionBlock(text=MarkdownTextObject(text=piece))
        for piece in _pieces(escape(raw), SECTION_TEXT)
    ]


def _header(raw: str) -> Block:
    """A section title as a header block (plain text: a `*` in a name cannot break it)."""
    text = escape_plain(raw)
    if len(text) > HEADER_TEXT:
        text = _fit(text, HEADER_TEXT - 1)[0].rstrip() + "…"
    return HeaderBlock(text=PlainTextObject(text=text, emoji=True))


def _field(label: str, value: str) -> MarkdownTextObject:
    text = f"*{escape(label)}*\n{escape(value)}"
    if len(text) > FIELD_TEXT:
        text = _fit(text, FIELD_TEXT - 1)[0] + "…"
    return MarkdownTextObject(text=text)


def _numeric(rows: list[list[str]]) -> list[int]:
    """Columns to right-align: those whose last row holds an amount or a number."""
    return [i for i, cell in enumerate(rows[-1]) if i > 0 and cell[:1] in "$€£¥₹0123456789–"]


def _table_blocks(rows: list[list[str]]) -> list[Block]:
    """A code-block table; over a section's limit it goes on in further blocks, each one a
    whole table (the header repeated) with its fence closed."""
    # Inside a code block nothing formats, but a name's ``` would end the block: each of a
    # table's backticks is followed by a zero-width space.
    lines = [
        escape_plain(line).replace("`", "`" + ZWSP)
        for line in fmt.table(rows, right=_numeric(rows)).split("\n")
    ]
    head, body = lines[:2], lines[2:]
    room = SECTION_TEXT - 2 * len(FENCE) - len("\n".join(head)) - 1  # for the data rows
    out: list[Block] = []
    chunk: list[str] = []
    for line in body:
        if len(line) > room:
            line = _fit(line, room - 1)[0] + "…"
        if chunk and len("\n".join([*chunk, line])) > room:
            out.append(_fenced(head + chunk))
            chunk = []
        chunk.append(line)
    out.append(_fenced(head + chunk))
    return out


def _fenced(lines: list[str]) -> Block:
    return SectionBlock(text=MarkdownTextObject(text=FENCE + "\n".join(lines) + FENCE))


def _buttons(reply: Reply) -> list[Block]:
    out: list[Block] = []
    for start in range(0, len(reply.buttons), BUTTONS):
        elements = []
        for n, button in enumerate(reply.buttons[start : start + BUTTONS], start):
            label = escape_plain(button.label)
            if len(label) > BUTTON_TEXT:
                label = _fit(label, BUTTON_TEXT - 1)[0] + "…"
            elements.append(
                ButtonElement(
                    text=PlainTextObject(text=label, emoji=True),
                    action_id=f"{button.action}:{n}",
                    value=json.dumps({"action": button.action, "value": button.value})[
                        :BUTTON_VALUE
                    ],
                    style=button.style if button.style in ("primary", "danger") else None,
                )
            )
        out.append(ActionsBlock(elements=elements))
    return out


def _content(reply: Reply) -> list[Block]:
    out: list[Block] = _mrkdwn_sections(reply.text)
    for section in reply.sections:
        if section.title:
            out.append(_header(section.title))
        if section.text:
            out += _mrkdwn_sections(section.text)
        for start in range(0, len(section.fields), SECTION_FIELDS):
            chunk = section.fields[start : start + SECTION_FIELDS]
            out.append(SectionBlock(fields=[_field(label, value) for label, value in chunk]))
        if section.rows:
            out += _table_blocks(section.rows)
    return out


def _dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    """JSON for the API; to_dict() runs slack_sdk's validators (limits included)."""
    return [block.to_dict() for block in blocks]


def messages(reply: Reply) -> list[list[dict[str, Any]]]:
    """The reply's blocks as one list per message (at most 50 each); buttons in the last."""
    content, actions = _content(reply), _buttons(reply)
    groups = [content[i : i + MESSAGE_BLOCKS] for i in range(0, len(content), MESSAGE_BLOCKS)]
    if not groups:
        groups = [[]]
    if len(groups[-1]) + len(actions) > MESSAGE_BLOCKS:
        groups.append([])
    groups[-1] += actions
    return [_dicts(group) for group in groups]


def blocks(reply: Reply) -> list[dict[str, Any]]:
    """All of the reply's blocks in one list, for surfaces that take up to 100 (the App Home);
    a message uses `payloads`."""
    out = [b for group in messages(reply) for b in group]
    if len(out) > 100:
        actions = [b for b in out if b["type"] == "actions"]
        out = [b for b in out if b["type"] != "actions"][: 100 - len(actions)] + actions
    return out


def fallback(reply: Reply) -> str:
    """The notification text: the reply's first lines, escaped like everything else."""
    return _fit(escape(reply.text), FALLBACK_TEXT)[0] or escape(texts.SLACK_CONTINUED)


def payloads(reply: Reply) -> list[dict[str, Any]]:
    """chat.postMessage arguments, one per message: the first carries the reply's text as the
    notification fallback, the ones after it say they continue it."""
    groups = messages(reply)
    return [
        {"text": fallback(reply) if n == 0 else escape(texts.SLACK_CONTINUED), "blocks": group}
        for n, group in enumerate(groups)
    ]


def payload(reply: Reply) -> dict[str, Any]:
    """The first message of `payloads` (the whole reply when it fits one message)."""
    return payloads(reply)[0]
