"""`crmbot jobs run-once|list`: run the scheduled jobs by hand, and see what is scheduled."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, NowOption, clear_errors, fail, parse_now

jobs_app = typer.Typer(
    help="Scheduled nudges, alerts, campaigns and digests.", no_args_is_help=True
)


@jobs_app.command("run-once")
def run_once_command(
    db: DbOption = None,
    now: NowOption = None,
    wait: float = typer.Option(
        0.0, "--wait", min=0, help="Seconds to wait for the job lease if a bot holds it."
    ),
) -> None:
    """Run every job due at --now (default: the current time) once and print what it
    delivered through the console."""
    from crm_core.database import open_database
    from jobs.notifier import ConsoleNotifier
    from jobs.runner import run_all

    clock = parse_now(now)
    with clear_errors():
        database = open_database(db)
        try:
            result = run_all(
                database, now=clock, notifiers=[ConsoleNotifier()], wait_for_lease=wait
            )
        finally:
            database.dispose()
    for delivery in result.deliveries:
        if delivery.status != "delivered" or delivery.possible_duplicate or delivery.reason:
            typer.echo(delivery.line())
    enqueued = ", ".join(f"{name} {n}" for name, n in result.enqueued.items() if n) or "nothing"
    typer.echo(
        f"run-once at {clock.isoformat(timespec='minutes')}: {result.count('delivered')} "
        f"delivered, {result.count('skipped')} skipped, {result.count('deferred')} deferred, "
        f"{result.count('retry')} to retry, {result.count('failed')} failed "
        f"(new pushes: {enqueued})"
    )
    if result.errors:
        for name, error in result.errors.items():
            typer.echo(f"crmbot: sweep {name} failed: {error}", err=True)
        raise typer.Exit(1)


@jobs_app.command("list")
def list_command(db: DbOption = None) -> None:
    """Show the scheduled jobs (from the job store, once a bot has started them), who holds
    the job lease, and the pushes waiting in the outbox."""
    from sqlalchemy import func, inspect, select

    from crm_core.database import open_database
    from crm_core.models import OutboxMessage
    from jobs.clock import team_zone
    from jobs.lease import Lease
    from jobs.outbox import PENDING, SENDING
    from jobs.scheduler import JOBSTORE_TABLE, job_specs

    tz = team_zone()
    with clear_errors():
        database = open_database(db)
        try:
            typer.echo(f"{database.url}")
            stored = {}
            if inspect(database.engine).has_table(JOBSTORE_TABLE):
                from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

                store = SQLAlchemyJobStore(engine=database.engine, tablename=JOBSTORE_TABLE)
                try:
                    stored = {job.id: job for job in store.get_all_jobs()}
                except Exception as exc:  # a store written by an incompatible version
                    fail(f"cannot read the job store: {exc}")
            typer.echo("jobs:" if stored else "jobs (not started by a bot on this database yet):")
            for spec in job_specs():
                job = stored.get(spec["id"])
                nxt = (
                    f"next {job.next_run_time.astimezone(tz):%Y-%m-%d %H:%M:%S %Z}"
                    if job is not None and job.next_run_time
                    else "not scheduled"
                )
                typer.echo(
                    f"  {spec['id']:<26} every {spec['seconds']:>4}s  {nxt:<32} {spec['name']}"
                )
            held = Lease(database, owner="crmbot-jobs-list").holder()
            typer.echo(
                f"lease: held by {held[0]} until {held[1].astimezone(tz):%H:%M:%S %Z}"
                if held
                else "lease: free (no scheduler running)"
            )
            with database.transaction() as session:
                counts = dict(
                    session.execute(
                        select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(
                            OutboxMessage.status
                        )
                    ).all()
                )
                waiting = session.execute(
                    select(
                        OutboxMessage.due_at,
                        OutboxMessage.next_attempt_at,
                        OutboxMessage.kind,
                        OutboxMessage.target,
                        OutboxMessage.payload,
                        OutboxMessage.status,
                    )
                    .where(OutboxMessage.status.in_([PENDING, SENDING]))
                    .order_by(OutboxMessage.due_at, OutboxMessage.id)
                    .limit(20)
                ).all()
        finally:
            database.dispose()
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "empty"
    typer.echo(f"outbox: {summary}")
    for due, next_at, kind, target, payload, status in waiting:
        at = max(due, next_at) if next_at else due
        text = str(payload.get("text", "")).splitlines()[0][:80] if payload else ""
        mark = "" if status == PENDING else f" [{status}]"
        typer.echo(f"  {at.astimezone(tz):%Y-%m-%d %H:%M} {kind:<10} {target:<16} {text}{mark}")


def register(app: typer.Typer) -> None:
    app.add_typer(jobs_app, name="jobs")
