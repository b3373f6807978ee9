"""Slack and Telegram renderings of text that came from people: escaped in every field, and
long replies split where Slack and Telegram allow, never inside a table, tag or entity."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.render import slack, telegram
from chat.reply import Button, Reply, Section
from tests.fakes.telegram_api import html_unclosed, render_html

ODD = "Ping <!channel> & Sons *Bold* _it_ ~x~ `c` ```pre``` <!here> <!everyone> <@U1>"


def odd_reply() -> Reply:
    return Reply(
        f"{ODD}: 1 open deal",
        sections=[
            Section(
                title=ODD,
                text=f"note about {ODD}",
                fields=[(ODD, ODD)],
                rows=[["Customer", "Amount"], [ODD, "$1"]],
            )
        ],
        buttons=[Button(ODD, "choose", ODD)],
    )


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    if isinstance(node, dict):
        return [s for key, value in node.items() if key != "value" for s in strings(value)]
    return []


def mrkdwn(node: Any) -> list[str]:
    if isinstance(node, list):
        return [t for item in node for t in mrkdwn(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [t for value in node.values() for t in mrkdwn(value)]


def shown(text: str) -> str:
    """What Slack displays: entities decoded, zero-width spaces invisible."""
    return (
        text.replace("\u200b", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def test_slack_escapes_every_field_and_the_fallback() -> None:
    payload = slack.payload(odd_reply())
    every = strings(payload)  # text, blocks: sections, header, fields, table, button label
    assert len(every) > 8
    for text in every:
        assert "<!" not in text and "<@" not in text, text  # no mention, no link can fire
        assert re.search(r"&(?!amp;|lt;|gt;)", text) is None, text  # a bare & would be markup
    for text in [*mrkdwn(payload["blocks"]), payload["text"]]:
        if text.startswith("```"):  # a code block: literal, only its fence may be ```
            assert text.count("```") == 2 and text.endswith("```")
            continue
        for mark in "*_~`":  # data's marks are fenced by zero-width spaces: never formatting
            assert re.search(rf"(?<!\u200b){re.escape(mark)}(?!\u200b)", _data_only(text)) is None
    assert shown(payload["text"]).startswith(ODD)
    header = next(b for b in payload["blocks"] if b["type"] == "header")
    assert shown(header["text"]["text"]) == ODD  # plain text: shown as typed
    table = next(b for b in payload["blocks"] if "```" in b.get("text", {}).get("text", ""))
    assert ODD in shown(table["text"]["text"])  # inside a code block nothing formats
    button = payload["blocks"][-1]["elements"][0]
    assert json.loads(button["value"]) == {"action": "choose", "value": ODD}  # data, not shown


def _data_only(text: str) -> str:
    """A mrkdwn text without the renderer's own markup (bold field labels, code fences)."""
    text = re.sub(r"^\*(.*?)\*\n", r"\1\n", text, flags=re.S)  # "*Label*\n" of a field
    return text.replace("```", "")


def test_telegram_escapes_every_field() -> None:
    for message in telegram.payloads(odd_reply()):
        assert html_unclosed(message["text"]) is None
        plain, _ = render_html(message["text"])
        assert plain.count(ODD) == 6  # text, title, section text, field label and value, table
        assert "<!channel>" not in message["text"]  # escaped on the wire
    assert telegram.keyboard(odd_reply())[0][0]["text"] == ODD[:64]  # button labels: plain


def test_telegram_splits_between_entries_and_keeps_tables_whole() -> None:
    rows = [["Customer", "Amount"]] + [[f"Café & Co {i} 🎉", f"${i},000"] for i in range(400)]
    notes = "\n".join(f"entry {i} <b>&amp;</b> " + "word " * 30 for i in range(60))
    reply = Reply(
        "History", [Section(title="Notes", text=notes), Section(title="Deals", rows=rows)]
    )
    reply.buttons.append(Button("Log call", "log_call", "1"))
    messages = telegram.payloads(reply)
    assert len(messages) >= 4
    for message in messages:
        assert telegram.size(message["text"]) <= telegram.MAX_MESSAGE
        assert html_unclosed(message["text"]) is None  # never inside a tag
        assert message["text"].count("<pre>") == message["text"].count("</pre>")
        assert re.search(r"&[a-z]*$", message["text"]) is None  # never inside an entity
        for pre in re.findall(r"<pre>(.*?)</pre>", message["text"], re.S):
            assert pre.startswith("Customer")  # each table part has its header
    assert ["reply_markup" in m for m in messages] == [False] * (len(messages) - 1) + [True]
    whole = "\n".join(render_html(m["text"])[0] for m in messages)
    for i in range(60):
        assert f"entry {i} <b>&amp;</b> " in whole
    for i in range(400):
        assert f"Café & Co {i} 🎉" in whole


def test_slack_continues_long_sections_tables_and_messages() -> None:
    notes = "\n".join(f"entry {i} " + "word " * 40 for i in range(200))  # ~42,000 characters
    rows = [["Customer", "Amount"]] + [[f"Customer {i}", f"${i}"] for i in range(600)]
    many = [Section(title=f"Part {i}", text="x") for i in range(30)]
    reply = Reply(
        "Long",
        [Section(text=notes), Section(title="Deals", rows=rows), *many],
        [Button("Yes", "confirm"), Button("No", "decline")],
    )
    messages = slack.payloads(reply)
    assert len(messages) >= 2
    for message in messages:
        assert len(message["blocks"]) <= slack.MESSAGE_BLOCKS
        for block in message["blocks"]:
            text = block.get("text", {}).get("text", "")
            assert len(text) <= slack.SECTION_TEXT
            assert text.count("```") in (0, 2)  # a table never loses its closing fence
            if text.startswith("```"):
                assert text.startswith("```Customer")  # header repeated
    assert [m["blocks"][-1]["type"] for m in messages][-1] == "actions"  # buttons kept, last
    assert all(b["type"] != "actions" for m in messages[:-1] for b in m["blocks"])
    assert messages[1]["text"] == slack.escape(slack.texts.SLACK_CONTINUED)
    shown_text = "\n".join(b["text"]["text"] for m in messages for b in m["blocks"] if "text" in b)
    for i in range(200):
        assert f"entry {i} " in shown_text
    for i in range(600):
        assert re.search(rf"^Customer {i} +\$", shown_text, re.M), i  # every row, once at least


def test_slack_blocks_are_slack_sdks_and_refuse_what_slack_would() -> None:
    from bot.render.slack import HeaderBlock, PlainTextObject, SectionBlock

    assert issubclass(SectionBlock, Block)
    with pytest.raises(Exception, match="150"):
        HeaderBlock(text=PlainTextObject(text="x" * 151)).to_dict()
    long_title = slack.payload(Reply("t", [Section(title="T" * 400)]))["blocks"][1]
    assert long_title["type"] == "header" and len(long_title["text"]["text"]) <= 150
