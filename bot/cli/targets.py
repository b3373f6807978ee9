"""`crmbot targets`: quotas per team or rep per period, which forecasts, the managers' weekly
digest and the forecast chart measure themselves against."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, clear_errors

targets_app = typer.Typer(help="Sales targets per team or rep and period.", no_args_is_help=True)


@targets_app.command("set")
def set_target(
    subject: str = typer.Argument(
        ..., help="A team (east) or a person (dana); team:NAME or user:NAME when both exist."
    ),
    period: str = typer.Argument(..., help="A quarter (2026-Q4), a month (2026-11) or a year."),
    amount: str = typer.Argument(..., help="The amount: 500k, 1.2M or 150000."),
    db: DbOption = None,
) -> None:
    """Set (or replace) a team's or a rep's target for a period."""
    from bot import format as fmt
    from crm_core.database import open_database
    from crm_core.services import targets
    from crm_core.services.context import Actor

    with clear_errors():
        parsed_period = targets.parse_period(period)
        parsed_amount = targets.parse_amount(amount)
        database = open_database(db)
        with database.transaction() as session:
            who = targets.resolve_subject(session, subject)
            targets.set_target(
                session=session,
                actor=Actor.system("cli"),
                subject=who,
                period=parsed_period,
                amount=parsed_amount,
            )
    typer.echo(f"target for {who.label}, {parsed_period.label}: {fmt.money(parsed_amount)}")


@targets_app.command("list")
def list_targets(
    db: DbOption = None,
    period: str | None = typer.Option(None, help="Only targets within this period (2026-Q4)."),
) -> None:
    """Show every target."""
    from bot import format as fmt
    from crm_core.database import open_database
    from crm_core.services import targets

    with clear_errors():
        within = targets.parse_period(period) if period else None
        database = open_database(db)
        with database.transaction() as session:
            rows = targets.list_targets(session, period=within)
    if not rows:
        typer.echo("no targets set: crmbot targets set east 2026-Q4 500k")
        return
    table = [["period", "for", "target"]] + [
        [r.period, r.subject, fmt.money(r.amount)] for r in rows
    ]
    typer.echo(fmt.table(table, right=[2]))


def register(app: typer.Typer) -> None:
    app.add_typer(targets_app, name="targets")
