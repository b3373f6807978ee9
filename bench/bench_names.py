"""Name-resolution benchmark: exact, misspelled and partial names, and the parser's per-message
name feed, each in its own read transaction, on an existing demo database.

    python bench/bench_names.py --db sqlite:////tmp/bench100k.db [--samples 1000]

Build the database once with `crmbot demo --customers 100000 --db URL` (minutes; reused
after). Target (issue #15): resolution p99 under 20 ms at 1 M customers on both engines.
The typed names are drawn with a fixed seed from the database's own customers, so two runs
on the same database type the same names.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_core.database import Database, open_database  # noqa: E402
from crm_core.models import Customer  # noqa: E402
from crm_core.services import customers, name_index  # noqa: E402


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def misspell(name: str, rng: random.Random) -> str:
    """One typo a person makes: a letter dropped, doubled, swapped with its neighbour or
    replaced by the key next to it, somewhere after the first letter."""
    letters = [i for i, ch in enumerate(name) if ch.isalpha() and i > 0]
    if not letters:
        return name + "x"
    i = rng.choice(letters)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2 and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + ("e" if name[i].lower() != "e" else "a") + name[i + 1 :]


def run(database: Database, label: str, queries: list[str], fn: Callable[..., object]) -> None:
    times = []
    for query in queries:
        with database.read() as session:
            t0 = time.perf_counter()
            fn(session, query)
            times.append((time.perf_counter() - t0) * 1000)
    print(
        f"  {label:<30} p50 {percentile(times, 50):7.2f} ms   p99 {percentile(times, 99):7.2f} ms"
        f"   (n={len(times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    database = open_database(args.db)
    rng = random.Random(args.seed)
    with database.read() as session:
        count = session.scalar(select(func.count(Customer.id))) or 0
        top = session.scalar(select(func.max(Customer.id))) or 0
        names: list[str] = []
        while len(names) < args.samples:
            wanted = [rng.randint(1, top) for _ in range(args.samples)]
            names += session.scalars(select(Customer.name).where(Customer.id.in_(wanted))).all()
        names = names[: args.samples]
    print(f"name benchmark on {args.db} ({count} customers, {database.engine.dialect.name})")
    run(database, "exact name", names, customers.resolve_customer)
    run(database, "misspelled name", [misspell(n, rng) for n in names], customers.resolve_customer)
    run(database, "first word only", [n.split()[0] for n in names], customers.resolve_customer)
    run(
        database,
        "gazetteer feed of a message",
        [f"log call with {n}, follow up Friday about the renewal" for n in names],
        name_index.names_in_text,
    )
    database.dispose()


if __name__ == "__main__":
    main()
