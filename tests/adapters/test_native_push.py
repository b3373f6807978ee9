"""Channel pushes the bot cannot post: `crmbot serve slack` delivers a reminder set for a
public channel it is not in (no chat:write.public: `not_in_channel`) and one for a private
channel it was never invited to (not even listed); each fails once, for good, and the person
who set it up is told in their DM what to do."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import OutboxMessage, User
from crm_core.services import tasks
from crm_core.services.context import Actor
from jobs import texts
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.fakes._server import Call
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.timeout(150)


def test_a_push_to_an_unreachable_channel_is_explained_to_its_creator(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    fake_slack.add_channel("C8", "deals", is_member=False)  # public, bot not in it
    fake_slack.add_channel("G7", "board", is_private=True, is_member=False)  # never invited
    database = open_database(crm_url)
    due = datetime.now(UTC) - timedelta(minutes=1)
    with database.transaction() as s:
        dana = s.scalar(select(User).where(User.name == "dana"))
        assert dana is not None
        actor = Actor(user_id=dana.id, label="dana", platform="slack")
        for channel in ("#deals", "#board"):
            tasks.create_task(
                session=s,
                actor=actor,
                text=f"review for {channel}",
                due_at=due,
                target_channel=channel,
            )
    serve.append(
        Served(
            ["serve", "slack", "--port", "0", "--host", "127.0.0.1", "--db", crm_url],
            {
                "SLACK_BOT_TOKEN": fake_slack.token,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake_slack.url,
            },
        )
    )

    def notes() -> list[Call]:
        return [
            c
            for c in fake_slack.calls("chat.postMessage")
            if c.ok and c.response.get("ok") and "I could not post" in c.params["text"]
        ]

    fake_slack.wait_until(lambda: len(notes()) >= 2, timeout=90)
    refused = [c for c in fake_slack.calls("chat.postMessage") if not c.response.get("ok")]
    assert [c.response["error"] for c in refused] == ["not_in_channel"]  # #deals, once
    sent = {c.params["text"].split(":")[0]: c for c in notes()}
    dm = fake_slack.dm_channel("U1")
    assert {c.params["channel"] for c in notes()} <= {"U1", dm}
    deals = sent["I could not post your reminder to #deals"].params["text"]
    assert texts.CHANNEL_WHY_NOT_MEMBER in deals and "chat:write.public" in deals
    board = sent["I could not post your reminder to #board"].params["text"]
    assert texts.CHANNEL_WHY_NOT_FOUND in board and "/invite @crmbot" in board
    time.sleep(11)  # another delivery tick: no second note, no retry of the failed pushes
    assert len(notes()) == 2
    with database.transaction() as s:
        rows = {r.target: r.status for r in s.scalars(select(OutboxMessage))}
    database.dispose()
    assert rows["channel:#deals"] == "failed" and rows["channel:#board"] == "failed"
    assert rows[f"user:{dana.id}"] == "delivered"


def test_a_long_push_is_several_messages_with_its_key_first_and_buttons_last(
    fake_slack: FakeSlackAPI,
) -> None:
    from slack_sdk import WebClient

    from bot.adapters.slack_notifier import SlackNotifier
    from chat.reply import Button, Reply, Section
    from jobs.notifier import PushTarget

    fake_slack.add_user("U1", "dana", "Dana Scully")
    notifier = SlackNotifier(WebClient(token=fake_slack.token, base_url=fake_slack.url))
    reply = Reply(
        "Weekly digest",
        [Section(title=f"Deal {i}", text=f"note {i}") for i in range(40)],
        [Button("Done", "task_done", "1")],
    )
    target = PushTarget("user", user_id=1, identities={"slack": "U1"}, display="Dana")
    notifier.send(target, reply, key="digest:user-1:2026-12-02")
    posts = fake_slack.calls("chat.postMessage")
    assert len(posts) == 2 and all(p.response["ok"] for p in posts)
    assert posts[0].params["metadata"]["event_payload"]["key"] == "digest:user-1:2026-12-02"
    assert "metadata" not in posts[1].params
    assert posts[1].params["blocks"][-1]["type"] == "actions"
    assert all(b["type"] != "actions" for b in posts[0].params["blocks"])
    assert notifier.already_delivered("digest:user-1:2026-12-02") is True
