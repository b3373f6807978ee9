"""`crmbot users`: list, add and change people (roles, teams, regions, chat identities).

Whoever can run this command holds the database; it is the administrator's tool and needs no
chat role (an admin in chat can do the same through the engine later)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from bot.cli.common import DbOption, clear_errors, fail

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from crm_core.models import User

users_app = typer.Typer(
    help="People: list, add, set roles and teams, link chat ids.", no_args_is_help=True
)


def _find(session: Session, name: str) -> User:
    from crm_core.services import users

    user = users.find_user(session, name)
    if user is None:
        fail(f"no user called {name!r}")
    return user


@users_app.command("list")
def list_users(
    db: DbOption = None,
    team: str | None = typer.Option(None, help="Only this team."),
    all_users: bool = typer.Option(False, "--all", help="Include deactivated."),
) -> None:
    """List users with role, team, region and chat ids."""
    import sys

    from rich.console import Console
    from rich.table import Table

    from bot import format as fmt
    from crm_core.database import open_database
    from crm_core.services import users

    header = ["name", "display name", "role", "team", "region", "capacity", "ids", "active"]
    rows: list[list[str]] = []
    with clear_errors():
        database = open_database(db)
        with database.transaction() as session:
            for u in users.list_users(session, team=team, active_only=not all_users):
                ids = ", ".join(f"{i.platform}:{i.external_id}" for i in u.identities)
                rows.append(
                    [
                        u.name,
                        u.display_name,
                        u.role,
                        u.team or "",
                        u.region or "",
                        str(u.capacity),
                        ids,
                        "yes" if u.active else "no",
                    ]
                )
    if not sys.stdout.isatty():  # pipes and files get every character, unwrapped
        typer.echo(fmt.table([header, *rows]))
        return
    table = Table(*header)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="Handle, e.g. dana"),
    db: DbOption = None,
    display_name: str | None = typer.Option(None, "--display-name"),
    role: str = typer.Option("rep", help="rep, manager or admin"),
    team: str | None = typer.Option(None),
    region: str | None = typer.Option(None),
    capacity: int = typer.Option(50, help="Most live leads at once."),
    email: str | None = typer.Option(None),
    slack: str | None = typer.Option(None, help="Slack user id (U...)."),
    telegram: str | None = typer.Option(None, help="Telegram user id."),
) -> None:
    """Add a user."""
    from crm_core.database import open_database
    from crm_core.services import users
    from crm_core.services.context import Actor

    with clear_errors():
        database = open_database(db)
        actor = Actor.system("crmbot users")
        with database.transaction() as session:
            user = users.create_user(
                session=session,
                actor=actor,
                name=name,
                display_name=display_name,
                role=role,
                team=team,
                region=region,
                capacity=capacity,
                email=email,
            )
            for platform, external in (("slack", slack), ("telegram", telegram)):
                if external:
                    users.link_identity(
                        session=session,
                        actor=actor,
                        user_id=user.id,
                        platform=platform,
                        external_id=external,
                    )
        typer.echo(f"added {user.name} ({user.role})")


@users_app.command("set")
def set_user(
    name: str = typer.Argument(..., help="Handle or display name"),
    db: DbOption = None,
    role: str | None = typer.Option(None, help="rep, manager or admin"),
    team: str | None = typer.Option(None),
    region: str | None = typer.Option(None),
    capacity: int | None = typer.Option(None),
    active: bool | None = typer.Option(None, "--active/--inactive"),
    timezone: str | None = typer.Option(None, help="IANA zone for this person's digests."),
) -> None:
    """Change a user's role, team, region, capacity, time zone or activity."""
    from crm_core.database import open_database
    from crm_core.services import users
    from crm_core.services.context import Actor

    with clear_errors():
        database = open_database(db)
        with database.transaction() as session:
            user = _find(session, name)
            users.update_user(
                session=session,
                actor=Actor.system("crmbot users"),
                user_id=user.id,
                role=role,
                team=team,
                region=region,
                capacity=capacity,
                active=active,
                timezone=timezone,
            )
            typer.echo(
                f"{user.name}: role {user.role}, team {user.team or '-'}, "
                f"region {user.region or '-'}"
            )


@users_app.command("link")
def link(
    name: str = typer.Argument(...),
    platform: str = typer.Option(..., help="slack, telegram or console"),
    external_id: str = typer.Option(..., "--id", help="The platform's user id."),
    db: DbOption = None,
) -> None:
    """Link a chat identity (e.g. a Slack user id) to a user."""
    from crm_core.database import open_database
    from crm_core.services import users
    from crm_core.services.context import Actor

    with clear_errors():
        database = open_database(db)
        with database.transaction() as session:
            user = _find(session, name)
            users.link_identity(
                session=session,
                actor=Actor.system("crmbot users"),
                user_id=user.id,
                platform=platform,
                external_id=external_id,
            )
        typer.echo(f"linked {platform}:{external_id} to {name}")


@users_app.command("invite")
def invite(
    name: str = typer.Argument(..., help="Handle or display name of an existing user"),
    db: DbOption = None,
    days: int = typer.Option(7, help="Days the link stays valid (it works once)."),
    bot: str | None = typer.Option(
        None,
        help="The Telegram bot's username (default: $TELEGRAM_BOT_USERNAME, else asked of "
        "Telegram with $TELEGRAM_BOT_TOKEN).",
    ),
) -> None:
    """Print a one-time Telegram link that connects the person's Telegram account to NAME."""
    from datetime import UTC, datetime, timedelta

    from crm_core.database import open_database
    from crm_core.services import enrolment
    from crm_core.services.context import Actor

    username = _bot_username(bot)
    with clear_errors():
        database = open_database(db)
        with database.transaction() as session:
            user = _find(session, name)
            now = datetime.now(UTC)
            code = enrolment.create_invite(
                session=session,
                actor=Actor.system("crmbot users"),
                user_id=user.id,
                now=now,
                ttl=timedelta(days=days),
            )
            until = (now + timedelta(days=days)).strftime("%Y-%m-%d %H:%M UTC")
            typer.echo(
                f"Invite for {user.name}: send them this link; it works once, until {until}:"
            )
    typer.echo(f"https://t.me/{username}?start={code}")


def _bot_username(given: str | None) -> str:
    """The bot's @username for the deep link: given, configured, or from Telegram's getMe."""
    import asyncio
    import os
    import re

    username = (given or os.environ.get("TELEGRAM_BOT_USERNAME", "")).strip().lstrip("@")
    if not username:
        from telegram import Bot
        from telegram.error import TelegramError

        from bot.adapters.telegram import TelegramConfigError, TelegramSettings

        try:
            settings = TelegramSettings.from_env(dict(os.environ))
        except TelegramConfigError as exc:
            fail(f"{exc}; or give the bot's username with --bot")

        async def get_me() -> str:
            async with Bot(settings.token, base_url=settings.api_url) as telegram_bot:
                return (await telegram_bot.get_me()).username or ""

        try:
            username = asyncio.run(get_me())
        except TelegramError as exc:
            fail(f"cannot ask Telegram for the bot's username ({exc}); give it with --bot")
    if not re.fullmatch(r"[A-Za-z0-9_]{5,32}", username):
        fail(f"{username!r} is not a Telegram bot username")
    return username


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
