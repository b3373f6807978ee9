"""`crmbot teams`: per-team scheduling settings (when a deal counts as stale, how soon a new
lead must be contacted, the digest hours)."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, clear_errors, fail

teams_app = typer.Typer(help="Per-team nudge and digest settings.", no_args_is_help=True)
LIMITS = {
    "stale_deal_days": (1, 365),
    "lead_contact_days": (1, 90),
    "digest_hour": (0, 23),
    "weekly_digest_weekday": (0, 6),
    "weekly_digest_hour": (0, 23),
}


@teams_app.command("list")
def list_teams(db: DbOption = None) -> None:
    """Show each team's settings (teams without a row use the defaults)."""
    from sqlalchemy import select

    from bot import format as fmt
    from crm_core.database import open_database
    from crm_core.models import User
    from jobs.team_config import DEFAULT, load_team_configs

    with clear_errors():
        database = open_database(db)
        with database.transaction() as session:
            configs = load_team_configs(session)
            teams = sorted(
                {t for t in session.scalars(select(User.team)) if t} | set(configs.by_team)
            )
    rows = [
        [
            "team",
            "stale after (days)",
            "contact leads within (days)",
            "digest hour",
            "weekly digest (weekday, hour)",
            "channel",
        ]
    ]
    for team in ["(default)", *teams]:
        c = DEFAULT if team == "(default)" else configs.for_team(team)
        rows.append(
            [
                team,
                str(c.stale_deal_days),
                str(c.lead_contact_days),
                str(c.digest_hour),
                f"{c.weekly_digest_weekday}, {c.weekly_digest_hour}",
                c.channel or "-",
            ]
        )
    typer.echo(fmt.table(rows))


@teams_app.command("set")
def set_team(
    team: str = typer.Argument(..., help="Team name, e.g. east"),
    db: DbOption = None,
    stale_days: int | None = typer.Option(
        None, help="Days without activity before a deal is nudged as stale."
    ),
    lead_days: int | None = typer.Option(None, help="Days after assignment to contact a lead."),
    digest_hour: int | None = typer.Option(None, help="Local hour of the morning digest."),
    weekly_day: int | None = typer.Option(None, help="Weekday of the managers' digest (0=Mon)."),
    weekly_hour: int | None = typer.Option(None, help="Local hour of the managers' digest."),
    channel: str | None = typer.Option(
        None, help="The team's channel (#product): customers' feedback for the team goes there."
    ),
) -> None:
    """Change a team's settings."""
    from crm_core.database import open_database
    from jobs.team_config import set_team_config, team_channel

    values: dict[str, int | str] = {
        k: v
        for k, v in {
            "stale_deal_days": stale_days,
            "lead_contact_days": lead_days,
            "digest_hour": digest_hour,
            "weekly_digest_weekday": weekly_day,
            "weekly_digest_hour": weekly_hour,
        }.items()
        if v is not None
    }
    if channel is not None:
        try:
            values["channel"] = team_channel(channel)
        except ValueError as exc:
            fail(str(exc), 2)
    if not values:
        fail(
            "nothing to change: give --stale-days, --lead-days, --digest-hour, "
            "--weekly-day, --weekly-hour or --channel",
            2,
        )
    for name, value in values.items():
        if isinstance(value, str):
            continue
        low, high = LIMITS[name]
        if not low <= value <= high:
            fail(f"{name.replace('_', ' ')} must be between {low} and {high}", 2)
    with clear_errors():
        database = open_database(db)
        with database.transaction() as session:
            set_team_config(session, team, **values)
    typer.echo(
        f"team {team.lower()}: "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in values.items())
    )


def register(app: typer.Typer) -> None:
    app.add_typer(teams_app, name="teams")
