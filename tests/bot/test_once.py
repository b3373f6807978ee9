"""Every write once per platform request: replays, redeliveries, repeated clicks and edits
write nothing a second time; the second delivery gets the first one's answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import texts
from bot.render import plain
from chat.message import Message
from crm_core.models import (
    AlertRule,
    AuditEntry,
    Campaign,
    Deal,
    Feedback,
    HandledRequest,
    Interaction,
    Lead,
    NotificationPreference,
    Task,
)
from tests.bot.conftest import TestBot


def count(bot: TestBot, model: type) -> int:
    with bot.db() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def send(
    bot: TestBot,
    text: str,
    message_id: str,
    *,
    user: str = "alex",
    platform: str = "slack",
    edited: bool = False,
    action: str | None = None,
    value: str | None = None,
) -> str:
    """One platform delivery with the platform's own id (a replay reuses it)."""
    bot.now += timedelta(seconds=30)
    bot.last = bot.engine.handle(
        Message(
            platform=platform,
            user_id=user,
            channel="D1",
            text=text,
            time=bot.now,
            message_id=message_id,
            user_name=user,
            edited=edited,
            action=action,
            action_value=value,
        )
    )
    return plain.render(bot.last)


@pytest.fixture
def slack_team(testbot: TestBot, team: dict[str, int]) -> dict[str, int]:
    """The team, with Slack identities named like their console ones."""
    from crm_core.services import users
    from crm_core.services.context import Actor

    with testbot.db() as s:
        for name in ("alex", "morgan", "dana"):
            users.link_identity(
                session=s,
                actor=Actor.system("tests"),
                user_id=team[name],
                platform="slack",
                external_id=name,
            )
    return team


# typed text, who says it, what it writes
WRITES = [
    ("log call with Initech", "alex", Interaction),
    ("new deal Umbrella 25k closing Dec 15", "alex", Deal),
    ("new lead Sam Lee from Initech, sam@initech.io", "alex", Lead),
    ("remind me to send Globex the contract on Thursday", "alex", Task),
    ("alert #sales when pipeline drops below 200k", "morgan", AlertRule),
    ("plan an email campaign for new customers next Monday", "morgan", Campaign),
    ("tell product that Acme wants SSO", "alex", Feedback),
    ("mute stale-deal nudges", "alex", NotificationPreference),
]


@pytest.mark.parametrize(("text", "user", "model"), WRITES, ids=[w[2].__name__ for w in WRITES])
def test_a_replayed_request_writes_once_and_answers_the_same(
    testbot: TestBot, slack_team: dict[str, int], text: str, user: str, model: type
) -> None:
    first = send(testbot, text, "C1:1700000000.000100", user=user)
    assert testbot.last is not None and testbot.last.ok, first
    written = count(testbot, model), count(testbot, AuditEntry)
    assert written[0] == 1
    for _ in range(4):  # a Slack retry, a replayed signed request, a redelivery...
        assert send(testbot, text, "C1:1700000000.000100", user=user) == first
    assert (count(testbot, model), count(testbot, AuditEntry)) == written
    assert count(testbot, HandledRequest) == 1


def test_a_replayed_slash_command_makes_one_deal(
    testbot: TestBot, slack_team: dict[str, int]
) -> None:
    for _ in range(5):
        out = send(testbot, "new deal Hooli 40k closing Dec 18", "command:13345224609.738474.3f1a")
        assert out.startswith("New deal #1: Hooli deal, $40,000")
    assert count(testbot, Deal) == 1


def test_a_replayed_button_click_makes_one_task(
    testbot: TestBot, slack_team: dict[str, int]
) -> None:
    click = f"action:D1:1700000000.000200:alex:follow_up:{slack_team['Initech']}:3d"
    answers = {
        send(
            testbot,
            "",
            click,
            action="follow_up",
            value=f"{slack_team['Initech']}:3d",
        )
        for _ in range(5)
    }
    assert len(answers) == 1 and next(iter(answers)).startswith("Follow-up with Initech set for")
    assert count(testbot, Task) == 1


def test_the_same_request_key_from_someone_else_is_refused(
    testbot: TestBot, slack_team: dict[str, int]
) -> None:
    send(testbot, "new deal Hooli 40k closing Dec 18", "C1:1700000000.000300")
    assert send(testbot, "pipeline", "C1:1700000000.000300", user="dana") == (
        texts.NOT_YOUR_REQUEST
    )
    assert count(testbot, Deal) == 1


