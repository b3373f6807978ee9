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

from bot import texts
from bot.adapters import attachments
from bot.engine import Engine
from bot.render import telegram as render
from chat.message import Message
from chat.reply import Reply
from crm_core.errors import CrmError, PermissionDenied
from crm_core.services import channels, enrolment
from crm_core.services import users as user_service
from crm_core.services.context import Actor

log = logging.getLogger(__name__)

PLATFORM = "telegram"
DEFAULT_API_URL = "https://api.telegram.org/bot"
TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{5,}$")
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")  # what setWebhook's secret_token allows
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
COMMAND_HELP = texts.TELEGRAM_COMMANDS


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
        secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
        if secret and not WEBHOOK_SECRET.match(secret):
            raise TelegramConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or -"
            )
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
        user, message = update.effective_user, update.effective_message
        if user is None or message is None:
            return
        code = (context.args or [""])[0]
        welcome = ""
        if code and message.chat.type == ChatType.PRIVATE:  # an invite's deep link
            name, problem = await asyncio.to_thread(self._redeem, str(user.id), code, user)
            if problem is not None:
                await self._send(message.chat_id, Reply(texts.INVITE_PROBLEM[problem], ok=False))
                return
            welcome = texts.INVITE_WELCOME.format(name=name) + " "
        reply = await asyncio.to_thread(
            self.engine.home, PLATFORM, str(user.id), self.clock(), user.full_name
        )
        if reply.ok:  # a stranger gets the one line saying how to get access, nothing more
            reply.text = welcome + texts.TELEGRAM_START.format(
                name=user.first_name, home=reply.text
            )
        await self._send(message.chat_id, reply)

    def _redeem(self, external_id: str, code: str, user: Any) -> tuple[str, str | None]:
        """Link this Telegram account through an invite code: (display name, problem)."""
        with self.engine.database.transaction() as session:
            outcome = enrolment.redeem_invite(
                session=session,
                platform=PLATFORM,
                external_id=external_id,
                code=code,
                now=self.clock(),
                handle=getattr(user, "username", None),
            )
            return (outcome.user.display_name if outcome.user else "", outcome.problem)

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
        user = update.effective_user
        if user is None:
            return
        if message.chat.type == ChatType.PRIVATE or not name.startswith("#"):
            await message.reply_text(texts.LINK_USAGE)
            return
        answer = await asyncio.to_thread(
            self._link, str(user.id), name, message.chat_id, message.message_id, message.chat.title
        )
        await message.reply_text(answer)

    def _link(
        self, user_id: str, name: str, chat_id: int, message_id: int, title: str | None
    ) -> str:
        """Point #name at this group, if a manager or an admin asks; the answer to say."""
        with self.engine.database.transaction() as session:
            person = user_service.user_for_identity(session, PLATFORM, user_id)
            if person is None or not person.active:
                reason = self.engine.enrolment.refusal(PLATFORM, None) or "closed"
                return texts.NOT_ENROLLED[reason] if person is None else texts.INACTIVE
            actor = Actor(
                user_id=person.id,
                label=f"{PLATFORM}:{person.name}",
                platform=PLATFORM,
                message_id=f"{chat_id}:{message_id}",
                at=self.clock(),
            )
            try:
                linked = channels.link_channel(
                    session=session,
                    actor=actor,
                    platform=PLATFORM,
                    name=name,
                    conversation_id=str(chat_id),
                    title=title,
                )
            except PermissionDenied:
                return texts.LINK_NOT_ALLOWED
            except CrmError as exc:  # a bad name is the person's to fix
                return texts.LINK_FAILED.format(reason=exc)
            if linked.moved:
                before = linked.before_title or linked.before_conversation
                return texts.LINK_MOVED.format(name=linked.link.name, before=before)
            return texts.LINKED.format(name=linked.link.name)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        action, _, value = (query.data or "").partition("|")
        asked = _asked(query.message)
        if asked is not None and asked.id != query.from_user.id:
            # Someone else's question: the message stays as it is; only the clicker is told.
            await query.answer(
                texts.NOT_YOUR_QUESTION.format(name=asked.full_name)[:200], show_alert=True
            )
            return
        await query.answer()
        chat_id = query.message.chat.id
        message = Message(
            platform=PLATFORM,
            user_id=str(query.from_user.id),
            channel=str(chat_id),
            text="",
            time=self.clock(),
            # (message, person, button): a redelivered or repeated click is one request.
            message_id=f"callback:{chat_id}:{query.message.message_id}:{query.from_user.id}:"
            f"{query.data or ''}",
            user_name=query.from_user.full_name,
            action=action,
            action_value=value,
        )
        reply = await asyncio.to_thread(self.engine.handle, message)
        try:  # the buttons have been used: take them away so they cannot be pressed twice
            await query.edit_message_reply_markup(reply_markup=None)
        except Exception as exc:  # noqa: BLE001 - editing is a nicety, never a failure
            log.debug("could not remove buttons: %s", exc)
        # In a group the answer stays in reply to the asker's message, so that a follow-up
        # question is theirs alone to answer too.
        origin = getattr(query.message, "reply_to_message", None) if asked else None
        await self._send(chat_id, reply, reply_to=origin.message_id if origin else None)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Telegram update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, texts.TELEGRAM_APOLOGY)
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
            edited=update.edited_message is not None,
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
            kwargs["allow_sending_without_reply"] = True
        if thread is not None:
            kwargs["message_thread_id"] = thread
        parts = render.texts(reply)  # a long reply is several messages; buttons on the last
        for n, part in enumerate(parts):
            await self.application.bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply) if n == len(parts) - 1 else None,
                **kwargs,
            )
        if reply.attachment is not None:  # a chart: after the text, best effort
            await attachments.telegram_photo(
                self.application.bot, chat_id, reply.attachment, **kwargs
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


def _asked(message: Any) -> Any:
    """The person a group message of the bot answered (its reply_to_message's sender), whose
    buttons only they may press; None in private chats and for pushes."""
    if getattr(getattr(message, "chat", None), "type", None) == ChatType.PRIVATE:
        return None
    replied = getattr(message, "reply_to_message", None)
    sender = getattr(replied, "from_user", None)
    if sender is None or getattr(sender, "is_bot", False):
        return None
    return sender
