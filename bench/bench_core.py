"""Core benchmark on a large demo database (default 100,000 customers, SQLite).

    python bench/bench_core.py [--db URL] [--customers N] [--rebuild]

Builds the database once with `crmbot demo` in a subprocess (timed, with its peak memory),
then measures: customer history and logging an interaction (p50/p99 over many calls, each
its own transaction), pipeline report by every grouping, forecast, and resolving a typed name.
Targets (issue #3): history and name resolution p99 < 20 ms, logging p99 < 10 ms, pipeline
and forecast < 300 ms, demo build peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm_core.database import open_database  # noqa: E402
from crm_core.models import AuditEntry, Customer, Interaction, User  # noqa: E402
from crm_core.periods import quarter_of  # noqa: E402
from crm_core.services import customers, history, interactions, reports  # noqa: E402
from crm_core.services.context import Actor  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def line(label: str, samples: list[float], target: float | None = None) -> None:
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    verdict = "" if target is None else ("  ok" if p99 < target else f"  OVER {target} ms")
    print(f"  {label:<34} p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   (n={len(samples)}){verdict}")


def build(url: str, customers_n: int) -> None:
    """A fresh demo database: a SQLite file is started anew (so an old file of any schema
    goes), a server database is emptied with --reset."""
    crmbot = str(Path(sys.executable).with_name("crmbot"))
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    t0 = time.perf_counter()
    subprocess.run(
        [
            crmbot,
            "demo",
            "--db",
            url,
            "--customers",
            str(customers_n),
            "--seed",
            "7",
            "--now",
            NOW.isoformat(),
            "--reset",
            "--quiet",
        ],
        check=True,
    )
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"  demo build ({customers_n} customers)      {elapsed:8.1f} s    peak memory "
        f"{peak_mb:7.0f} MB{'  ok' if peak_mb < 1024 else '  OVER 1 GB'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    data = ROOT / "bench" / ".data"
    parser.add_argument("--db", default=f"sqlite:///{data / 'bench100k.db'}")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    data.mkdir(exist_ok=True)
    print(f"core benchmark on {args.db}")
    database = open_database(args.db)
    with database.transaction() as s:
        count = s.scalar(select(func.count(Customer.id)))
    if args.rebuild or count != args.customers:
        database.dispose()
        build(args.db, args.customers)
        database = open_database(args.db)
    else:
        print(f"  using the existing database ({count} customers; --rebuild to time the build)")

    rng = random.Random(1)
    with database.transaction() as s:
        ids = s.scalars(select(Customer.id)).all()
        names = s.scalars(select(Customer.name).where(Customer.id.in_(rng.sample(ids, 400)))).all()
        rep = s.scalars(select(User).where(User.name == "alex")).one()
    sample_ids = [rng.choice(ids) for _ in range(args.samples)]

    it = iter(sample_ids)

    def one_history() -> None:
        with database.transaction() as s:
            history.customer_history(s, next(it), now=NOW)

    line("customer history", timed(one_history, args.samples), 20)

    actor = Actor(user_id=rep.id, label="bench", platform="bench")
    it2 = iter(sample_ids)
    counter = iter(range(10**9))

    def one_log() -> None:
        with database.transaction() as s:
            interactions.log_interaction(
                session=s,
                actor=Actor(actor.user_id, "bench", "bench", f"b{next(counter)}"),
                customer_id=next(it2),
                kind="call",
                summary="benchmark call",
                now=NOW,
                occurred_at=NOW - timedelta(minutes=5),
            )

    line("log an interaction", timed(one_log, args.samples), 10)
    with database.transaction() as s:
        s.execute(delete(Interaction).where(Interaction.source_platform == "bench"))
        s.execute(delete(AuditEntry).where(AuditEntry.actor_label == "bench"))

    t0 = time.perf_counter()
    with database.transaction() as s:
        reports.pipeline_report(s, group_by="stage")
    print(
        f"  pipeline, first call in a process    {1000 * (time.perf_counter() - t0):8.1f} ms "
        "(the win rates are read from counters kept on write: nothing to warm)"
    )
    for group in ("stage", "owner", "region", "month"):

        def one_report(group: str = group) -> None:
            with database.transaction() as s:
                reports.pipeline_report(s, group_by=group)

        line(f"pipeline report by {group}", timed(one_report, 20), 300)

    quarter = quarter_of(NOW.date())

    def one_forecast() -> None:
        with database.transaction() as s:
            reports.forecast(s, period=quarter)

    line("forecast this quarter (all reps)", timed(one_forecast, 20), 300)

    def one_forecast_rep() -> None:
        with database.transaction() as s:
            reports.forecast(s, period=quarter, owner_ids=[rep.id])

    line("forecast this quarter (one rep)", timed(one_forecast_rep, 20), 300)

    t0 = time.perf_counter()
    with database.transaction() as s:
        customers.resolve_customer(s, "acme")
    built_ms = 1000 * (time.perf_counter() - t0)
    print(f"  name index first build              {built_ms:8.1f} ms (once per process)")
    queries = []
    for name in names:
        words = name.split()
        queries += [
            name,
            words[0].lower(),
            name[:-2] if len(name) > 6 else name,
            name.replace("a", "e", 1),
        ]
    qit = iter(queries * (args.samples // len(queries) + 1))

    def one_resolve() -> None:
        with database.transaction() as s:
            customers.resolve_customer(s, next(qit))

    line("resolve a typed name", timed(one_resolve, args.samples), 20)
    database.dispose()
    print(f"  ({len(ids)} customers)")


if __name__ == "__main__":
    main()