@pytest.mark.parametrize(
    ("text", "model"),
    [("log call with Initech", Interaction), ("remind me to call Hooli tomorrow", Task)],
)
def test_an_edited_message_is_not_applied_and_the_person_is_told(
    testbot: TestBot, slack_team: dict[str, int], text: str, model: type
) -> None:
    first = send(testbot, text, "C1:1700000000.000400")
    assert testbot.last is not None and testbot.last.ok, first
    edit = send(testbot, text + " and Acme", "C1:1700000000.000400", edited=True)
    assert edit == texts.EDIT_NOT_APPLIED
    assert testbot.last is not None and not testbot.last.ok
    assert count(testbot, model) == 1


def test_a_multi_turn_request_answers_each_message_once(
    testbot: TestBot, slack_team: dict[str, int]
) -> None:
    assert send(testbot, "log a call", "C1:1.1") == "Which customer was the call with?"
    assert send(testbot, "log a call", "C1:1.1") == "Which customer was the call with?"
    done = send(testbot, "Initech", "C1:1.2")
    assert done.startswith("Logged a call with Initech")
    assert send(testbot, "Initech", "C1:1.2") == done
    assert count(testbot, Interaction) == 1


def test_a_reminder_is_named_after_the_request_not_the_answer(
    testbot: TestBot, team: dict[str, int]
) -> None:
    assert testbot.say("remind me to renew the Hooli contract").startswith("When should I")
    out = testbot.say("tomorrow at 10")
    assert out.startswith("OK, I'll remind you"), out
    with testbot.db() as s:
        task = s.scalars(select(Task)).one()
    assert "tomorrow at 10" not in task.text and "renew the Hooli contract" in task.text


def test_undo_leaves_a_row_someone_else_changed_since(
    testbot: TestBot, team: dict[str, int]
) -> None:
    testbot.say("new deal Acme 100k closing Dec 15")
    testbot.say("new deal Hooli 50k closing Dec 1")
    testbot.say("Acme is in negotiation")
    with testbot.db() as s:
        acme = s.scalars(select(Deal).where(Deal.customer_id == team["Acme Corp, Inc."])).one()
    # morgan, the manager, sets the amount of the same deal after alex's change
    from crm_core.services import deals
    from crm_core.services.context import Actor

    with testbot.db() as s:
        deals.update_deal(
            session=s,
            actor=Actor(team["morgan"], "console:morgan", "console", "m-morgan", testbot.now),
            deal_id=acme.id,
            amount=120_000,
            now=testbot.now,
        )
    out = testbot.say("undo")
    assert out == texts.UNDO_NOTHING_DONE.format(
        kept=texts.UNDO_KEPT_ONE.format(what="deal", id=acme.id, name="Morgan Reyes")
    )
    with testbot.db() as s:
        kept = s.get(Deal, acme.id)
        assert kept is not None and (kept.stage, int(kept.amount)) == ("negotiation", 120_000)
    # the next undo moves on to the message before: the Hooli deal, untouched by others
    assert testbot.say("undo").startswith("Undone: removed the deal")
    assert count(testbot, Deal) == 1


def test_undo_reverses_what_is_still_its_own_and_names_what_is_not(
    testbot: TestBot, team: dict[str, int]
) -> None:
    assert testbot.say("log call with Initech, follow up Friday").startswith("Logged a call")
    with testbot.db() as s:
        task = s.scalars(select(Task)).one()
        call = s.scalars(select(Interaction)).one()
    from crm_core.services import tasks
    from crm_core.services.context import Actor

    with testbot.db() as s:  # morgan moves the follow-up a day
        tasks.snooze_task(
            session=s,
            actor=Actor(team["morgan"], "console:morgan", "console", "m-morgan", testbot.now),
            task_id=task.id,
            delta=timedelta(days=1),
            now=testbot.now,
        )
    out = testbot.say("undo")
    assert out == (
        texts.UNDONE.format(done=f"removed the interaction #{call.id}")
        + " "
        + texts.UNDO_KEPT.format(
            kept=texts.UNDO_KEPT_ONE.format(what="task", id=task.id, name="Morgan Reyes")
        )
    )
    assert (count(testbot, Interaction), count(testbot, Task)) == (0, 1)
