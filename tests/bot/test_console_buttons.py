"""The console has no buttons to click: every button's label can be typed instead."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.console import chat, typed_button
from chat.reply import Button
from crm_core.models import Task
from tests.bot.conftest import NOW, TestBot


def test_a_typed_label_presses_the_button(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("remind me to call Hooli tomorrow at 9")
    ticks = iter(range(100))

    def clock() -> datetime:
        return NOW + timedelta(minutes=5 + next(ticks))

    out = io.StringIO()
    chat(testbot.engine, "alex", clock, stdin=io.StringIO("my tasks\nDone #1\n"), stdout=out)
    shown = out.getvalue()
    assert "[Done #1]" in shown and "(type a button's label to press it" in shown
    assert shown.split("crmbot>")[-1].strip().startswith("Done: call Hooli")
    with testbot.db() as s:
        assert s.scalars(select(Task.status)).one() == "done"


def test_only_an_offered_label_counts() -> None:
    buttons = [
        Button("Done #4", "task_done", "4"),
        Button("Snooze #4 1 day", "task_snooze", "4:1d"),
    ]
    assert typed_button("  [snooze #4 1 DAY] ", buttons) == buttons[1]
    assert typed_button("done #5", buttons) is None
    assert typed_button("done", []) is None
