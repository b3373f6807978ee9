"""Concurrent writers on one busy customer: is every write kept, and kept once? (issue #11)

    python bench/bench_concurrency.py [--db sqlite|URL]... [--processes 8] [--writes 50]

8 processes, each a different rep, send 50 mixed writes (logged calls, reminders, new deals)
through the whole engine at once, all about one customer with 120 open deals (every logged
call touches them all). One write in ten is delivered twice, from another process at the
same moment, as a platform retry would be. Afterwards the database is counted per request:

- lost: a request answered with an error, or whose record is missing;
- duplicated: a request with more than one record (a retry that wrote again).

Both must be 0. Also printed: p50 / p99 / max time per write (from the first attempt to the
answer, retries included) and how many transactions were retried. Runs on a scratch SQLite
file and, given `--db postgresql://...`, on PostgreSQL (in a schema of its own, dropped after).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from crm_core.db import make_engine, session_factory  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CUSTOMER = "Acme"
SCHEMA = "crmbot_bench_concurrency"
KINDS = {
    "call": "log call with Acme",
    "reminder": "remind me to call Acme tomorrow at 10",
    "deal": "new deal Acme 5k closing Dec 15",  # with its close date: no question back
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _database(url: str, schema: str | None) -> Any:
    from crm_core.database import Database

    kwargs: dict[str, Any] = {}
    if schema:
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    engine = make_engine(url, **kwargs)
    return Database(engine, session_factory(engine))


def prepare(url: str, schema: str | None, reps: int, deals: int) -> None:
    """A fresh schema with `reps` reps (console identities rep1..repN) and one customer with
    `deals` open deals."""
    from crm_core import migrate
    from crm_core.models import Deal
    from crm_core.services import customers, users
    from crm_core.services.context import Actor

    if schema:
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        admin.dispose()
    database = _database(url, schema)
    migrate.upgrade(database.engine)
    system = Actor.system("bench")
    with database.transaction() as session:
        ids = []
        for n in range(1, reps + 1):
            user = users.create_user(
                session=session, actor=system, name=f"rep{n}", role="rep", team="east"
            )
            users.link_identity(
                session=session,
                actor=system,
                user_id=user.id,
                platform="console",
                external_id=f"rep{n}",
            )
            ids.append(user.id)
        customer = customers.create_customer(
            session=session, actor=system, name=CUSTOMER, owner_id=ids[0], lifecycle="customer"
        )
        session.add_all(
            Deal(
                customer_id=customer.id,
                name=f"Acme deal {n}",
                amount=Decimal(1000 + n),
                stage="qualification",
                owner_id=ids[n % len(ids)],
                last_activity_at=NOW - timedelta(days=30),
            )
            for n in range(deals)
        )
    database.dispose()


def plan(process: int, writes: int, replay: float, seed: int) -> list[tuple[str, str, bool]]:
    """(kind, request id, replayed by the neighbour process) for one process's writes."""
    rng = random.Random(seed * 1000 + process)
    kinds = list(KINDS)
    return [(rng.choice(kinds), f"p{process}-w{n}", rng.random() < replay) for n in range(writes)]


