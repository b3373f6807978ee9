"""No write lost to concurrency, none repeated, on SQLite and PostgreSQL: writers on one
busy customer, a request delivered twice at the same moment, two first messages from one new
person. Threads share one engine, as the Slack adapter's do; every transaction commits."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.engine import Engine
from chat.message import Message
from chat.reply import Reply
from crm_core.database import Database, open_database
from crm_core.db import session_factory
from crm_core.models import AuditEntry, Customer, Deal, User
from crm_core.services import customers, interactions, users
from crm_core.services.context import Actor
from tests.bot.conftest import NOW, TZ
from tests.conftest import drop_postgres_schema, postgres_schema_engine, worker_schema

SCHEMA = worker_schema("crmbot_concurrency_test")
WRITERS = 6
OPEN_DEALS = 60
KINDS = {
    "call": ("log call with Acme", "interaction.create"),
    "reminder": ("remind me to call Acme tomorrow at 10", "task.create"),
    "deal": ("new deal Acme 5k closing Dec 18", "deal.create"),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, template_db: Path, tmp_path: Path
) -> Iterator[Database]:
    """A real database (every transaction commits) with reps rep0..rep5 and Acme, a customer
    with 60 open deals."""
    if request.param == "sqlite":
        path = tmp_path / "busy.db"
        shutil.copy(template_db, path)
        db = open_database(f"sqlite:///{path}")
    else:
        engine = postgres_schema_engine(SCHEMA)
        db = Database(engine, session_factory(engine))
    system = Actor.system("tests")
    with db.transaction() as s:
        reps = []
        for n in range(WRITERS):
            rep = users.create_user(session=s, actor=system, name=f"rep{n}", team="east")
            users.link_identity(
                session=s, actor=system, user_id=rep.id, platform="console", external_id=rep.name
            )
            reps.append(rep.id)
        acme = customers.create_customer(
            session=s, actor=system, name="Acme", owner_id=reps[0], lifecycle="customer"
        )
        s.add_all(
            Deal(
                customer_id=acme.id,
                name=f"Acme deal {n}",
                amount=Decimal(1000 + n),
                stage="qualification",
                owner_id=reps[n % WRITERS],
                last_activity_at=NOW - timedelta(days=30),
            )
            for n in range(OPEN_DEALS)
        )
    yield db
    db.dispose()
    if request.param == "postgresql":
        drop_postgres_schema(SCHEMA)


def _together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..n-1) in n threads released at the same moment; their results in order."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def _message(user: str, text: str, message_id: str, minute: int) -> Message:
    return Message(
        platform="console",
        user_id=user,
        channel=f"dm-{user}",
        text=text,
        time=NOW + timedelta(minutes=minute),
        message_id=message_id,
        user_name=user,
    )


def _records(database: Database) -> dict[str, Counter[str]]:
    with database.transaction() as s:
        return {
            kind: Counter(
                {
                    str(rid): int(n)
                    for rid, n in s.execute(
                        select(AuditEntry.source_message_id, func.count())
                        .where(AuditEntry.action == action)
                        .group_by(AuditEntry.source_message_id)
                    )
                }
            )
            for kind, (_, action) in KINDS.items()
        }


def test_writers_on_one_busy_customer_lose_nothing_and_repeat_nothing(
    database: Database, parser: Any
) -> None:
    engine = Engine(database, parser, tz=TZ)
    kinds = list(KINDS)
    # Each writer sends its own six writes, and delivers its neighbour's at the same time
    # (a platform retry racing the original).
    plan = {w: [(kinds[(w + n) % 3], f"w{w}-{n}") for n in range(6)] for w in range(WRITERS)}

    def writer(w: int) -> list[tuple[str, Reply]]:
        out = []
        neighbour = (w + 1) % WRITERS
        for n in range(6):
            for who in (w, neighbour):
                kind, rid = plan[who][n]
                out.append((rid, engine.handle(_message(f"rep{who}", KINDS[kind][0], rid, n))))
        return out

    answers = [a for batch in _together(WRITERS, writer) for a in batch]
    failed = [(rid, reply.text) for rid, reply in answers if not reply.ok]
    assert failed == []
    records = _records(database)
    counts = {rid: records[kind][rid] for w in plan for kind, rid in plan[w]}
    assert counts == {rid: 1 for rid in counts}  # none lost, none twice
    by_request: dict[str, set[str]] = {}
    for rid, reply in answers:
        by_request.setdefault(rid, set()).add(reply.text)
    assert all(len(texts) == 1 for texts in by_request.values())  # both got the same answer
    with database.transaction() as s:
        stale = s.scalar(
            select(func.count(Deal.id)).where(Deal.last_activity_at == NOW - timedelta(days=30))
        )
    assert stale == 0  # the calls touched every open deal


def test_first_messages_from_one_new_person_all_succeed(database: Database, parser: Any) -> None:
    engine = Engine(database, parser, tz=TZ)

    def first_contact(n: int) -> Reply:
        return engine.handle(_message("newbie", "my tasks this week", f"first-{n}", 0))

    replies = _together(WRITERS, first_contact)
    assert [r.ok for r in replies] == [True] * WRITERS, [r.text for r in replies]
    with database.transaction() as s:
        assert s.scalar(select(func.count(User.id)).where(User.name == "newbie")) == 1


def test_concurrent_calls_lock_the_deals_in_one_order(database: Database) -> None:
    """Straight through the service, no retry: calls on one customer with many open deals
    must not deadlock each other (they did when each updated the deals in scan order)."""
    with database.transaction() as s:
        acme = s.scalars(select(Customer).where(Customer.name == "Acme")).one().id
        reps = list(s.scalars(select(User.id).where(User.name.like("rep%")).order_by(User.id)))

    def calls(w: int) -> int:
        for n in range(8):
            with database.transaction() as s:
                interactions.log_interaction(
                    session=s,
                    actor=Actor(reps[w], f"rep{w}", "console", f"svc-{w}-{n}"),
                    customer_id=acme,
                    kind="call",
                    now=NOW + timedelta(minutes=n, seconds=w),
                )
        return 8

    assert sum(_together(WRITERS, calls)) == WRITERS * 8


def test_the_parser_loads_before_the_write_transaction(
    template_db: Path, tmp_path: Path, parser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the parser takes seconds; done inside a SQLite write transaction it held the
    lock that long and other processes' writes failed with "database is locked"."""
    import intents

    path = tmp_path / "parser.db"
    shutil.copy(template_db, path)
    database = open_database(f"sqlite:///{path}")
    lock_during_load: list[str] = []

    def load() -> Any:
        probe = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            lock_during_load.append("free")
        except sqlite3.OperationalError:
            lock_during_load.append("held")
        finally:
            probe.close()
        return parser

    monkeypatch.setattr(intents.Parser, "load", staticmethod(load))
    engine = Engine(database, None, tz=TZ)
    reply = engine.handle(_message("alex", "log call with Initech", "p1", 0))
    assert reply.ok and lock_during_load == ["free"]
    database.dispose()
