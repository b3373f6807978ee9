"""Delivering scheduled pushes through Telegram: to a person's private chat (their Telegram
id) or to a group linked to a channel name with /link #sales.

Sends go through the running application's Bot (and so its rate limiter) on its event loop;
the scheduler calls from its own thread and waits for the result.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.adapters.telegram import keyboard
from bot.render import telegram as render
from bot.reply import Reply
from jobs.notifier import PermanentDeliveryError, PushTarget, TemporaryDeliveryError

log = logging.getLogger(__name__)
SEND_TIMEOUT = 30.0


class TelegramNotifier:
    platform = "telegram"

    def __init__(
        self, bot: Bot, loop: asyncio.AbstractEventLoop, channel_lookup: Callable[[str], str | None]
    ) -> None:
        self.bot = bot
        self.loop = loop
        self.channel_lookup = channel_lookup
        self._sent: set[str] = set()

    def _chat(self, target: PushTarget) -> str | None:
        if target.kind == "user":
            return target.identities.get(self.platform)
        return self.channel_lookup(target.channel or "")

    def can_deliver(self, target: PushTarget) -> bool:
        return self._chat(target) is not None

    def send(self, target: PushTarget, reply: Reply, *, key: str, kind: str = "") -> None:
        chat = self._chat(target)
        if chat is None:
            raise PermanentDeliveryError(
                f"no Telegram chat for {target.channel or target.display or target.user_id}"
            )
        coroutine = self.bot.send_message(
            int(chat), render.text(reply), parse_mode=ParseMode.HTML, reply_markup=keyboard(reply)
        )
        try:
            asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(SEND_TIMEOUT)
        except RetryAfter as exc:
            retry = exc.retry_after
            seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
            raise TemporaryDeliveryError("Telegram rate limit", retry_after=seconds) from exc
        except (Forbidden, InvalidToken) as exc:
            raise PermanentDeliveryError(f"Telegram refused: {exc}") from exc
        except BadRequest as exc:
            raise PermanentDeliveryError(f"Telegram refused: {exc}") from exc
        except (TimedOut, NetworkError, TimeoutError) as exc:
            raise TemporaryDeliveryError(f"Telegram unreachable: {exc}") from exc
        self._sent.add(key)

    def already_delivered(self, key: str) -> bool | None:
        """Known for this process's sends; Telegram cannot be asked afterwards."""
        return True if key in self._sent else None


def lookup_from(database: Any) -> Callable[[str], str | None]:
    from crm_core.services.channels import conversation_for

    def lookup(name: str) -> str | None:
        with database.transaction() as session:
            return conversation_for(session, "telegram", name)

    return lookup
