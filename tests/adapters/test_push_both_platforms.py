"""A due reminder reaches its person on their own platform exactly once, with the Slack and
the Telegram process both running on one database (only the lease holder delivers, and it
can reach both platforms)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import OutboxMessage, User
from crm_core.services import tasks
from crm_core.services.context import Actor
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.fakes._server import Call
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(150)


def test_due_reminders_delivered_once_to_each_platform(
    fake_slack: FakeSlackAPI,
    fake_telegram: FakeTelegramAPI,
    crm_url: str,
    serve: list[Served],
) -> None:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    fake_slack.add_channel("C9", "sales")
    fake_telegram.add_chat(4242, "private")
    database = open_database(crm_url)
    due = datetime.now(UTC) - timedelta(minutes=1)
    with database.transaction() as s:
        dana = s.scalar(select(User).where(User.name == "dana"))
        tom = s.scalar(select(User).where(User.name == "tom"))
        assert dana is not None and tom is not None  # made by the crm_url fixture
        system = Actor.system("tests")
        tasks.create_task(
            session=s, actor=system, text="call Acme back", due_at=due, owner_id=dana.id
        )
        tasks.create_task(
            session=s, actor=system, text="send Hooli the contract", due_at=due, owner_id=tom.id
        )
        tasks.create_task(
            session=s,
            actor=system,
            text="pipeline review",
            due_at=due,
            owner_id=dana.id,
            target_channel="#sales",
        )
    env = {
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
        "TELEGRAM_BOT_TOKEN": fake_telegram.token,
        "TELEGRAM_API_URL": fake_telegram.base_url,
    }
    for args in (["serve", "slack", "--port", "0", "--host", "127.0.0.1"], ["serve", "telegram"]):
        serve.append(Served([*args, "--db", crm_url], env))

    def reminders(calls: list[Call]) -> list[Call]:
        return [c for c in calls if c.ok and c.params["text"].startswith("Reminder:")]

    fake_slack.wait_until(
        lambda: len(reminders(fake_slack.calls("chat.postMessage"))) >= 2, timeout=60
    )
    fake_telegram.wait_until(
        lambda: len(reminders(fake_telegram.calls("sendMessage"))) >= 1, timeout=60
    )
    time.sleep(12)  # a delivery tick or more later: still nothing sent twice
    slack_calls = [c for c in fake_slack.calls("chat.postMessage") if c.ok]
    telegram_calls = [c for c in fake_telegram.calls("sendMessage") if c.ok]
    slack_reminders = sorted(c.params["text"].splitlines()[0] for c in reminders(slack_calls))
    telegram_reminders = [c.params["text"].splitlines()[0] for c in reminders(telegram_calls)]
    assert slack_reminders == [
        "Reminder: call Acme back",
        "Reminder: pipeline review (for Dana Scully)",
    ]
    assert telegram_reminders[0].startswith("Reminder: send Hooli the contract")
    assert len(telegram_reminders) == 1
    # Nothing at all (reminders, or the morning digest if it is that hour) went out twice.
    keys = [c.params["metadata"]["event_payload"]["key"] for c in slack_calls]
    assert len(keys) == len(set(keys))
    texts = [c.params["text"] for c in telegram_calls]
    assert len(texts) == len(set(texts))
    by_channel = {c.params["text"].splitlines()[0]: c.params["channel"] for c in slack_calls}
    assert by_channel["Reminder: pipeline review (for Dana Scully)"] == "C9"
    assert all(c.params["chat_id"] in (4242, "4242") for c in telegram_calls)
    with database.transaction() as s:
        statuses = s.scalars(select(OutboxMessage.status)).all()
    database.dispose()
    assert statuses and set(statuses) == {"delivered"}
