"""`crmbot serve slack` and `crmbot serve telegram`: an adapter plus the scheduler. Tokens
come from the environment; a missing or bad one is one line and exit 1.

Slack's HTTP mode runs the engine in worker processes (`--engine-workers`, see
bot/adapters/slack_workers.py) so that the process answering HTTP only verifies and
acknowledges; Socket Mode and Telegram run the engine in this process."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING

import typer

from bot.cli.common import DbOption, clear_errors, fail

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.adapters.scheduler_worker import SchedulerWorker
    from bot.engine import Engine
    from bot.logsafe import Redact
    from bot.observability import Observability
    from crm_core.database import Database
    from crm_core.services.enrolment import EnrolmentPolicy
    from jobs.notifier import Notifier
    from jobs.scheduler import CrmScheduler

serve_app = typer.Typer(help="Run a chat adapter (with the scheduler).", no_args_is_help=True)
SchedulerOption = typer.Option(
    True,
    "--scheduler/--no-scheduler",
    help="Run the scheduler (nudges, alerts, digests) in this process.",
)


SECRET_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
)


def setup_logging() -> Redact:
    """Log to stderr; every record is stripped of the secrets (tokens appear in URLs). Also
    what a Slack engine worker process does first."""
    from bot import logformat, logsafe

    try:  # plain lines, or one JSON object a line (CRMBOT_LOG_FORMAT=json)
        level = logformat.log_level(os.environ)
        kind = logformat.log_format(os.environ)
    except logformat.LogConfigError as exc:
        fail(str(exc))
    logging.basicConfig(level=level, stream=sys.stderr)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(logformat.formatter(kind))
    _LOG_FORMAT[0] = kind
    for noisy in ("httpx", "apscheduler", "slack_bolt.App", "telegram.ext", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return logsafe.install(os.environ.get(name) for name in SECRET_VARS)


_LOG_FORMAT = ["plain"]


def _say(line: str) -> None:
    """A start-up line for the person watching (where the bot listens): plain text, or a log
    record when the log is JSON, so that a collector gets one format only."""
    if _LOG_FORMAT[0] == "json":
        logging.getLogger("crmbot.serve").info("%s", line.removeprefix("crmbot: "))
    else:
        typer.echo(line, err=True)


def _enrolment() -> EnrolmentPolicy:
    from crm_core.services.enrolment import EnrolmentPolicy

    with clear_errors():
        return EnrolmentPolicy.from_env(os.environ)


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
    port: int = typer.Option(
        3000,
        envvar="CRMBOT_PORT",
        help="HTTP port for /slack/events, /healthz, /readyz and /metrics (0: any free port).",
    ),
    host: str = typer.Option("0.0.0.0", help="Address to listen on."),
    scheduler: bool = SchedulerOption,
    engine_workers: int = typer.Option(
        1,
        "--engine-workers",
        min=0,
        help="HTTP mode: engine worker processes behind the process that acknowledges "
        "(0: the engine in this process, whose acks then wait for it).",
    ),
) -> None:
    """Slack: HTTP mode at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_bolt.error import BoltError

    from bot.adapters.http_server import routes, serve
    from bot.adapters.slack import (
        SlackAdapter,
        SlackConfigError,
        SlackSettings,
        home_team,
        make_client,
    )
    from bot.adapters.slack_notifier import SlackNotifier
    from bot.adapters.slack_workers import EngineWorkers, WorkerConfig, front
    from bot.engine import Engine
    from bot.observability import Observability
    from crm_core.database import open_database
    from crm_core.settings import database_url

    setup_logging()
    try:
        settings = SlackSettings.from_env(dict(os.environ))
    except SlackConfigError as exc:
        fail(str(exc))
    with clear_errors():
        database = open_database(db, hide_parameters=True)
    client = make_client(settings)
    split = engine_workers > 0 and not settings.app_token  # see bot/adapters/slack_workers.py
    adapter = None
    try:
        with _quiet_start():
            if split:
                team = home_team(client)
                observer = Observability(database)
            else:
                engine = Engine(database, warm=True, enrolment=_enrolment())
                adapter = SlackAdapter(engine, settings, client)
                observer = _observe(engine)
    except BoltError as exc:
        fail(f"Slack refused the bot token: {exc}")
    except OSError as exc:
        fail(f"cannot reach the Slack API at {settings.api_url}: {exc}")
    workers = None
    if split:
        _enrolment()  # a bad setting is one line here, not a worker's traceback
        config = WorkerConfig(database_url(db), settings, team)
        workers = EngineWorkers(config, engine_workers, observer)
    jobs: CrmScheduler | SchedulerWorker | None = None
    if scheduler and split:
        from bot.adapters.scheduler_worker import SchedulerWorker

        # its jobs are Python work too: out of the process that acknowledges
        jobs = SchedulerWorker(database_url(db), settings, observer)
    elif scheduler:
        from bot.adapters.notifiers import telegram_notifier_from_env

        telegram_push = telegram_notifier_from_env(os.environ, database)
        jobs = _scheduler(database, [SlackNotifier(client), *filter(None, [telegram_push])])
        observer.watch_scheduler(jobs)
    _stop_on_sigterm()
    try:
        if settings.app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            assert adapter is not None  # Socket Mode keeps the engine in this process
            _health_listener(observer)
            _say("crmbot: Slack Socket Mode connecting")
            SocketModeHandler(adapter.app, settings.app_token).start()
        else:
            from bot.adapters.slack_guard import guard

            assert settings.signing_secret is not None  # HTTP mode needs it (from_env)
            inner = front(workers) if workers is not None else None
            if inner is None:
                assert adapter is not None
                inner = SlackRequestHandler(adapter.app)
            events = guard(inner, settings.signing_secret)
            wsgi = routes({"/slack/events": events, **observer.routes()})
            serve(
                wsgi,
                host,
                port,
                on_ready=lambda bound: _say(
                    f"crmbot: Slack events on http://{host}:{bound}/slack/events"
                ),
            )
    except KeyboardInterrupt:
        pass
    finally:
        if workers is not None:
            workers.close()
        if jobs is not None:
            jobs.shutdown()
        observer.close()
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

    redact = setup_logging()
    try:
        settings = TelegramSettings.from_env(dict(os.environ))
    except TelegramConfigError as exc:
        fail(str(exc))
    with clear_errors():
        database = open_database(db, hide_parameters=True)

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
            observer.watch_scheduler(holder["jobs"])

    engine = Engine(database, warm=True, enrolment=_enrolment())
    observer = _observe(engine)
    adapter = TelegramAdapter(engine, settings, post_init=post_init)
    _health_listener(observer)
    _say(
        f"crmbot: Telegram bot @{username} "
        f"{'webhook ' + settings.webhook_url if settings.webhook_url else 'polling'}"
    )
    # A webhook is never open to forged updates: without TELEGRAM_WEBHOOK_SECRET a random
    # secret is made for this run and registered with setWebhook; PTB answers 403 to any
    # update without it.
    webhook_secret = settings.webhook_secret or secrets.token_urlsafe(32)
    redact.secrets.append(webhook_secret)
    try:
        if settings.webhook_url:
            adapter.application.run_webhook(
                listen=settings.listen,
                port=settings.port,
                url_path="telegram",
                webhook_url=settings.webhook_url,
                secret_token=webhook_secret,
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
        observer.close()
        database.dispose()


def _observe(engine: Engine) -> Observability:
    """Metrics and readiness for this process; the engine's handling is counted and timed."""
    from bot.observability import Observability

    observer = Observability(engine.database)
    observer.instrument_engine(engine)
    return observer


def _health_listener(observer: Observability) -> None:
    """/healthz, /readyz and /metrics where crmbot has no HTTP server of its own (Socket
    Mode, Telegram): CRMBOT_HEALTH_HOST:CRMBOT_HEALTH_PORT, 127.0.0.1:8080 by default."""
    from bot.observability import HealthConfigError, listener_address

    try:
        host, port = listener_address(os.environ)
        bound, _ = observer.listen(host, port)
    except (HealthConfigError, OSError) as exc:
        fail(str(exc))
    _say(f"crmbot: health, readiness and metrics on http://{host}:{bound}/healthz")


def _scheduler(database: Database, notifiers: list[Notifier]) -> CrmScheduler:
    from jobs.scheduler import CrmScheduler

    jobs = CrmScheduler(database, notifiers=notifiers)
    jobs.start()
    return jobs


def register(app: typer.Typer) -> None:
    app.add_typer(serve_app, name="serve")
