"""The delivery job: retries with back-off, give-up, permanent failures, preferences, routing
and the settling of pushes left "sending" by a crash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Unpack

import pytest
from sqlalchemy import select, update

from bot.preferences import parse_preference_command
from chat.reply import Reply
from crm_core.database import Database
from crm_core.models import OutboxMessage, User
from crm_core.services import users
from crm_core.services.context import Actor
from crm_core.services.preferences import apply_preference_change
from jobs.delivery import MAX_ATTEMPTS, backoff, deliver_due
from jobs.notifier import (
    ConsoleNotifier,
    PermanentDeliveryError,
    PushTarget,
    TemporaryDeliveryError,
    route,
)
from jobs.outbox import SENDING, Push, channel_target, enqueue, make_key, user_target
from tests.factories import UserFields
from tests.jobs.helpers import FakeNotifier

SYSTEM = Actor.system("tests")


def _user(database: Database, name: str = "alex", **kwargs: Unpack[UserFields]) -> User:
    with database.transaction() as session:
        return users.create_user(session=session, actor=SYSTEM, name=name, **kwargs)


def _push(
    database: Database,
    target: str,
    *,
    now: datetime,
    kind: str = "reminder",
    text: str = "call Acme",
    subject: str = "x",
) -> str:
    key = make_key(kind, subject, now)
    with database.transaction() as session:
        enqueue(session, [Push(key, kind, target, Reply(text), now)], now=now)
    return key


def _row(database: Database, key: str) -> OutboxMessage:
    with database.transaction() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
        assert row is not None
        return row


def test_backoff_schedule() -> None:
    assert [backoff(n).total_seconds() for n in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]
    assert backoff(1, retry_after=90).total_seconds() == 90


def test_temporary_failures_retry_with_backoff_then_succeed(
    database: Database, now: datetime
) -> None:
    alex = _user(database)
    key = _push(database, user_target(alex.id), now=now)
    notifier = FakeNotifier(
        script=[
            TemporaryDeliveryError("503"),
            TemporaryDeliveryError("rate limited", retry_after=120),
        ]
    )
    [first] = deliver_due(database, now=now, notifiers=[notifier])
    assert first.status == "retry" and first.next_attempt_at == now + timedelta(seconds=30)
    row = _row(database, key)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "temporary: 503")
    # Not before the back-off has passed.
    assert deliver_due(database, now=now + timedelta(seconds=29), notifiers=[notifier]) == []
    [second] = deliver_due(database, now=now + timedelta(seconds=30), notifiers=[notifier])
    assert second.status == "retry"  # the platform's retry-after (120 s) beats 60 s
    assert second.next_attempt_at == now + timedelta(seconds=150)
    assert deliver_due(database, now=now + timedelta(seconds=149), notifiers=[notifier]) == []
    [third] = deliver_due(database, now=now + timedelta(seconds=150), notifiers=[notifier])
    assert third.status == "delivered" and third.attempts == 3
    row = _row(database, key)
    assert row.status == "delivered" and row.delivered_at == now + timedelta(seconds=150)
    assert notifier.keys() == [key] and notifier.calls == 3


def test_gives_up_after_the_last_attempt_and_records_why(database: Database, now: datetime) -> None:
    alex = _user(database)
    key = _push(database, user_target(alex.id), now=now)
    notifier = FakeNotifier(script=[TemporaryDeliveryError("timeout")] * MAX_ATTEMPTS)
    clock, outcomes = now, []
    for _ in range(MAX_ATTEMPTS):
        [result] = deliver_due(database, now=clock, notifiers=[notifier])
        outcomes.append(result.status)
        clock = result.next_attempt_at or clock
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    row = _row(database, key)
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS
    assert row.last_error == f"gave up after {MAX_ATTEMPTS} attempts: temporary: timeout"
    assert deliver_due(database, now=clock + timedelta(days=1), notifiers=[notifier]) == []


def test_a_permanent_failure_is_recorded_not_retried(database: Database, now: datetime) -> None:
    key = _push(database, channel_target("#gone"), now=now)
    notifier = FakeNotifier(script=[PermanentDeliveryError("channel_not_found")])
    [result] = deliver_due(database, now=now, notifiers=[notifier])
    assert result.status == "failed"
    row = _row(database, key)
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        1,
        "permanent: channel_not_found",
    )
    assert deliver_due(database, now=now + timedelta(hours=1), notifiers=[notifier]) == []


def test_unexpected_notifier_errors_are_retried(database: Database, now: datetime) -> None:
    alex = _user(database)
    key = _push(database, user_target(alex.id), now=now)
    [result] = deliver_due(
        database, now=now, notifiers=[FakeNotifier(script=[ConnectionError("reset")])]
    )
    assert result.status == "retry" and _row(database, key).last_error == "ConnectionError: reset"


def _prefer(
    database: Database, text: str, *, user_id: int | None = None, channel: str | None = None
) -> None:
    change = parse_preference_command(text)
    assert change is not None
    with database.transaction() as session:
        apply_preference_change(
            session=session, actor=SYSTEM, change=change, user_id=user_id, channel=channel
        )


def test_muted_and_digest_only_pushes_are_skipped_and_recorded(
    database: Database, now: datetime
) -> None:
    alex, dana = _user(database, "alex"), _user(database, "dana")
    _prefer(database, "mute stale-deal nudges", user_id=alex.id)
    _prefer(database, "only send me a digest", user_id=dana.id)
    _prefer(database, "mute alerts", channel="#sales")
    muted = _push(database, user_target(alex.id), now=now, kind="stale_deal", subject="a")
    allowed = _push(database, user_target(alex.id), now=now, kind="reminder", subject="b")
    not_digest = _push(database, user_target(dana.id), now=now, kind="reminder", subject="c")
    digest = _push(database, user_target(dana.id), now=now, kind="digest", subject="d")
    channel = _push(database, channel_target("#sales"), now=now, kind="alert", subject="e")
    notifier = FakeNotifier()
    results = {d.key: d for d in deliver_due(database, now=now, notifiers=[notifier])}
    assert {k: d.status for k, d in results.items()} == {
        muted: "skipped",
        allowed: "delivered",
        not_digest: "skipped",
        digest: "delivered",
        channel: "skipped",
    }
    assert sorted(notifier.keys()) == sorted([allowed, digest])
    assert _row(database, muted).status == "skipped"
    assert _row(database, muted).last_error == "muted: stale-deal nudges"
    assert _row(database, not_digest).last_error == "digest only"
    assert _row(database, channel).last_error == "muted: alerts"


def test_quiet_hours_defer_in_the_persons_zone_and_deliver_afterwards(
    database: Database, now: datetime
) -> None:
    alex = _user(database, timezone="Europe/Paris")  # now = 10:00 UTC = 11:00 in Paris
    _prefer(database, "quiet hours 10:30-12:00", user_id=alex.id)
    key = _push(database, user_target(alex.id), now=now)
    notifier = FakeNotifier()
    [result] = deliver_due(database, now=now, notifiers=[notifier])
    until = now + timedelta(hours=1)  # 12:00 Paris
    assert result.status == "deferred" and result.next_attempt_at == until
    row = _row(database, key)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, until)
    assert deliver_due(database, now=until - timedelta(minutes=1), notifiers=[notifier]) == []
    [later] = deliver_due(database, now=until, notifiers=[notifier])
    assert later.status == "delivered" and notifier.keys() == [key]


def test_routing_by_identity_and_channel(database: Database, now: datetime) -> None:
    alex, dana = _user(database, "alex"), _user(database, "dana")
    with database.transaction() as session:
        users.link_identity(
            session=session, actor=SYSTEM, user_id=dana.id, platform="telegram", external_id="42"
        )
    slack = FakeNotifier("slack", reachable=False)
    telegram = FakeNotifier("telegram", anyone=False)
    to_alex = _push(database, user_target(alex.id), now=now, subject="a")
    to_dana = _push(database, user_target(dana.id), now=now, subject="b")
    to_channel = _push(database, channel_target("#sales"), now=now, subject="c")
    results = {d.key: d for d in deliver_due(database, now=now, notifiers=[slack, telegram])}
    assert results[to_dana].platform == "telegram"
    assert results[to_channel].platform == "telegram"  # slack cannot reach it
    assert telegram.sent[0][0].identities == {"telegram": "42"}
    # Nobody can reach alex: a recorded failure, not a silent drop.
    assert results[to_alex].status == "failed"
    assert _row(database, to_alex).last_error == "no configured platform can reach alex (@alex)"


def test_route_prefers_the_users_platform_and_the_console_reaches_anyone() -> None:
    console, slack = ConsoleNotifier(), FakeNotifier("slack")
    user = PushTarget("user", user_id=1, identities={"slack": "U1"}, display="a")
    assert route(user, [console, slack]) is slack
    assert route(PushTarget("user", user_id=2, display="b"), [console, slack]) is console
    assert route(PushTarget("channel", channel="#x"), [slack, console]) is slack


@pytest.mark.parametrize(
    "answer, status, duplicate, sent",
    [
        (True, "delivered", False, 0),
        (False, "delivered", False, 1),
        (None, "delivered", True, 1),
    ],
)
def test_a_push_left_sending_by_a_crash_is_settled_by_asking_the_notifier(
    database: Database,
    now: datetime,
    answer: bool | None,
    status: str,
    duplicate: bool,
    sent: int,
) -> None:
    alex = _user(database)
    key = _push(database, user_target(alex.id), now=now)
    with database.transaction() as session:  # what a process killed mid-send leaves behind
        session.execute(update(OutboxMessage).values(status=SENDING, attempts=1))
    notifier = FakeNotifier(knows=None if answer is None else {key: answer})
    [result] = deliver_due(database, now=now, notifiers=[notifier])
    assert (result.status, result.possible_duplicate, len(notifier.sent)) == (
        status,
        duplicate,
        sent,
    )
    assert _row(database, key).status == "delivered"
    assert deliver_due(database, now=now + timedelta(hours=1), notifiers=[notifier]) == []


def test_the_same_push_enqueued_twice_is_kept_once(database: Database, now: datetime) -> None:
    alex = _user(database)
    first = _push(database, user_target(alex.id), now=now)
    second = _push(database, user_target(alex.id), now=now)  # a repeated sweep, another process
    assert first == second
    with database.transaction() as session:
        assert session.query(OutboxMessage).count() == 1
        assert (
            enqueue(
                session, [Push(first, "reminder", user_target(alex.id), Reply("x"), now)], now=now
            )
            == 0
        )
