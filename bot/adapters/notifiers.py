"""The notifiers a serving process hands its scheduler: one per platform whose token is
configured, not only the platform it serves. Only the lease holder delivers, so whichever
process holds it must reach everyone: a Slack user's reminder and a Telegram group's alert
alike."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from typing import Any

from crm_core.database import Database
from jobs.notifier import Notifier


def slack_notifier_from_env(env: Mapping[str, str], client: Any = None) -> Notifier | None:
    from bot.adapters.slack import DEFAULT_API_URL, make_client_for
    from bot.adapters.slack_notifier import SlackNotifier

    token = env.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        return None
    return SlackNotifier(
        client or make_client_for(token, env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL)
    )


class _LoopThread:
    """An event loop of its own for a Telegram Bot used outside a Telegram process."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="crmbot-telegram-push", daemon=True
        )
        self.thread.start()

    def run(self, coroutine: Any, timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


def telegram_notifier_from_env(env: Mapping[str, str], database: Database) -> Notifier | None:
    from telegram import Bot

    from bot.adapters.telegram import TelegramSettings
    from bot.adapters.telegram_notifier import TelegramNotifier, lookup_from

    if not env.get("TELEGRAM_BOT_TOKEN", "").strip():
        return None
    settings = TelegramSettings.from_env(dict(env))
    runner = _LoopThread()
    bot = Bot(settings.token, base_url=settings.api_url, base_file_url=settings.file_url)
    runner.run(bot.initialize())
    return TelegramNotifier(bot, runner.loop, lookup_from(database))
