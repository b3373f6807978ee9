"""Bad, huge, binary and hostile input; failing services; crashes. The bot always answers,
and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, TypeVar

import pytest
from sqlalchemy import func, select

from bot.context import Context
from bot.engine import Engine
from chat.reply import Reply
from crm_core.models import AuditEntry, Customer, Deal, Interaction
from tests.bot.conftest import TestBot

WRITES = (AuditEntry, Customer, Deal, Interaction)
P = ParamSpec("P")
R = TypeVar("R")


def fails_after_writing(real: Callable[P, R], reason: str) -> Callable[P, R]:
    """`real` with the same signature, which does its writes and then fails, as a service
    that breaks half way: the engine must roll those writes back."""
    from crm_core.errors import ValidationError

    def broken(*args: P.args, **kwargs: P.kwargs) -> R:
        real(*args, **kwargs)  # the write happens ...
        raise ValidationError(reason)  # ... and then the service fails

    return broken


def snapshot(bot: TestBot) -> tuple[int, ...]:
    with bot.db() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0 for m in WRITES)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01\x02",
        "🎉🎉🎉",
        "x" * 100_000,
        "'; DROP TABLE customers; --",
        "<script>alert(1)</script>",
        "SELECT * FROM users",
        "¿Dónde está el informe de ventas?",
        "请给我看销售报告",
        "\u202e\u202dhello",
        "log call with \x00Acme\x07",
        "new deal Acme -5000",
    ],
)
def test_bad_input_gets_a_reply_and_changes_nothing(
    testbot: TestBot, team: dict[str, int], text: str
) -> None:
    before = snapshot(testbot)
    out = testbot.say(text)
    assert out and testbot.last is not None
    if text.strip("\x00\x01\x02 ") == "":
        assert out.startswith("I got an empty message")
    if len(text) > 4000:
        assert out.startswith("That message is 100,000 characters long")
    after = snapshot(testbot)
    if text.startswith("log call with"):  # control characters are stripped, the rest works
        assert after[3] == before[3] + 1
    else:
        assert after == before


def test_negative_amount_is_refused_with_the_reason(testbot: TestBot, team: dict[str, int]) -> None:
    out = testbot.say("new deal Acme for minus 5000 dollars")
    assert "How much" in out or "cannot be negative" in out
    from bot.handlers import deals as deal_handler

    _ = deal_handler
    with testbot.db() as s:
        assert s.scalar(select(func.count(Deal.id))) == 0


def test_failing_service_says_why_and_rolls_back(
    testbot: TestBot, team: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from crm_core.services import interactions

    broken = fails_after_writing(interactions.log_interaction, "the CRM refused it")
    monkeypatch.setattr("bot.handlers.logging.interactions.log_interaction", broken)
    before = snapshot(testbot)
    out = testbot.say("log call with Acme")
    assert out == "That didn't work: the CRM refused it. Nothing was changed."
    assert snapshot(testbot) == before


def test_a_crash_in_one_message_does_not_take_the_bot_down(
    testbot: TestBot, team: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(ctx: Context) -> Reply:
        raise RuntimeError("boom")

    monkeypatch.setitem(
        __import__("bot.handlers", fromlist=["HANDLERS"]).HANDLERS, "customer_history", explode
    )
    before = snapshot(testbot)
    out = testbot.say("what's going on with Acme?")
    assert out.startswith("Sorry, something went wrong on my side and nothing was changed.")
    assert snapshot(testbot) == before
    monkeypatch.undo()
    assert testbot.say("log call with Acme").startswith("Logged a call")


def test_parser_failure_is_contained(testbot: TestBot, team: dict[str, int]) -> None:
    class BrokenParser:
        def parse(self, text: str, now: datetime | None = None) -> dict[str, object]:
            raise MemoryError("parser ran out of memory")

    engine = Engine(testbot.database, BrokenParser(), tz=testbot.engine.tz)
    testbot.engine = engine
    assert testbot.say("pipeline").startswith("Sorry, something went wrong")


def test_deactivated_user_is_told(testbot: TestBot, team: dict[str, int]) -> None:
    from crm_core.services import users
    from crm_core.services.context import Actor

    with testbot.db() as s:
        users.update_user(session=s, actor=Actor.system("t"), user_id=team["wes"], active=False)
    assert testbot.say("pipeline", user="wes").startswith("Your account is deactivated")
