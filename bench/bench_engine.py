"""Whole-message handling, in process, on a large demo database (issue #5).

    python bench/bench_engine.py [--db URL] [--messages N]

Runs a realistic mix of chat messages (lookups, logging, deals, reports, reminders, lists)
as reps and a manager through `bot.engine.Engine`, each message its own transaction, and
reports p50/p99 per message and per kind. Writes are committed, so point it at a copy of the
benchmark database (the default copies bench/.data/bench100k.db to a scratch file).
Target: p50 under 15 ms, p99 under 50 ms, compound messages (several asks) included.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_core import percentile  # noqa: E402
from bot.console import link_console_user  # noqa: E402
from bot.engine import Engine  # noqa: E402
from chat.message import Message  # noqa: E402
from crm_core.database import open_database  # noqa: E402
from crm_core.models import Customer  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TEMPLATES = [
    ("history", "what's going on with {c}?"),
    ("history", "show me {c}"),
    ("log", "log call with {c}"),
    ("log", "had a meeting with {c} yesterday, follow up next Tuesday"),
    ("log", "emailed {c} the proposal"),
    ("deal", "new deal {c} 25k closing next month"),
    ("pipeline", "pipeline by stage"),
    ("forecast", "forecast for this quarter"),
    ("reminder", "remind me to call {c} tomorrow at 10"),
    ("tasks", "my tasks this week"),
    ("leads", "my leads"),
    ("deals", "which of my deals close next month?"),
    ("tasks", "what's overdue?"),
    ("history", "who owns {c}?"),
    (
        "compound",
        "called {c}, they agreed to 30k, move the deal to negotiation and remind me to send "
        "the contract tomorrow",
    ),
    ("unknown", "what's the weather like"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a scratch copy of the bench DB)")
    parser.add_argument("--source", default=str(ROOT / "bench" / ".data" / "bench100k.db"))
    parser.add_argument("--messages", type=int, default=1200)
    args = parser.parse_args()
    scratch = None
    url = args.db
    if url is None:
        source = Path(args.source)
        if not source.exists():
            sys.exit(f"{source} is missing: run `python bench/bench_core.py` first to build it")
        scratch = Path(tempfile.mkdtemp()) / "engine.db"
        shutil.copy(source, scratch)
        url = f"sqlite:///{scratch}"
    database = open_database(url)
    with database.transaction() as s:
        names = s.scalars(select(Customer.name).order_by(Customer.id).limit(20_000)).all()
    t0 = time.perf_counter()
    engine = Engine(database, tz=UTC, warm=True)
    print(f"engine benchmark on {url}")
    print(f"  start-up (parser load)  {time.perf_counter() - t0:6.2f} s")
    users = ["alex", "dana", "morgan"]
    for user in users:
        link_console_user(engine, user)
    rng = random.Random(5)
    samples: dict[str, list[float]] = defaultdict(list)
    statements: dict[str, list[float]] = defaultdict(list)
    sent: list[str] = []  # the statements of the message being handled
    event.listen(database.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    for n in range(args.messages):
        kind, template = rng.choice(TEMPLATES)
        name = rng.choice(names).split(",")[0]
        user = rng.choice(users)
        message = Message(
            platform="console",
            user_id=user,
            channel=f"bench-{user}",
            text=template.format(c=name),
            time=NOW + timedelta(seconds=n),
            message_id=f"bench-{n}",
            user_name=user,
        )
        sent.clear()
        started = time.perf_counter()
        reply = engine.handle(message)
        samples[kind].append((time.perf_counter() - started) * 1000)
        statements[kind].append(len(sent))
        if reply.buttons and any(b.action == "confirm" for b in reply.buttons):
            engine.handle(
                Message(
                    platform="console",
                    user_id=user,
                    channel=f"bench-{user}",
                    text="cancel",
                    time=NOW + timedelta(seconds=n, milliseconds=1),
                    message_id=f"bench-{n}-c",
                    user_name=user,
                )
            )
    everything = [x for values in samples.values() for x in values]
    p50, p99 = percentile(everything, 50), percentile(everything, 99)
    print(
        f"  all messages  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  (n={len(everything)})"
        f"  {'ok' if p50 < 15 and p99 < 50 else 'OVER target (p50 15 ms, p99 50 ms)'}"
    )
    for kind, values in sorted(samples.items()):
        print(
            f"    {kind:<10} p50 {percentile(values, 50):6.2f} ms  p99 "
            f"{percentile(values, 99):6.2f} ms  (n={len(values)})  "
            f"statements p50 {percentile(statements[kind], 50):3.0f}"
        )
    database.dispose()
    if scratch is not None:
        shutil.rmtree(scratch.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
