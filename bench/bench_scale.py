"""The costs that could grow with the data, side by side on databases of different sizes, with
the growth factor (issue #15).

    python bench/bench_scale.py --db 100k=sqlite:///bench/.data/bench100k.db \\
        --db 1M=sqlite:////tmp/bench1m.db [--db 100k-pg=postgresql://... --db 1M-pg=...]

Each database is measured in a fresh process of its own (so start-up and memory are that
process's): engine start-up, customer history, a misspelled name, the pipeline by stage /
owner / region, the forecast for all reps, and whole messages through the engine (a mix of
lookups, logging, deals, reports and reminders; writes are committed: point it at benchmark
databases). Build them with `crmbot demo --customers N --db URL` (1,000,000 customers: about
an hour on PostgreSQL, never in tests). The growth column divides the last database of an
engine by the first of the same engine. Targets at 1 M on both engines: name resolution
p99 under 20 ms, pipeline and forecast p99 under 150 ms, whole message p99 under 50 ms,
start-up under 3 s, memory under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
MESSAGES = [
    "what's going on with {c}?",
    "log call with {c}",
    "had a meeting with {c} yesterday, follow up next Tuesday",
    "new deal {c} 25k closing next month",
    "pipeline by stage",
    "forecast for this quarter",
    "remind me to call {c} tomorrow at 10",
    "who owns {c}?",
    "my tasks this week",
    "what's the weather like",
]
ROWS = [  # (label, key in a measurement, unit)
    ("engine start-up (imports, parser)", "startup", "s"),
    ("customer history p50 / p99", "history", "ms"),
    ("misspelled name p50 / p99", "misspelled", "ms"),
    ("pipeline by stage p50 / p99", "pipeline_stage", "ms"),
    ("pipeline by owner p50 / p99", "pipeline_owner", "ms"),
    ("pipeline by region p50 / p99", "pipeline_region", "ms"),
    ("forecast, all reps p50 / p99", "forecast", "ms"),
    ("whole message p50 / p99", "message", "ms"),
    ("statements per message p50", "statements", ""),
    ("peak memory of the process", "memory", "MB"),
]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def measure(url: str, samples: int) -> dict[str, Any]:
    """Every row of the table for one database, in this (fresh) process."""
    began = time.perf_counter()
    from sqlalchemy import event, func, select

    from bench.bench_names import misspell
    from bot.console import link_console_user
    from bot.engine import Engine
    from chat.message import Message
    from crm_core.database import open_database
    from crm_core.models import Customer
    from crm_core.periods import quarter_of
    from crm_core.services import customers, history, reports

    database = open_database(url)
    engine = Engine(database, tz=UTC, warm=True)
    startup = time.perf_counter() - began
    rng = random.Random(3)
    with database.read() as session:
        top = session.scalar(select(func.max(Customer.id))) or 0
        count = session.scalar(select(func.count(Customer.id))) or 0
        wanted = [rng.randint(1, top) for _ in range(samples * 2)]
        rows = session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(wanted)))
        picked = [(int(cid), str(name)) for cid, name in rows][:samples]

    def timed(fn: Callable[[Any, int, str], object]) -> tuple[float, float]:
        times = []
        for cid, name in picked:
            with database.read() as session:
                t0 = time.perf_counter()
                fn(session, cid, name)
                times.append((time.perf_counter() - t0) * 1000)
        return percentile(times, 50), percentile(times, 99)

    out: dict[str, Any] = {"customers": count, "startup": (startup,)}
    out["history"] = timed(lambda s, cid, _n: history.customer_history(s, cid, now=NOW))
    typos = {cid: misspell(name, rng) for cid, name in picked}
    out["misspelled"] = timed(lambda s, cid, _n: customers.resolve_customer(s, typos[cid]))
    for group in ("stage", "owner", "region"):

        def pipeline(s: Any, _c: int, _n: str, group: str = group) -> object:
            return reports.pipeline_report(s, group_by=group)

        out[f"pipeline_{group}"] = timed(pipeline)
    quarter = quarter_of(NOW.date())
    out["forecast"] = timed(lambda s, _c, _n: reports.forecast(s, period=quarter))
    link_console_user(engine, "alex")
    sent: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    times: list[float] = []
    counts: list[float] = []
    for n, (_cid, name) in enumerate(picked):
        text = rng.choice(MESSAGES).format(c=name.split(",")[0])
        message = Message(
            platform="console",
            user_id="alex",
            channel="bench-scale",
            text=text,
            time=NOW + timedelta(seconds=n),
            message_id=f"scale-{time.time_ns()}-{n}",
            user_name="alex",
        )
        sent.clear()
        t0 = time.perf_counter()
        engine.handle(message)
        times.append((time.perf_counter() - t0) * 1000)
        counts.append(len(sent))
    out["message"] = (percentile(times, 50), percentile(times, 99))
    out["statements"] = (percentile(counts, 50),)
    out["memory"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,)
    database.dispose()
    return out


def _cell(values: Any, unit: str) -> str:
    if values is None:
        return "-"
    shown = " / ".join(f"{v:.2f}" if unit == "s" else f"{v:.1f}" for v in values)
    return f"{shown} {unit}".strip()


def table(results: list[tuple[str, str, dict[str, Any]]]) -> str:
    """Markdown: a row per measurement, a column per database, then a growth column per
    engine (last / first database of that engine, on the last figure of a cell)."""
    engines: dict[str, list[int]] = {}
    for i, (_label, url, _r) in enumerate(results):
        engines.setdefault(url.split(":")[0].split("+")[0], []).append(i)
    grown = {e: (ix[0], ix[-1]) for e, ix in engines.items() if len(ix) > 1}
    head = ["", *(f"{label} ({r['customers']:,})" for label, _u, r in results)]
    head += [f"growth {e}" for e in grown]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for title, key, unit in ROWS:
        cells = [title, *(_cell(r.get(key), unit) for _l, _u, r in results)]
        for first, last in grown.values():
            a, b = results[first][2].get(key), results[last][2].get(key)
            cells.append(f"x{b[-1] / a[-1]:.1f}" if a and b and a[-1] else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", required=True, help="LABEL=URL, repeatable")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child process: measure this URL
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.samples)))
        return
    results = []
    for spec in args.db:
        label, _, url = spec.partition("=")
        if not url:
            sys.exit(f"--db wants LABEL=URL, not {spec!r}")
        print(f"measuring {label} ({url}) ...", file=sys.stderr, flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--db", spec, "--one", url, "--samples", str(args.samples)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        results.append((label, url, json.loads(child.stdout.strip().splitlines()[-1])))
    print(table(results))


if __name__ == "__main__":
    main()
