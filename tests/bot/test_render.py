"""One Reply, three renderings."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot import format as fmt
from bot.render import plain, slack, telegram
from chat.reply import Button, Reply, Section

REPLY = Reply(
    "Acme <Corp> & co: 2 open deals",
    sections=[
        Section(title="Acme", fields=[("Owner", "Alex"), ("Won", "$60,000")]),
        Section(
            title="Open deals",
            rows=[["Deal", "Amount"], ["Licence", "$40,000"], ["Pilot", "$5,000"]],
        ),
        Section(text="a <b>note</b>"),
    ],
    buttons=[
        Button("Done", "task_done", "7", "primary"),
        Button("Snooze 1 day", "task_snooze", "7:1d"),
    ],
)


def test_plain() -> None:
    out = plain.render(REPLY)
    assert out.splitlines()[0] == "Acme <Corp> & co: 2 open deals"
    assert "  Owner  Alex" in out
    assert "Licence  $40,000\nPilot     $5,000" in out
    assert out.endswith("[Done] [Snooze 1 day]")
    assert (
        plain.render(Reply("Sure?", buttons=[Button("Yes", "confirm"), Button("No", "decline")]))
        == "Sure?\n\n(yes / no)"
    )


def test_slack_blocks() -> None:
    payload = slack.payload(REPLY)
    assert payload["text"] == "Acme &lt;Corp&gt; &amp; co: 2 open deals"  # the fallback, escaped
    blocks = payload["blocks"]
    assert blocks[0]["text"]["text"] == "Acme &lt;Corp&gt; &amp; co: 2 open deals"
    fields = next(b for b in blocks if "fields" in b)["fields"]
    assert fields[0] == {"type": "mrkdwn", "text": "*Owner*\nAlex"}
    assert any(
        b["type"] == "section" and b["text"]["text"].startswith("```Deal")
        for b in blocks
        if "text" in b
    )
    actions = blocks[-1]
    assert actions["type"] == "actions" and actions["elements"][0]["style"] == "primary"
    assert json.loads(actions["elements"][1]["value"]) == {"action": "task_snooze", "value": "7:1d"}
    assert len({e["action_id"] for e in actions["elements"]}) == 2  # unique per message


def test_telegram_html() -> None:
    payload = telegram.payload(REPLY)
    assert payload["parse_mode"] == "HTML"
    assert payload["text"].startswith("Acme &lt;Corp&gt; &amp; co: 2 open deals\n\n<b>Acme</b>")
    assert "<b>Owner:</b> Alex" in payload["text"] and "<pre>Deal" in payload["text"]
    assert "a &lt;b&gt;note&lt;/b&gt;" in payload["text"]
    assert payload["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "Done", "callback_data": "task_done|7"},
                {"text": "Snooze 1 day", "callback_data": "task_snooze|7:1d"},
            ]
        ]
    }
    huge = telegram.text(Reply("x", sections=[Section(text="y" * 5000)]))
    assert len(huge) <= 4096


def test_formatting() -> None:
    assert fmt.money(Decimal("60000")) == "$60,000"
    assert fmt.money(Decimal("1234.5")) == "$1,234.50"
    assert fmt.money(100, "CHF") == "100 CHF"
    assert fmt.day(date(2026, 11, 27)) == "Fri 27 Nov"
    assert fmt.day(date(2027, 1, 4), today=date(2026, 11, 27)) == "Mon 4 Jan 2027"
    tz = ZoneInfo("Europe/Berlin")
    assert (
        fmt.when(datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("UTC")), tz, today=date(2026, 11, 23))
        == "tomorrow 09:00"
    )
    assert fmt.top([str(i) for i in range(15)], 3) == ["0", "1", "2", "and 12 more"]
    assert (
        fmt.plural(1, "deal") == "1 deal"
        and fmt.plural(2, "activity", "activities") == "2 activities"
    )
    assert fmt.sentence("Acme Corp, Inc.") == "Acme Corp, Inc." and fmt.sentence("Hi") == "Hi."
