"""`crmbot say` (one message) and `crmbot chat` (interactive console)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import typer

from bot.cli.common import DbOption, NowOption, clear_errors, parse_now

if TYPE_CHECKING:
    from bot.engine import Engine

UserOption = typer.Option(
    None, "--user", "-u", help="Console user name (default: $CRMBOT_USER, else your login)."
)


def _engine(db: str | None) -> Engine:
    from bot.engine import Engine
    from crm_core.database import open_database

    logging.basicConfig(level=logging.WARNING, format="crmbot: %(levelname)s %(message)s")
    return Engine(open_database(db))


def say(
    text: str = typer.Argument(..., help="What you would type in chat."),
    db: DbOption = None,
    user: str | None = UserOption,
    now: NowOption = None,
) -> None:
    """Send one message through the whole engine and print the reply."""
    from bot import console

    clock = parse_now(now)
    with clear_errors():
        engine = _engine(db)
        name = user or console.default_user()
        console.link_console_user(engine, name)
        typer.echo(console.say(engine, name, text, clock))


def chat(db: DbOption = None, user: str | None = UserOption, now: NowOption = None) -> None:
    """Interactive console chat: line editing and history, `help` for examples."""
    from datetime import datetime

    from bot import console

    start = parse_now(now)
    offset = start - datetime.now(start.tzinfo) if now else timedelta(0)
    with clear_errors():
        engine = _engine(db)
        name = user or console.default_user()
        console.link_console_user(engine, name)
        console.chat(engine, name, lambda: datetime.now(start.tzinfo) + offset)


def register(app: typer.Typer) -> None:
    app.command("say")(say)
    app.command("chat")(chat)
