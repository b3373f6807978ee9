"""Telegram adapter (python-telegram-bot 22): private chats, groups (when mentioned, replied
to, or addressed by command), shortcut commands, inline keyboards, and /link #channel.

The engine is synchronous (SQLAlchemy); each update runs it in a worker thread so the event
loop keeps polling. Outgoing messages go through PTB's AIORateLimiter, which spaces them out
within Telegram's limits and waits out a 429's retry_after.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, MessageEntityType, ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.engine import Engine
from bot.message import Message
from bot.render import telegram as render
from bot.reply import Reply
from crm_core.services import channels
from crm_core.services.context import Actor

log = logging.getLogger(__name__)

PLATFORM = "telegram"
DEFAULT_API_URL = "https://api.telegram.org/bot"
TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{5,}$")
# Shortcut commands: /name args -> the sentence the engine understands.
SHORTCUTS: dict[str, str] = {
    "log": "log {args}",
    "history": "what's going on with {args}",
    "lead": "new lead {args}",
    "deal": "new deal {args}",
    "pipeline": "pipeline {args}",
    "forecast": "forecast {args}",
    "tasks": "my tasks {args}",
    "leads": "my leads",
    "remind": "remind me {args}",
    "churn": "which customers might churn?",
    "undo": "undo",
    "cancel": "cancel",
    "help": "help",
}
COMMAND_HELP = [
    ("start", "your tasks and open deals"),
    ("help", "what I can do"),
    ("log", "log a call, email or meeting"),
    ("history", "a customer's history"),
    ("lead", "add a lead"),
    ("deal", "open a deal"),
    ("pipeline", "open pipeline"),
    ("forecast", "weighted forecast"),
    ("tasks", "your follow-ups"),
    ("leads", "your leads"),
    ("remind", "set a reminder"),
    ("churn", "customers at risk"),
    ("undo", "undo your last change"),
    ("cancel", "drop the current question"),
    ("link", "link this group to a #channel"),
]


class TelegramConfigError(ValueError):
    """A Telegram setting is missing or malformed; said in one line at start."""


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    api_url: str
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "0.0.0.0"
    port: int = 8443

    @classmethod
    def from_env(cls, env: dict[str, str]) -> TelegramSettings:
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise TelegramConfigError("TELEGRAM_BOT_TOKEN is not set (the token from @BotFather)")
        if not TOKEN.match(token):
            raise TelegramConfigError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters)"
            )
        api_url = env.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
        port = env.get("TELEGRAM_WEBHOOK_PORT", "8443").strip() or "8443"
        if not port.isdigit():
            raise TelegramConfigError("TELEGRAM_WEBHOOK_PORT must be a port number")
        return cls(
            token=token,
            api_url=api_url,
            webhook_url=env.get("TELEGRAM_WEBHOOK_URL", "").strip() or None,
            webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or None,
            listen=env.get("TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0").strip() or "0.0.0.0",
            port=int(port),
        )

    @property
    def file_url(self) -> str:
        return self.api_url.replace("/bot", "/file/bot") if "/bot" in self.api_url else self.api_url


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    rows = render.keyboard(reply)
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row]
            for row in rows
        ]
    )


class TelegramAdapter:
    def __init__(
        self,
        engine: Engine,
        settings: TelegramSettings,
        clock: Callable[[], datetime] | None = None,
        post_init: Callable[[Application], Any] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(engine.tz))
        builder = (
            ApplicationBuilder()
            .token(settings.token)
            .base_url(settings.api_url)
            .base_file_url(settings.file_url)
            .rate_limiter(AIORateLimiter(max_retries=3))
            .concurrent_updates(True)
        )
        if post_init is not None:
            builder = builder.post_init(post_init)
        self.application: Application = builder.build()
        self._register()

    def _register(self) -> None:
        app = self.application
        app.add_handler(CommandHandler("start", self.on_start))
        app.add_handler(CommandHandler("link", self.on_link))
        app.add_handler(CommandHandler(list(SHORTCUTS), self.on_shortcut))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.on_text))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)

    # --- handlers --------------------------------------------------------------------
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None or update.effective_message is None:
            return
        reply = await asyncio.to_thread(
            self.engine.home, PLATFORM, str(user.id), self.clock(), user.full_name
        )
        reply.text = (
            f"Hi {user.first_name}! I'm your CRM assistant: tell me about calls, "
            f"deals and follow-ups in plain words, or say “help”. {reply.text}"
        )
        await self._send(update.effective_message.chat_id, reply)

    async def on_shortcut(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        command = message.text.split()[0].lstrip("/").split("@")[0].lower()
        args = " ".join(context.args or [])
        text = SHORTCUTS.get(command, "help").format(args=args).strip()
        await self._converse(update, text)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        if message.chat.type != ChatType.PRIVATE and not self._addressed(update, context):
            return  # in groups, only what is said to the bot
        await self._converse(update, self._strip_mention(message.text, context))

    async def on_link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        name = (context.args or [""])[0]
        if message.chat.type == ChatType.PRIVATE or not name.startswith("#"):
            await message.reply_text(
                "Use /link #channel in a group, e.g. /link #sales, so alerts for #sales come here."
            )
            return
        user = update.effective_user
        actor = Actor(
            user_id=None,
            label=f"telegram:{user.id if user else '?'}",
            platform=PLATFORM,
            message_id=f"{message.chat_id}:{message.message_id}",
        )

        def link() -> str:
            with self.engine.database.transaction() as session:
                link = channels.link_channel(
                    session=session,
                    actor=actor,
                    platform=PLATFORM,
                    name=name,
                    conversation_id=str(message.chat_id),
                    title=message.chat.title,
                )
                return link.name

        try:
            linked = await asyncio.to_thread(link)
        except Exception as exc:  # a bad name is the person's to fix
            await message.reply_text(f"That didn't work: {exc}")
            return
        await message.reply_text(f"Linked: pushes for {linked} now come to this group.")

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        action, _, value = (query.data or "").partition("|")
        await query.answer()
        chat_id = query.message.chat.id
        message = Message(
            platform=PLATFORM,
            user_id=str(query.from_user.id),
            channel=str(chat_id),
            text="",
            time=self.clock(),
            message_id=f"callback:{query.id}",
            user_name=query.from_user.full_name,
            action=action,
            action_value=value,
        )
        reply = await asyncio.to_thread(self.engine.handle, message)
        try:  # the buttons have been used: take them away so they cannot be pressed twice
            await query.edit_message_reply_markup(reply_markup=None)
        except Exception as exc:  # noqa: BLE001 - editing is a nicety, never a failure
            log.debug("could not remove buttons: %s", exc)
        await self._send(chat_id, reply)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Telegram update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(
                    update.effective_chat.id,
                    "Sorry, something went wrong on my side and nothing was changed.",
                )
            except Exception:  # noqa: BLE001 - the apology is best effort
                log.debug("could not apologise", exc_info=True)

    # --- helpers ---------------------------------------------------------------------
    async def _converse(self, update: Update, text: str) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        incoming = Message(
            platform=PLATFORM,
            user_id=str(user.id),
            channel=str(message.chat_id),
            text=text,
            time=message.date.astimezone(self.engine.tz) if message.date else self.clock(),
            message_id=f"{message.chat_id}:{message.message_id}",
            user_name=user.full_name,
            thread_id=str(message.message_thread_id) if message.message_thread_id else None,
        )
        reply = await asyncio.to_thread(self.engine.handle, incoming)
        await self._send(
            message.chat_id,
            reply,
            reply_to=message.message_id if message.chat.type != ChatType.PRIVATE else None,
            thread=message.message_thread_id,
        )

    async def _send(
        self, chat_id: int, reply: Reply, reply_to: int | None = None, thread: int | None = None
    ) -> None:
        kwargs: dict[str, Any] = {}
        if reply_to is not None:
            kwargs["reply_to_message_id"] = reply_to
        if thread is not None:
            kwargs["message_thread_id"] = thread
        await self.application.bot.send_message(
            chat_id,
            render.text(reply),
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply),
            **kwargs,
        )

    def _addressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        message = update.effective_message
        assert message is not None
        username = (context.bot.username or "").lower()
        for entity in message.entities or ():
            if entity.type == MessageEntityType.MENTION:
                mention = message.parse_entity(entity).lstrip("@").lower()
                if mention == username:
                    return True
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)

    @staticmethod
    def _strip_mention(text: str, context: ContextTypes.DEFAULT_TYPE) -> str:
        username = context.bot.username or ""
        if not username:
            return text
        return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.I).strip()
