"""`crmbot demo`: create the database and fill it with demo data."""

from __future__ import annotations

import time

import typer

from bot.cli.common import DbOption, NowOption, clear_errors, parse_now


def demo(
    db: DbOption = None,
    customers: int = typer.Option(
        500,
        "--customers",
        min=1,
        max=1_000_000,
        help="How many customers (about 10 interactions each).",
    ),
    seed: int = typer.Option(7, "--seed", help="Random seed: same seed and --now, same data."),
    now: NowOption = None,
    reset: bool = typer.Option(False, "--reset", help="Wipe the database's CRM data first."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Create the database and fill it with realistic, reproducible demo data."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from crm_core import migrate
    from crm_core.database import open_database
    from crm_core.demo import build_demo

    clock = parse_now(now)
    with clear_errors():
        database = open_database(db)
        if reset:
            migrate.downgrade(database.engine, "base")
            migrate.upgrade(database.engine)
        started = time.perf_counter()
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=quiet,
            transient=False,
        ) as bar:
            task = bar.add_task("building demo", total=customers)

            def report(phase: str, done: int, total: int) -> None:
                bar.update(task, completed=done, description=f"building {phase}")

            summary = build_demo(
                database, customers=customers, seed=seed, now=clock, progress=report
            )
        database.dispose()
    typer.echo(
        f"{database.url}: {summary.users} users, {summary.customers} customers, "
        f"{summary.contacts} contacts, {summary.interactions} interactions, "
        f"{summary.leads} leads, {summary.deals} deals, {summary.tasks} tasks "
        f"in {time.perf_counter() - started:.1f}s"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
