"""Slack pushes are marked in windows of many sends per commit, like any notifier that can be
asked afterwards: a process that dies mid-window leaves its rows "sending", and the next
process, with a Slack client of its own, reads the conversations' history for the pushes'
keys (message metadata): the ones Slack has are marked delivered, not sent again; the rest are
sent once. With the fake Slack API and the real slack_sdk client, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.adapters.slack_notifier import SlackNotifier
from chat.reply import Reply
from crm_core.database import Database
from crm_core.services import users
from crm_core.services.context import Actor
from jobs import delivery
from jobs.delivery import deliver_due
from jobs.notifier import PushTarget, confirms
from jobs.outbox import Push, channel_target, enqueue, make_key, user_target
from tests.fakes.slack_api import FakeSlackAPI

SYSTEM = Actor.system("tests")


class Crash(BaseException):
    """The process dying mid-window (nothing in the delivery job catches it)."""


class CrashingSlack(SlackNotifier):
    def __init__(self, client: WebClient, crash_at: int) -> None:
        super().__init__(client)
        self.crash_at, self.sends = crash_at, 0

    def send(self, target: PushTarget, reply: Reply, *, key: str, kind: str = "") -> None:
        super().send(target, reply, key=key, kind=kind)
        self.sends += 1
        if self.sends == self.crash_at:
            raise Crash


@pytest.fixture(autouse=True)
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "BATCH", 20)
    monkeypatch.setattr(delivery, "WINDOW", 8)


def _client(fake_slack: FakeSlackAPI) -> WebClient:
    return WebClient(token=fake_slack.token, base_url=fake_slack.url)


def test_a_slack_crash_mid_window_is_settled_from_the_history(
    database: Database, now: datetime, fake_slack: FakeSlackAPI
) -> None:
    fake_slack.add_user("U0ALEX", "alex")
    fake_slack.add_channel("C0SALES", "sales")
    with database.transaction() as session:
        alex = users.create_user(session=session, actor=SYSTEM, name="alex")
        users.link_identity(
            session=session, actor=SYSTEM, user_id=alex.id, platform="slack", external_id="U0ALEX"
        )
        pushes = [
            Push(
                make_key("reminder", f"task-{i}", now),
                "reminder",
                user_target(alex.id) if i % 2 else channel_target("#sales"),
                Reply(f"call customer {i}"),
                now - timedelta(seconds=30 - i),
            )
            for i in range(30)
        ]
        enqueue(session, pushes, now=now)
    keys = [p.key for p in pushes]
    first = CrashingSlack(_client(fake_slack), crash_at=13)  # 2nd window of the 1st batch
    assert confirms(first)
    with pytest.raises(Crash):
        deliver_due(database, now=now, notifiers=[first])
    posted = fake_slack.count("chat.postMessage")
    assert posted == 13
    fake_slack.add_message("C0SALES", "unrelated chatter after the crash", "U0ALEX")

    again = SlackNotifier(_client(fake_slack))  # another process: knows nothing of first's sends
    results = deliver_due(database, now=now + timedelta(minutes=1), notifiers=[again])
    confirmed = [d.key for d in results if d.reason == "confirmed after a restart"]
    assert confirmed == keys[8:13]  # sent in the window in flight: found in the history
    assert not any(d.possible_duplicate for d in results)
    texts = [m["text"] for m in fake_slack.messages() if m["text"].startswith("call customer")]
    assert Counter(texts) == Counter(f"call customer {i}" for i in range(30))  # each once
    # one history read per conversation (the channel and alex's DM), not one per push
    assert fake_slack.count("conversations.history") == 2
