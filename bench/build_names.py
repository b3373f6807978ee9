"""Grow a demo PostgreSQL database's customers to N names, for name-resolution benchmarks only.

    crmbot demo --customers 200 --db postgresql://.../bench_names1m -q
    python bench/build_names.py --db postgresql://.../bench_names1m --customers 1000000
    python bench/bench_names.py --db postgresql://.../bench_names1m

A full `crmbot demo --customers 1000000` takes about 40 minutes because it writes ten million
interactions; resolving a name reads only the customers and their aliases, so this adds just
those, named by the demo's own generator (`crm_core.demo._company_names`, the same words, legal
forms and collisions, 8 % with an initials alias) and written with COPY: a million in about
30 s. Reports and whole-message figures still need the full build (bench/bench_scale.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_core.demo import FAMOUS_ALIASES, _company_names  # noqa: E402
from crm_core.names import name_key  # noqa: E402

ALIAS_SHARE = 0.08  # as crm_core.demo: initials for about one customer in twelve


def _initials(name: str) -> str | None:
    initials = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
    return initials if len(initials) >= 2 else None


def _next_id(cur: psycopg.Cursor[tuple[int]], table: str) -> int:
    row = cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
    return int(row[0]) if row else 1


def grow(url: str, customers: int, seed: int) -> tuple[int, int]:
    """Add customers (and their aliases) until there are `customers`; (added, aliases)."""
    url = url.replace("postgresql+psycopg://", "postgresql://")
    rng = random.Random(seed)
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        keys = {row[0] for row in cur.execute("SELECT name_key FROM customers")}
        owners = list(cur.execute("SELECT id, region FROM users WHERE role = 'rep'"))
        if not owners:
            raise SystemExit("no reps: build the database with `crmbot demo` first")
        cid = _next_id(cur, "customers")
        aid = _next_id(cur, "customer_aliases")
        added, aliases = 0, []
        columns = (
            "id, name, name_key, owner_id, region, lifecycle, industry, created_at, updated_at"
        )
        with cur.copy(f"COPY customers ({columns}) FROM STDIN") as copy:
            for name in _company_names(rng, 2 * customers):
                if len(keys) >= customers:
                    break
                key = name_key(name)
                if key in keys:
                    continue
                keys.add(key)
                owner_id, region = rng.choice(owners)
                when = "2026-01-01"
                copy.write_row((cid, name, key, owner_id, region, "customer", None, when, when))
                alias = FAMOUS_ALIASES.get(name)
                if alias is None and rng.random() < ALIAS_SHARE:
                    alias = _initials(name)
                if alias and name_key(alias) != key:
                    aliases.append((aid, cid, alias, name_key(alias)))
                    aid += 1
                cid += 1
                added += 1
        with cur.copy(
            "COPY customer_aliases (id, customer_id, alias, alias_key) FROM STDIN"
        ) as copy:
            for row in aliases:
                copy.write_row(row)
        for table in ("customers", "customer_aliases"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
        cur.execute("ANALYZE customers")
        cur.execute("ANALYZE customer_aliases")
        conn.commit()
    return added, len(aliases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="a PostgreSQL demo database")
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
