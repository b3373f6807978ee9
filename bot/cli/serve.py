"""`crmbot serve slack` and `crmbot serve telegram`: an adapter plus the scheduler, in one
process. Tokens come from the environment; a missing or bad one is one line and exit 1."""

from __future__ import annotations

import logging
import os
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING

import typer

from bot.cli.common import DbOption, clear_errors, fail

if TYPE_CHECKING:
    from telegram.ext import Application

    from crm_core.database import Database
    from jobs.notifier import Notifier
    from jobs.scheduler import CrmScheduler

serve_app = typer.Typer(help="Run a chat adapter (with the scheduler).", no_args_is_help=True)
SchedulerOption = typer.Option(
    True,
    "--scheduler/--no-scheduler",
    help="Run the scheduler (nudges, alerts, digests) in this process.",
)


def _logging() -> None:
    level = os.environ.get("CRMBOT_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "apscheduler", "slack_bolt.App", "telegram.ext", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class _quiet_start:
    """Start-up checks end in one clear line; the client's retry chatter would bury it."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("slack_sdk")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)


def _stop_on_sigterm() -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


@serve_app.command("slack")
def slack(
    db: DbOption = None,
    port: int = typer.Option(3000, help="HTTP port for /slack/events (0: any free port)."),
    host: str = typer.Option("0.0.0.0", help="Address to listen on."),
    scheduler: bool = SchedulerOption,
) -> None:
    """Slack: HTTP mode at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_bolt.error import BoltError

    from bot.adapters.http_server import health, routes, serve
    from bot.adapters.slack import SlackAdapter, SlackConfigError, SlackSettings, make_client
    from bot.adapters.slack_notifier import SlackNotifier
    from bot.engine import Engine
    from crm_core.database import open_database

    _logging()
    try:
        settings = SlackSettings.from_env(dict(os.environ))
    except SlackConfigError as exc:
        fail(str(exc))
    with clear_errors():
        database = open_database(db)
    client = make_client(settings)
    try:
        with _quiet_start():
            adapter = SlackAdapter(Engine(database, warm=True), settings, client)
    except BoltError as exc:
        fail(f"Slack refused the bot token: {exc}")
    except OSError as exc:
        fail(f"cannot reach the Slack API at {settings.api_url}: {exc}")
    jobs = None
    if scheduler:
        from bot.adapters.notifiers import telegram_notifier_from_env

        telegram_push = telegram_notifier_from_env(os.environ, database)
        jobs = _scheduler(database, [SlackNotifier(client), *filter(None, [telegram_push])])
    _stop_on_sigterm()
    try:
        if settings.app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            typer.echo("crmbot: Slack Socket Mode connecting", err=True)
            SocketModeHandler(adapter.app, settings.app_token).start()
        else:
            wsgi = routes({"/slack/events": SlackRequestHandler(adapter.app), "/health": health})
            serve(
                wsgi,
                host,
                port,
                on_ready=lambda bound: typer.echo(
                    f"crmbot: Slack events on http://{host}:{bound}/slack/events", err=True
                ),
            )
    except KeyboardInterrupt:
        pass
    finally:
        if jobs is not None:
            jobs.shutdown()
        database.dispose()


@serve_app.command("telegram")
def telegram(db: DbOption = None, scheduler: bool = SchedulerOption) -> None:
    """Telegram: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set."""
    import asyncio

    from telegram import Bot, Update
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot.adapters.telegram import (
        COMMAND_HELP,
        TelegramAdapter,
        TelegramConfigError,
        TelegramSettings,
    )
    from bot.adapters.telegram_notifier import TelegramNotifier, lookup_from
    from bot.engine import Engine
    from crm_core.database import open_database

    _logging()
    try:
        settings = TelegramSettings.from_env(dict(os.environ))
    except TelegramConfigError as exc:
        fail(str(exc))
    with clear_errors():
        database = open_database(db)

    async def check() -> str:
        async with Bot(
            settings.token, base_url=settings.api_url, base_file_url=settings.file_url
        ) as bot:
            return (await bot.get_me()).username or ""

    try:
        username = asyncio.run(check())
    except InvalidToken:
        fail("Telegram refused TELEGRAM_BOT_TOKEN (Unauthorized)")
    except (NetworkError, TelegramError) as exc:
        fail(f"cannot reach the Telegram Bot API at {settings.api_url}: {exc}")
    holder: dict[str, CrmScheduler] = {}

    async def post_init(application: Application) -> None:
        app = application
        await app.bot.set_my_commands(COMMAND_HELP)
        if scheduler:
            from bot.adapters.notifiers import slack_notifier_from_env

            notifier = TelegramNotifier(
                app.bot,
                asyncio.get_running_loop(),
                lookup_from(database),
            )
            slack_push = slack_notifier_from_env(os.environ)
            holder["jobs"] = _scheduler(database, [notifier, *filter(None, [slack_push])])

    adapter = TelegramAdapter(Engine(database, warm=True), settings, post_init=post_init)
    typer.echo(
        f"crmbot: Telegram bot @{username} "
        f"{'webhook ' + settings.webhook_url if settings.webhook_url else 'polling'}",
        err=True,
    )
    try:
        if settings.webhook_url:
            adapter.application.run_webhook(
                listen=settings.listen,
                port=settings.port,
                url_path="telegram",
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            adapter.application.run_polling(
                allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=10
            )
    finally:
        jobs = holder.get("jobs")
        if jobs is not None:
            jobs.shutdown()
        database.dispose()


def _scheduler(database: Database, notifiers: list[Notifier]) -> CrmScheduler:
    from jobs.scheduler import CrmScheduler

    jobs = CrmScheduler(database, notifiers=notifiers)
    jobs.start()
    return jobs


def register(app: typer.Typer) -> None:
    app.add_typer(serve_app, name="serve")
