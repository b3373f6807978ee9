"""Scheduler benchmark (issue #6).

    python bench/bench_jobs.py [--db URL] [--reminders N] [--reminders-db URL]

1. N (default 10,000) due reminders swept and delivered through the console notifier (to a
   throwaway stream), on a fresh SQLite database (or --reminders-db): target < 10 s.
2. Every alert rule evaluated over the 100,000-customer demo database (--db, built with
   `crmbot demo` if missing): a few rules of every metric and scope, evaluated in one sweep
   inside a transaction that is rolled back afterwards: target < 1 s.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm_core.database import open_database  # noqa: E402
from crm_core.models import AlertRule, Task, User  # noqa: E402
from crm_core.models.enums import Metric, Role  # noqa: E402
from crm_core.services.context import Actor  # noqa: E402
from crm_core.services.users import create_user  # noqa: E402
from jobs.alerts import sweep_alerts  # noqa: E402
from jobs.notifier import ConsoleNotifier  # noqa: E402
from jobs.runner import run_all  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DEMO_URL = f"sqlite:///{ROOT / 'bench' / '.data' / 'bench100k.db'}"


def bench_reminders(url: str | None, n: int) -> float:
    tmp = None
    if url is None:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{Path(tmp.name) / 'reminders.db'}"
    database = open_database(url)
    with database.transaction() as session:
        actor = Actor.system("bench")
        reps = [
            create_user(session=session, actor=actor, name=f"benchrep{i}", role="admin")
            for i in range(50)
        ]  # admins: no morning digest mixed into the figures
        created = datetime.now(UTC)
        session.execute(
            insert(Task),
            [
                {
                    "kind": "reminder",
                    "text": f"call customer {i}",
                    "status": "open",
                    "due_at": NOW - timedelta(seconds=i % 3600),
                    "owner_id": reps[i % 50].id,
                    "target_user_id": reps[i % 50].id,
                    "snooze_count": 0,
                    "created_at": created,
                }
                for i in range(n)
            ],
        )
    stream = io.StringIO()
    started = time.perf_counter()
    result = run_all(database, now=NOW, notifiers=[ConsoleNotifier(stream)])
    elapsed = time.perf_counter() - started
    delivered = result.count("delivered")
    verdict = "ok" if elapsed < 10 and delivered == n else "OVER 10 s or incomplete"
    print(
        f"  {n} due reminders swept and delivered: {delivered} delivered, "
        f"{stream.getvalue().count(chr(10)):,} console lines in {elapsed:.2f} s  {verdict}"
    )
    again = time.perf_counter()
    repeat = run_all(database, now=NOW + timedelta(minutes=1), notifiers=[ConsoleNotifier(stream)])
    print(
        f"  the same sweep again (nothing new): {repeat.count('delivered')} delivered in "
        f"{time.perf_counter() - again:.2f} s"
    )
    database.dispose()
    if tmp is not None:
        tmp.cleanup()
    return elapsed


def ensure_demo(url: str) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    if url.startswith("sqlite:///") and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        crmbot = str(Path(sys.executable).with_name("crmbot"))
        print(f"  building {url} (about a minute)...", flush=True)
        subprocess.run(
            [
                crmbot,
                "demo",
                "--db",
                url,
                "--customers",
                "100000",
                "--seed",
                "7",
                "--now",
                NOW.isoformat(),
                "--quiet",
            ],
            check=True,
        )


def bench_alerts(url: str) -> float:
    ensure_demo(url)
    database = open_database(url)
    with database.sessions() as session, session.begin():
        users = list(
            session.scalars(
                select(User).where(User.role == Role.REP.value).order_by(User.id).limit(3)
            )
        )
        teams = sorted({u.team for u in users if u.team})
        admin = session.scalar(select(User).where(User.role == Role.ADMIN.value))
        rules = 0
        for metric in Metric:
            threshold = 30 if metric is Metric.STALE_DAYS else 100_000
            scopes = (
                [{"scope_owner_id": u.id} for u in users]
                + [{"scope_team": t} for t in teams]
                + [{}]
            )
            for scope in scopes:
                for comparator in ("<", ">"):
                    session.add(
                        AlertRule(
                            metric=metric.value,
                            comparator=comparator,
                            threshold=threshold,
                            created_by=admin.id if admin else None,
                            **scope,
                        )
                    )
                    rules += 1
        session.flush()
        started = time.perf_counter()
        fired = sweep_alerts(session, now=NOW)
        elapsed = time.perf_counter() - started
        verdict = "ok" if elapsed < 1 else "OVER 1 s"
        print(
            f"  {rules} alert rules ({len(Metric)} metrics x owner/team/everybody scopes x "
            f"< and >) evaluated, {fired} fired, in {elapsed * 1000:.0f} ms  {verdict}"
        )
        started = time.perf_counter()
        sweep_alerts(session, now=NOW + timedelta(minutes=5))
        print(f"  the same sweep again: {(time.perf_counter() - started) * 1000:.0f} ms")
        session.rollback()
    database.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEMO_URL, help="the 100,000-customer demo database")
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument(
        "--reminders-db",
        default=None,
        help="database for the reminder run (default: a fresh SQLite file)",
    )
    args = parser.parse_args()
    print("jobs benchmark")
    bench_reminders(args.reminders_db, args.reminders)
    bench_alerts(args.db)


if __name__ == "__main__":
    main()