def worker(
    process: int,
    processes: int,
    url: str,
    schema: str | None,
    writes: int,
    replay: float,
    seed: int,
    ready: Any,
    start: Any,
    results: Any,
) -> None:
    """Load the parser, say ready, wait for the start, then send this process's writes and
    the neighbour's replays interleaved; report (request id, kind, ok, seconds, replay)."""
    import logging

    from bot.engine import Engine
    from chat.message import Message
    from crm_core import retry

    retried = Counter[str]()

    class _CountRetries(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            retried[str(record.args[1]) if isinstance(record.args, tuple) else "?"] += 1

    retry.log.addHandler(_CountRetries())
    retry.log.setLevel(logging.INFO)
    retry.log.propagate = False
    database = _database(url, schema)
    engine = Engine(database, tz=UTC, warm=True)
    engine.parser  # noqa: B018 - load it before the clock starts
    mine = plan(process, writes, replay, seed)
    neighbour = (process - 1) % processes
    theirs = [(k, rid) for k, rid, again in plan(neighbour, writes, replay, seed) if again]
    queue: list[tuple[str, str, bool]] = [(k, rid, False) for k, rid, _ in mine]
    for n, (kind, rid) in enumerate(theirs):  # replays land near the original's position
        position = min(len(queue), int(rid.rsplit("w", 1)[1]) + n)
        queue.insert(position, (kind, rid, True))
    ready.release()
    start.wait()
    out = []
    for kind, rid, is_replay in queue:
        sender = f"rep{int(rid[1:].split('-')[0]) + 1}"  # a replay comes from the same person
        began = time.perf_counter()
        reply = engine.handle(
            Message(
                platform="console",
                user_id=sender,
                channel=f"bench-{sender}",
                text=KINDS[kind],
                time=NOW + timedelta(seconds=int(rid.rsplit("w", 1)[1])),
                message_id=rid,
                user_name=sender,
            )
        )
        out.append((rid, kind, reply.ok, time.perf_counter() - began, is_replay, reply.text))
    results.put((process, out, dict(retried)))
    database.dispose()


def count(url: str, schema: str | None) -> dict[str, Counter[str]]:
    """Records per request id, by kind."""
    from crm_core.models import AuditEntry

    database = _database(url, schema)
    actions = {"call": "interaction.create", "reminder": "task.create", "deal": "deal.create"}
    found: dict[str, Counter[str]] = {}
    with database.transaction() as session:
        for kind, action in actions.items():
            found[kind] = Counter(
                {
                    str(rid): int(n)
                    for rid, n in session.execute(
                        select(AuditEntry.source_message_id, func.count())
                        .where(AuditEntry.action == action)
                        .group_by(AuditEntry.source_message_id)
                    )
                }
            )
    database.dispose()
    return found


def run(
    url: str, schema: str | None, processes: int, writes: int, deals: int, replay: float, seed: int
) -> dict[str, Any]:
    prepare(url, schema, processes, deals)
    ctx = mp.get_context("spawn")
    ready, start, results = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(
            target=worker,
            args=(p, processes, url, schema, writes, replay, seed, ready, start, results),
        )
        for p in range(processes)
    ]
    for w in workers:
        w.start()
    for _ in workers:
        ready.acquire()
    began = time.perf_counter()
    start.set()
    answers = [results.get() for _ in workers]
    wall = time.perf_counter() - began
    for w in workers:
        w.join()
    found = count(url, schema)
    requests: dict[str, str] = {}
    failed: list[tuple[str, str]] = []
    times: list[float] = []
    slowest: list[tuple[float, str]] = []
    retries: Counter[str] = Counter()
    for _, out, tried in answers:
        retries.update(tried)
        for rid, kind, ok, seconds, _is_replay, text in out:
            requests[rid] = kind
            times.append(seconds)
            slowest.append((seconds, rid))
            if not ok:
                failed.append((rid, text))
    lost = {rid for rid, kind in requests.items() if found[kind][rid] == 0}
    lost |= {rid for rid, _ in failed}
    duplicated = sum(max(0, found[kind][rid] - 1) for rid, kind in requests.items())
    if schema:
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()
    return {
        "requests": len(requests),
        "deliveries": len(times),
        "lost": len(lost),
        "duplicated": duplicated,
        "failed": failed[:5],
        "retries": retries,
        "p50": percentile(times, 0.50) * 1000,
        "p99": percentile(times, 0.99) * 1000,
        "max": max(times) * 1000 if times else 0.0,
        "wall": wall,
        "slowest": sorted(slowest, reverse=True)[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db",
        action="append",
        default=[],
        help="database URL, or “sqlite” for a scratch file (repeatable); default: a scratch "
        "SQLite file, plus PostgreSQL at $CRMBOT_BENCH_POSTGRES_URL when set",
    )
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--deals", type=int, default=120)
    parser.add_argument("--replay", type=float, default=0.1, help="share of writes sent twice")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="crmbot-concurrency-"))
    urls = [
        f"sqlite:///{scratch / 'bench.db'}" if url == "sqlite" else url
        for url in (args.db or ["sqlite"])
    ]
    if not args.db and os.environ.get("CRMBOT_BENCH_POSTGRES_URL"):
        urls.append(os.environ["CRMBOT_BENCH_POSTGRES_URL"])
    print(
        f"{args.processes} processes x {args.writes} writes (calls, reminders, deals) on one "
        f"customer with {args.deals} open deals; {args.replay:.0%} delivered twice at once"
    )
    bad = False
    try:
        for url in urls:
            schema = SCHEMA if url.startswith("postgres") else None
            r = run(url, schema, args.processes, args.writes, args.deals, args.replay, args.seed)
            backend = "PostgreSQL" if schema else "SQLite"
            print(
                f"{backend:<10} requests {r['requests']}, deliveries {r['deliveries']}: "
                f"lost {r['lost']}, duplicated {r['duplicated']}; "
                f"per write p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, max {r['max']:.0f} ms; "
                f"{sum(r['retries'].values())} transactions retried; {r['wall']:.1f} s in all"
            )
            if r["retries"]:
                why = ", ".join(f"{n} {name}" for name, n in r["retries"].most_common())
                print(f"           retried after: {why}")
            slow = ", ".join(f"{rid} {sec * 1000:.0f} ms" for sec, rid in r["slowest"])
            print(f"           slowest: {slow}")
            for rid, text in r["failed"]:
                print(f"           failed {rid}: {text}")
            bad = bad or r["lost"] > 0 or r["duplicated"] > 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
