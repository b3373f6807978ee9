"""Grow a demo database's customers to N names, for name-resolution benchmarks only.

    crmbot demo --customers 200 --db postgresql://.../bench_names1m -q
    python bench/build_names.py --db postgresql://.../bench_names1m --customers 1000000
    python bench/bench_names.py --db postgresql://.../bench_names1m

A full `crmbot demo --customers 1000000` takes about 40 minutes because it writes ten million
interactions; resolving a name reads only the customers and their aliases, so this adds just
those, named by the demo's own generator (`crm_core.demo._company_names`, the same words, legal
forms and collisions, 8 % with an initials alias) and written with COPY on PostgreSQL (a
million in about 30 s) or executemany on SQLite (its FTS5 search table and name words follow
by trigger).
Reports and whole-message figures still need the full build (bench/bench_scale.py).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_core.demo import FAMOUS_ALIASES, _company_names  # noqa: E402
from crm_core.names import name_key  # noqa: E402

ALIAS_SHARE = 0.08  # as crm_core.demo: initials for about one customer in twelve


def _initials(name: str) -> str | None:
    initials = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
    return initials if len(initials) >= 2 else None


CUSTOMER_COLUMNS = (
    "id, name, name_key, owner_id, region, lifecycle, industry, created_at, updated_at"
)
ALIAS_COLUMNS = "id, customer_id, alias, alias_key"
Row = tuple[object, ...]


def _new_rows(
    rng: random.Random,
    keys: set[str],
    owners: list[tuple[int, str]],
    ids: tuple[int, int],
    customers: int,
) -> tuple[list[Row], list[Row]]:
    """Customer and alias rows, named as the demo names them, until there are `customers`."""
    cid, aid = ids
    rows: list[Row] = []
    aliases: list[Row] = []
    for name in _company_names(rng, 2 * customers):
        if len(keys) >= customers:
            break
        key = name_key(name)
        if key in keys:
            continue
        keys.add(key)
        owner_id, region = rng.choice(owners)
        when = "2026-01-01 00:00:00"
        rows.append((cid, name, key, owner_id, region, "customer", None, when, when))
        alias = FAMOUS_ALIASES.get(name)
        if alias is None and rng.random() < ALIAS_SHARE:
            alias = _initials(name)
        if alias and name_key(alias) != key:
            aliases.append((aid, cid, alias, name_key(alias)))
            aid += 1
        cid += 1
    return rows, aliases


def _grow_postgresql(url: str, customers: int, rng: random.Random) -> tuple[int, int]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        cur = conn.cursor()
        keys = {str(row[0]) for row in cur.execute("SELECT name_key FROM customers")}
        owners = [(int(i), str(r)) for i, r in cur.execute(_OWNERS)]
        ids = tuple(_one(cur.execute(f"SELECT {_NEXT_ID.format(t)}")) for t in _TABLES)
        rows, aliases = _new_rows(rng, keys, _need(owners), (ids[0], ids[1]), customers)
        with cur.copy(f"COPY customers ({CUSTOMER_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cur.copy(f"COPY customer_aliases ({ALIAS_COLUMNS}) FROM STDIN") as copy:
            for row in aliases:
                copy.write_row(row)
        for table in _TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
        for table in _TABLES:
            cur.execute(f"ANALYZE {table}")
        conn.commit()
    return len(rows), len(aliases)


def _grow_sqlite(url: str, customers: int, rng: random.Random) -> tuple[int, int]:
    """The same rows by executemany; the FTS5 search table and the name words follow by
    their triggers (0009, 0013)."""
    conn = sqlite3.connect(url.split(":///", 1)[1])
    try:
        keys = {str(row[0]) for row in conn.execute("SELECT name_key FROM customers")}
        owners = [(int(i), str(r)) for i, r in conn.execute(_OWNERS)]
        ids = tuple(_one(conn.execute(f"SELECT {_NEXT_ID.format(t)}")) for t in _TABLES)
        rows, aliases = _new_rows(rng, keys, _need(owners), (ids[0], ids[1]), customers)
        with conn:
            conn.executemany(
                f"INSERT INTO customers ({CUSTOMER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.executemany(
                f"INSERT INTO customer_aliases ({ALIAS_COLUMNS}) VALUES (?, ?, ?, ?)", aliases
            )
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return len(rows), len(aliases)


_OWNERS = "SELECT id, region FROM users WHERE role = 'rep'"
_NEXT_ID = "coalesce(max(id), 0) + 1 FROM {}"
_TABLES = ("customers", "customer_aliases")


def _one(result: Iterable[Sequence[object]]) -> int:
    for row in result:
        value = row[0]
        return value if isinstance(value, int) else 1
    return 1


def _need(owners: list[tuple[int, str]]) -> list[tuple[int, str]]:
    if not owners:
        raise SystemExit("no reps: build the database with `crmbot demo` first")
    return owners


def grow(url: str, customers: int, seed: int) -> tuple[int, int]:
    """Add customers (and their aliases) until there are `customers`; (added, aliases)."""
    rng = random.Random(seed)
    if url.startswith("sqlite"):
        return _grow_sqlite(url, customers, rng)
    return _grow_postgresql(url, customers, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="a demo database (PostgreSQL or SQLite)")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    started = time.perf_counter()
    added, aliases = grow(args.db, args.customers, args.seed)
    print(
        f"{added:,} customers and {aliases:,} aliases added "
        f"in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
