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

from bot.adapters import attachments
from bot.adapters.telegram import keyboard
from bot.render import telegram as render
from chat.reply import Attachment, Reply
from jobs.notifier import (
    PermanentDeliveryError,
    PushTarget,
    TemporaryDeliveryError,
    UncertainDeliveryError,
)

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
        self._parts: dict[str, int] = {}  # key -> messages of a long push already sent

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
        try:
            asyncio.run_coroutine_threadsafe(
                self._send_all(int(chat), reply, key), self.loop
            ).result(SEND_TIMEOUT)
        except RetryAfter as exc:
            retry = exc.retry_after
            seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
            raise TemporaryDeliveryError("Telegram rate limit", retry_after=seconds) from exc
        except (Forbidden, InvalidToken) as exc:
            raise PermanentDeliveryError(f"Telegram refused: {exc}") from exc
        except BadRequest as exc:
            raise PermanentDeliveryError(f"Telegram refused: {exc}") from exc
        except (TimedOut, TimeoutError) as exc:  # the message may have gone out all the same
            raise UncertainDeliveryError(f"Telegram did not answer in time: {exc}") from exc
        except NetworkError as exc:
            raise TemporaryDeliveryError(f"Telegram unreachable: {exc}") from exc
        self._sent.add(key)
        if reply.attachment is not None:  # after the text, best effort (see attachments)
            self._photo(int(chat), reply.attachment)

    def _photo(self, chat: int, attachment: Attachment) -> None:
        """The chart of a delivered push; a failure here must not make the push fail."""
        coroutine = attachments.telegram_photo(self.bot, chat, attachment)
        try:
            asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(SEND_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - the text went out; the picture is extra
            log.warning("push chart to %s not sent: %s", chat, exc)

    async def _send_all(self, chat: int, reply: Reply, key: str) -> None:
        """A long push is several messages (see render.telegram.texts), buttons on the last;
        a retry after a failure on a later part does not send the earlier ones again."""
        parts = render.texts(reply)
        for n, part in enumerate(parts):
            if n < self._parts.get(key, 0):
                continue
            await self.bot.send_message(
                chat,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply) if n == len(parts) - 1 else None,
            )
            self._parts[key] = n + 1

    def already_delivered(self, key: str, target: PushTarget | None = None) -> bool | None:
        """Known for this process's sends; Telegram cannot be asked afterwards."""
        return True if key in self._sent else None


def lookup_from(database: Any) -> Callable[[str], str | None]:
    from crm_core.services.channels import conversation_for

    def lookup(name: str) -> str | None:
        # a read: the delivery pass asks while its claim holds SQLite's write lock
        with database.read() as session:
            return conversation_for(session, "telegram", name)

    return lookup
