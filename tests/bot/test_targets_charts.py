"""Targets in the forecast reply, and charts for a manager who asks for one (issue 16).

Read as a table: who typed what, what the reply must say, and which picture comes with it.
"""

from __future__ import annotations

import json

import pytest

from chat.reply import Attachment, Reply
from crm_core.services import targets
from crm_core.services.context import Actor
from jobs.charts import is_png
from tests.bot.conftest import TestBot

Q4 = "forecast-2026-10-01-2026-12-31.png"

CONVERSATION = [
    # who, typed, what the reply must contain (or not: "!..."), the picture's file name
    (
        "morgan",
        "forecast for this quarter",
        "$70,000 of the $100,000 target, 70 %; $30,000 to go.",
        None,
    ),
    (
        "alex",
        "forecast for this quarter",
        "$70,000 of the $60,000 target, 117 %; $10,000 over.",
        None,
    ),
    ("morgan", "forecast for alex this quarter", "of the $60,000 target", None),
    ("morgan", "forecast for dana this quarter", "!target", None),  # no target set for Dana
    ("ada", "forecast for this quarter", "!target", None),  # everybody: nobody's target
    ("morgan", "forecast chart", "$70,000 of the $100,000 target", Q4),
    (
        "morgan",
        "pipeline chart by owner",
        "Team east's open pipeline: $150,000",
        "pipeline-by-owner.png",
    ),
    (
        "morgan",
        "show me the pipeline by month as a chart",
        "Pipeline by month",
        "pipeline-by-month.png",
    ),
    ("ada", "forecast chart", "Everyone's forecast", Q4),
    ("alex", "pipeline chart", "Your open pipeline", None),  # a rep gets the table
    ("alex", "forecast chart", "of the $60,000 target", None),
]


@pytest.fixture
def deals_and_targets(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new deal Acme 100k closing Dec 15")
    testbot.say("Acme is in negotiation")
    testbot.say("new deal Hooli 50k closing Dec 1", user="dana")
    testbot.say("new deal Initech 30k closing Dec 2", user="wes")
    q4 = targets.parse_period("2026-Q4")
    with testbot.db() as s:
        for who, amount in (("east", "100k"), ("alex", "60k"), ("west", "1M")):
            targets.set_target(
                session=s,
                actor=Actor.system("tests"),
                subject=targets.resolve_subject(s, who),
                period=q4,
                amount=targets.parse_amount(amount),
            )


@pytest.mark.parametrize(("user", "typed", "expected", "picture"), CONVERSATION)
def test_targets_and_charts(
    testbot: TestBot,
    deals_and_targets: None,
    user: str,
    typed: str,
    expected: str,
    picture: str | None,
) -> None:
    said = testbot.say(typed, user=user)
    if expected.startswith("!"):
        assert expected[1:] not in said
    else:
        assert expected in said
    reply = testbot.last
    assert reply is not None
    if picture is None:
        assert reply.attachment is None
        return
    assert reply.attachment is not None
    assert reply.attachment.filename == picture
    assert reply.sections and reply.sections[0].rows  # the table stays in the text
    data = reply.attachment.data
    assert is_png(data) and 10_000 < len(data) < 200_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (800, 450)


def test_a_chart_survives_the_outbox_round_trip(testbot: TestBot, deals_and_targets: None) -> None:
    testbot.say("forecast chart", user="morgan")
    reply = testbot.last
    assert reply is not None and reply.attachment is not None
    stored = json.loads(json.dumps(reply.to_dict()))  # what a JSON column keeps
    again = Reply.from_dict(stored)
    assert again.attachment == reply.attachment
    assert again.text == reply.text and again.sections == reply.sections
    assert Reply.from_dict({"text": "old row"}).attachment is None  # rows from before
    broken = {**stored, "attachment": {**stored["attachment"], "data": "not base64!"}}
    assert Reply.from_dict(broken).attachment is None  # the text still goes out


def test_same_numbers_draw_the_same_picture(testbot: TestBot, deals_and_targets: None) -> None:
    testbot.say("pipeline chart", user="morgan")
    first = testbot.last
    testbot.say("pipeline chart", user="morgan")
    second = testbot.last
    assert first is not None and second is not None
    assert isinstance(first.attachment, Attachment) and first.attachment == second.attachment
