"""Scheduler benchmark (issues #6 and #15).

    python bench/bench_jobs.py [--db URL] [--reminders N] [--postgres URL]
                               [--notifier file|terminal|slack|both|all] [--skip-alerts]

1. N (default 10,000) due reminders swept and delivered through the console notifier, on a
   fresh SQLite database and, with --postgres, in a fresh schema of that server (dropped
   afterwards): target < 10 s on both. Two notifiers, because delivery commits differently
   for them: `file` appends to a file it can read back (like Slack, it can say whether a key
   arrived), so its marks are committed once per window of pushes; `terminal` prints to a
   stream that cannot be asked (like Telegram), so each push is marked in its own commit.
   `slack` posts through the real slack_sdk client to the fake Slack Web API of the tests on
   127.0.0.1 (each rep a Slack identity, so every push is a DM): batched like `file`, since
   a Slack push can be looked up in its conversation's history; its figure includes the fake
   server's own work in this process.
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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm_core.database import open_database  # noqa: E402
from crm_core.db import normalise_url  # noqa: E402
from crm_core.models import AlertRule, Task, User  # noqa: E402
from crm_core.models.enums import Metric, Role  # noqa: E402
from crm_core.services.context import Actor  # noqa: E402
from crm_core.services.users import create_user, link_identity  # noqa: E402
from jobs.alerts import sweep_alerts  # noqa: E402
from jobs.notifier import ConsoleNotifier, Notifier  # noqa: E402
from jobs.runner import run_all  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DEMO_URL = f"sqlite:///{ROOT / 'bench' / '.data' / 'bench100k.db'}"


@contextmanager
def fresh_database(postgres: str | None) -> Iterator[str]:
    """A URL of an empty database: a SQLite file in a temporary folder, or a schema of its own
    on the PostgreSQL server (dropped afterwards), so every run starts from nothing."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'reminders.db'}"
        return
    schema = f"bench_jobs_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(postgres), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in postgres else "?"
    try:
        yield f"{postgres}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def bench_reminders(url: str, n: int, notifier: str) -> float:
    """Sweep and deliver N due reminders in one `run_all`; returns the seconds it took."""
    folder = tempfile.TemporaryDirectory()
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
        if notifier == "slack":
            for rep in reps:
                link_identity(
                    session=session,
                    actor=actor,
                    user_id=rep.id,
                    platform="slack",
                    external_id=f"U{rep.id:06d}",
                )
    stream = io.StringIO()
    fake = None
    if notifier == "slack":
        from slack_sdk import WebClient

        from bot.adapters.slack_notifier import SlackNotifier
        from tests.fakes.slack_api import FakeSlackAPI

        fake = FakeSlackAPI(token="xoxb-bench")
        for rep in reps:
            fake.add_user(f"U{rep.id:06d}", rep.name)
        fake.start()
        client = WebClient(token=fake.token, base_url=fake.url)

    def console() -> Notifier:
        if notifier == "slack":
            return SlackNotifier(client)
        if notifier == "file":
            return ConsoleNotifier(path=Path(folder.name) / "pushes.txt")
        return ConsoleNotifier(stream)

    engine = database.engine.dialect.name
    started = time.perf_counter()
    result = run_all(database, now=NOW, notifiers=[console()])
    elapsed = time.perf_counter() - started
    delivered = result.count("delivered")
    verdict = "ok" if elapsed < 10 and delivered == n else "OVER 10 s or incomplete"
    print(
        f"  {engine:<10} {notifier:<8} {n:,} due reminders swept and delivered: "
        f"{delivered:,} delivered in {elapsed:.2f} s  {verdict}"
    )
    again = time.perf_counter()
    repeat = run_all(database, now=NOW + timedelta(minutes=1), notifiers=[console()])
    print(
        f"  {engine:<10} {notifier:<8} the same sweep again (nothing new): "
        f"{repeat.count('delivered')} delivered in {time.perf_counter() - again:.2f} s"
    )
    database.dispose()
    folder.cleanup()
    if fake is not None:
        fake.stop()
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
        "--postgres",
        default=None,
        help="also run the reminders on this PostgreSQL server, in a schema of their own",
    )
    parser.add_argument(
        "--notifier", choices=("file", "terminal", "slack", "both", "all"), default="both"
    )
    parser.add_argument("--skip-alerts", action="store_true", help="only the reminder rows")
    args = parser.parse_args()
    print("jobs benchmark")
    notifiers = {"both": ("file", "terminal"), "all": ("file", "terminal", "slack")}.get(
        args.notifier, (args.notifier,)
    )
    for server in (None, *([args.postgres] if args.postgres else [])):
        for notifier in notifiers:
            with fresh_database(server) as url:
                bench_reminders(url, args.reminders, notifier)
    if not args.skip_alerts:
        bench_alerts(args.db)


if __name__ == "__main__":
    main()
