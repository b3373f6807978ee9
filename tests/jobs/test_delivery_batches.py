"""Delivery in batches and windows: a crash in the middle of a batch, and two passes at
once, still deliver every push exactly once (on SQLite and PostgreSQL).

Small BATCH and WINDOW (monkeypatched) put the crash past a batch boundary and inside a
window, with few rows."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from chat.reply import Reply
from crm_core.database import Database
from crm_core.models import OutboxMessage
from crm_core.services import users
from crm_core.services.context import Actor
from jobs import delivery
from jobs.delivery import UNCERTAIN, Delivery, deliver_due
from jobs.lease import Lease
from jobs.notifier import PushTarget
from jobs.outbox import SENDING, Push, enqueue, make_key, user_target
from tests.jobs.helpers import FakeNotifier

SYSTEM = Actor.system("tests")
PUSHES = 75


class Crash(BaseException):
    """The process dying: not an Exception, so nothing in the delivery job catches it."""


class CrashingNotifier(FakeNotifier):
    """Sends, then dies right after its `crash_at`-th send (before the mark is written)."""

    def __init__(self, crash_at: int, *, knows: dict[str, bool] | None) -> None:
        super().__init__(knows=knows)
        self.crash_at = crash_at

    def send(self, target: PushTarget, reply: Reply, *, key: str) -> None:
        super().send(target, reply, key=key)
        if len(self.sent) == self.crash_at:
            raise Crash


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "BATCH", 30)
    monkeypatch.setattr(delivery, "WINDOW", 10)


def _pushes(database: Database, now: datetime, n: int = PUSHES) -> list[str]:
    with database.transaction() as session:
        alex = users.create_user(session=session, actor=SYSTEM, name="alex")
        pushes = [
            Push(
                make_key("reminder", f"task-{i}", now),
                "reminder",
                user_target(alex.id),
                Reply(f"call customer {i}"),
                now - timedelta(seconds=n - i),  # due in this order
            )
            for i in range(n)
        ]
        assert enqueue(session, pushes, now=now) == n
    return [p.key for p in pushes]


def _statuses(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        return dict(
            session.execute(  # type: ignore[arg-type]
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )


def test_a_crash_mid_window_of_a_later_batch_is_settled_by_asking(
    database: Database, now: datetime
) -> None:
    keys = _pushes(database, now)
    first = CrashingNotifier(45, knows={})  # batch 2 (rows 31-60), its 2nd window (41-50)
    with pytest.raises(Crash):
        deliver_due(database, now=now, notifiers=[first])
    # batch 1 and the first window of batch 2 are marked; the window in flight is claimed
    # whole (41-50, of which 41-45 went out); batch 3 was never loaded
    assert _statuses(database) == {"delivered": 40, "sending": 10, "pending": 25}
    assert first.keys() == keys[:45]

    again = FakeNotifier(knows={key: True for key in first.keys()})  # the platform's record
    results = deliver_due(database, now=now + timedelta(minutes=1), notifiers=[again])
    confirmed = [d.key for d in results if d.reason == "confirmed after a restart"]
    assert confirmed == keys[40:45]  # sent before the crash: found, not sent again
    assert again.keys() == keys[45:]  # the rest of that window, then batch 3
    assert Counter(first.keys() + again.keys()) == Counter(keys)  # each exactly once
    assert not any(d.possible_duplicate for d in results)
    assert _statuses(database) == {"delivered": PUSHES}
    assert deliver_due(database, now=now + timedelta(hours=1), notifiers=[again]) == []


def test_a_notifier_that_cannot_be_asked_repeats_at_most_the_push_in_flight(
    database: Database, now: datetime
) -> None:
    keys = _pushes(database, now)
    first = CrashingNotifier(45, knows=None)  # a terminal, Telegram: one push a window
    with pytest.raises(Crash):
        deliver_due(database, now=now, notifiers=[first])
    # every push before the crash is marked; only the one in flight is "sending"; the rest
    # of batch 2 was never claimed
    assert _statuses(database) == {"delivered": 44, "sending": 1, "pending": 30}

    again = FakeNotifier()
    results = deliver_due(database, now=now + timedelta(minutes=1), notifiers=[again])
    assert again.keys() == keys[44:]
    flagged = [d.key for d in results if d.possible_duplicate]
    assert flagged == [keys[44]]  # the one push in flight: resent, and said so
    with database.transaction() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == keys[44]))
        assert row is not None and (row.status, row.last_error) == ("delivered", UNCERTAIN)
    assert _statuses(database) == {"delivered": PUSHES}


def _race(
    database: Database, now: datetime, notifiers: list[FakeNotifier], leases: list[Lease | None]
) -> list[list[Delivery]]:
    """Two delivery passes started together, in two threads."""
    start = threading.Barrier(2)
    out: list[list[Delivery]] = [[], []]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            out[i] = deliver_due(database, now=now, notifiers=[notifiers[i]], lease=leases[i])
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return out


def test_two_schedulers_racing_for_the_lease_deliver_each_push_once(
    database: Database, now: datetime
) -> None:
    keys = _pushes(database, now)
    notifiers = [FakeNotifier(knows={}), FakeNotifier(knows={})]
    leases: list[Lease | None] = [Lease(database, owner="a"), Lease(database, owner="b")]
    results = _race(database, now, notifiers, leases)
    assert Counter(notifiers[0].keys() + notifiers[1].keys()) == Counter(keys)
    assert sorted(len(r) for r in results) == [0, PUSHES]  # the lease holder did it all
    assert _statuses(database) == {"delivered": PUSHES}


class Interrupting(FakeNotifier):
    """Runs `meanwhile` (another pass) right after its `at`-th send, before going on: the
    other pass then finds this one's window claimed ("sending") and in flight."""

    def __init__(self, at: int, meanwhile: Callable[[], None], *, knows: dict[str, bool]):
        super().__init__(knows=knows)
        self.at = at
        self.meanwhile = meanwhile

    def send(self, target: PushTarget, reply: Reply, *, key: str) -> None:
        super().send(target, reply, key=key)
        if len(self.sent) == self.at:
            thread = threading.Thread(target=self.meanwhile)
            thread.start()
            thread.join(timeout=60)


def test_a_pass_started_while_another_is_sending_leaves_its_rows_alone_on_postgresql(
    database: Database, now: datetime
) -> None:
    """PostgreSQL, no lease: rows are claimed FOR UPDATE SKIP LOCKED, and a pass settles what
    a dead one left "sending" only when no other pass is alive (on SQLite, one process, the
    job lease keeps a second pass away)."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one deliverer, kept to one by the job lease")
    keys = _pushes(database, now)
    dead = keys[0]  # left "sending" by a process that died after sending it
    with database.transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.idempotency_key == dead)
            .values(status=SENDING, attempts=1)
        )
    second = FakeNotifier(knows={dead: True})
    late: list[Delivery] = []

    def second_pass() -> None:
        late.extend(deliver_due(database, now=now, notifiers=[second]))

    first = Interrupting(15, second_pass, knows={dead: True})
    early = deliver_due(database, now=now, notifiers=[first])
    # the second pass ran while rows 11-20 were claimed and 16-20 not yet sent: it left
    # them to the first, and took what was still pending
    assert late and second.keys() == keys[21:]
    assert first.keys() == keys[1:21]
    assert Counter(first.keys() + second.keys()) == Counter(keys[1:])  # each exactly once
    confirmed = [d.key for d in early + late if d.reason == "confirmed after a restart"]
    assert confirmed == [dead]  # settled once, by the pass that was alone
    assert _statuses(database) == {"delivered": PUSHES}
