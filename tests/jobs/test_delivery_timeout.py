"""A push that timed out after it was sent is treated like a crash mid-send: the next attempt
asks the platform whether it arrived before sending again, and a resend that may be a
duplicate is flagged. With the fake Slack API answering slowly (the message is posted, the
answer comes after the client gave up)."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import select

from bot.adapters.slack_notifier import SlackNotifier
from chat.reply import Reply
from crm_core.database import Database
from crm_core.models import OutboxMessage, User
from crm_core.services import users
from crm_core.services.context import Actor
from jobs.delivery import RESENT_AFTER_TIMEOUT, TIMED_OUT, deliver_due
from jobs.notifier import UncertainDeliveryError
from jobs.outbox import Push, channel_target, enqueue, make_key, user_target
from tests.fakes.slack_api import FakeSlackAPI
from tests.jobs.helpers import FakeNotifier

SYSTEM = Actor.system("tests")


def _user(database: Database, name: str = "alex") -> User:
    with database.transaction() as session:
        return users.create_user(session=session, actor=SYSTEM, name=name)


def _push(database: Database, target: str, now: datetime, text: str = "call Acme") -> str:
    key = make_key("reminder", text, now)
    with database.transaction() as session:
        enqueue(session, [Push(key, "reminder", target, Reply(text), now)], now=now)
    return key


def _row(database: Database, key: str) -> OutboxMessage:
    with database.transaction() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
        assert row is not None
        return row


def test_a_timed_out_send_is_not_resent_when_the_platform_has_it(
    database: Database, now: datetime
) -> None:
    alex = _user(database)
    key = _push(database, user_target(alex.id), now)
    notifier = FakeNotifier(script=[UncertainDeliveryError("read timed out")], knows={})
    [first] = deliver_due(database, now=now, notifiers=[notifier])
    assert first.status == "retry" and (first.reason or "").startswith(TIMED_OUT)
    assert _row(database, key).last_error == f"{TIMED_OUT}: read timed out"
    notifier.knows = {key: True}  # the platform did post it
    [second] = deliver_due(database, now=now + timedelta(seconds=30), notifiers=[notifier])
    assert second.status == "delivered" and not second.possible_duplicate
    assert notifier.calls == 1  # never sent again
    row = _row(database, key)
    assert (row.status, row.attempts) == ("delivered", 1)
    assert row.last_error == "confirmed delivered after a timeout"


def test_a_timed_out_send_the_platform_lacks_is_resent_plainly(
    database: Database, now: datetime
) -> None:
    alex = _user(database)
    key = _push(database, user_target(alex.id), now)
    notifier = FakeNotifier(script=[UncertainDeliveryError("read timed out")], knows={})
    deliver_due(database, now=now, notifiers=[notifier])
    [second] = deliver_due(database, now=now + timedelta(seconds=30), notifiers=[notifier])
    assert second.status == "delivered" and not second.possible_duplicate
    assert notifier.keys() == [key] and _row(database, key).last_error is None


def test_a_timed_out_send_nobody_can_check_is_resent_and_flagged(
    database: Database, now: datetime
) -> None:
    alex = _user(database)
    key = _push(database, user_target(alex.id), now)
    notifier = FakeNotifier(script=[UncertainDeliveryError("read timed out")])  # cannot tell
    deliver_due(database, now=now, notifiers=[notifier])
    [second] = deliver_due(database, now=now + timedelta(seconds=30), notifiers=[notifier])
    assert second.status == "delivered" and second.possible_duplicate
    assert "(possible duplicate)" in second.line()
    assert _row(database, key).last_error == RESENT_AFTER_TIMEOUT


def test_slack_answering_slowly_gets_the_push_once(
    database: Database, now: datetime, fake_slack: FakeSlackAPI
) -> None:
    fake_slack.add_channel("C0SALES", "sales")
    key = _push(database, channel_target("#sales"), now, text="QBR prep at 3")
    client = WebClient(token=fake_slack.token, base_url=fake_slack.url, timeout=1)
    notifier = SlackNotifier(client)
    fake_slack.slow_next("chat.postMessage", 2.5)  # posted, answered after the client gave up
    [first] = deliver_due(database, now=now, notifiers=[notifier])
    assert first.status == "retry" and (first.reason or "").startswith(TIMED_OUT)
    assert [m["text"] for m in fake_slack.messages("C0SALES")] == ["QBR prep at 3"]
    # 30 s later (the old behaviour sent it again here): asked first, found, not resent
    [second] = deliver_due(database, now=now + timedelta(seconds=30), notifiers=[notifier])
    assert second.status == "delivered" and not second.possible_duplicate
    assert [m["text"] for m in fake_slack.messages("C0SALES")] == ["QBR prep at 3"]
    assert fake_slack.count("chat.postMessage") == 1
    assert _row(database, key).status == "delivered"


def test_slack_timeout_of_a_push_that_never_arrived_is_sent_again(
    database: Database, now: datetime, fake_slack: FakeSlackAPI
) -> None:
    fake_slack.add_channel("C0SALES", "sales")
    key = _push(database, channel_target("#sales"), now, text="QBR prep at 3")
    notifier = SlackNotifier(WebClient(token=fake_slack.token, base_url=fake_slack.url))
    notifier._uncertain[key] = "C0SALES"  # as a timed-out send leaves it, but nothing posted
    with database.transaction() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
        assert row is not None
        row.last_error = f"{TIMED_OUT}: read timed out"
    [result] = deliver_due(database, now=now, notifiers=[notifier])
    assert result.status == "delivered" and not result.possible_duplicate
    assert [m["text"] for m in fake_slack.messages("C0SALES")] == ["QBR prep at 3"]
