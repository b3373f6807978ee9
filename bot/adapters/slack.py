"""Slack adapter (slack-bolt): events, the /crm command, buttons and the App Home tab, all
turned into `Message`s for the engine; replies rendered as Block Kit.

Acks: Bolt acknowledges events before the listener runs (process_before_response=False), and
commands and button clicks call ack() first, so Slack's 3-second limit never depends on the
database. Retries: Slack re-sends an event it thinks was lost (X-Slack-Retry-Num); an event
already seen by this process is dropped, and the engine's per-message idempotency stops a
retry seen by another process from logging anything twice.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.engine import Engine
from bot.message import Message
from bot.render import slack as render
from bot.reply import Reply

log = logging.getLogger(__name__)

PLATFORM = "slack"
DEFAULT_API_URL = "https://slack.com/api/"
SIGNING_SECRET = re.compile(r"^[0-9a-f]{32}$")


class SlackConfigError(ValueError):
    """A Slack setting is missing or malformed; said in one line at start."""


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str | None
    app_token: str | None
    api_url: str

    @classmethod
    def from_env(cls, env: dict[str, str]) -> SlackSettings:
        token = env.get("SLACK_BOT_TOKEN", "").strip()
        if not token:
            raise SlackConfigError("SLACK_BOT_TOKEN is not set (the bot token, xoxb-...)")
        if not token.startswith("xoxb-"):
            raise SlackConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
        if app_token is not None and not app_token.startswith("xapp-"):
            raise SlackConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
        if app_token is None and secret is None:
            raise SlackConfigError(
                "SLACK_SIGNING_SECRET is not set (needed for HTTP mode; "
                "set SLACK_APP_TOKEN for Socket Mode instead)"
            )
        if secret is not None and not SIGNING_SECRET.match(secret):
            raise SlackConfigError(
                "SLACK_SIGNING_SECRET does not look like a Slack signing "
                "secret (32 hexadecimal characters)"
            )
        api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
        return cls(token, secret, app_token, api_url if api_url.endswith("/") else api_url + "/")


def make_client(settings: SlackSettings) -> WebClient:
    return make_client_for(settings.bot_token, settings.api_url)


def make_client_for(token: str, api_url: str) -> WebClient:
    """A Web API client that waits out rate limits (Retry-After) and retries 5xx and dropped
    connections, as slack_sdk's retry handlers do it."""
    return WebClient(
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class _DropTokenNotice(logging.Filter):
    """Bolt notes that it ignores SLACK_BOT_TOKEN when given a client: the client has it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be unused" not in record.getMessage()


BOLT_LOGGER = logging.getLogger("crmbot.slack.bolt")
BOLT_LOGGER.addFilter(_DropTokenNotice())


class _Seen:
    """Event ids this process has handled (bounded), to drop Slack's retries."""

    def __init__(self, size: int = 10_000) -> None:
        self._items: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        with self._lock:
            if key in self._items:
                return False
            self._items[key] = None
            if len(self._items) > self._size:
                self._items.popitem(last=False)
            return True


class UserNames:
    """users.info answers, cached for an hour: first contact needs a person's name, every
    message does not need a Web API call."""

    def __init__(self, client: WebClient, ttl: float = 3600.0) -> None:
        self.client = client
        self.ttl = ttl
        self._cache: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> str | None:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(user_id)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        name: str | None = None
        try:
            user = self.client.users_info(user=user_id)["user"]
            profile = user.get("profile") or {}
            name = profile.get("real_name") or user.get("real_name") or user.get("name")
        except SlackApiError as exc:
            log.warning("users.info %s failed: %s", user_id, exc.response.get("error"))
        with self._lock:
            self._cache[user_id] = (now, name)
        return name


class SlackAdapter:
    """Bolt listeners over one engine."""

    def __init__(
        self,
        engine: Engine,
        settings: SlackSettings,
        client: WebClient | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.client = client or make_client(settings)
        self.clock = clock or (lambda: datetime.now(engine.tz))
        self.names = UserNames(self.client)
        self.seen = _Seen()
        self.app = App(
            logger=BOLT_LOGGER,
            signing_secret=settings.signing_secret or "socket-mode-does-not-sign",
            client=self.client,
            process_before_response=False,
            request_verification_enabled=settings.signing_secret is not None,
        )
        self._register()

    # --- listeners -------------------------------------------------------------------
    def _register(self) -> None:
        app = self.app
        app.event("app_mention")(self._on_message_event)
        app.event("message")(self._on_message_event)
        app.event("app_home_opened")(self._on_home)
        app.command("/crm")(ack=self._ack, lazy=[self._on_command])
        app.action(re.compile(r".+"))(ack=self._ack, lazy=[self._on_action])
        app.error(self._on_error)

    def _on_message_event(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return  # our own posts, edits, joins: not a person talking to us
        if event.get("type") == "message" and event.get("channel_type") != "im":
            return  # in channels the bot answers mentions (app_mention) only
        channel, ts = event.get("channel", ""), event.get("ts", "")
        if not self.seen.first_time(f"{channel}:{ts}"):
            return
        user = event.get("user", "")
        message = Message(
            platform=PLATFORM,
            user_id=user,
            channel=channel,
            text=event.get("text", ""),
            time=self._time(ts),
            message_id=f"{channel}:{ts}",
            user_name=self.names.get(user),
            thread_id=event.get("thread_ts"),
        )
        self._answer(message, channel, thread_ts=event.get("thread_ts"))

    def _ack(self, ack: Callable[..., None]) -> None:
        """Acknowledge at once; the lazy listener does the work after Slack has its answer."""
        ack()

    def _on_command(self, command: dict[str, Any], respond: Callable[..., Any]) -> None:
        user = command.get("user_id", "")
        channel = command.get("channel_id", "")
        message = Message(
            platform=PLATFORM,
            user_id=user,
            channel=channel,
            text=command.get("text", ""),
            time=self.clock(),
            message_id=f"command:{command.get('trigger_id', '')}",
            user_name=self.names.get(user) or command.get("user_name"),
        )
        reply = self._handle(message)
        respond(response_type="ephemeral", **render.payload(reply))

    def _on_action(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        try:
            data = json.loads(action.get("value") or "{}")
        except json.JSONDecodeError:
            data = {}
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id", ""
        )
        container = body.get("container") or {}
        message_ts = container.get("message_ts") or ""
        message = Message(
            platform=PLATFORM,
            user_id=user,
            channel=channel,
            text="",
            time=self.clock(),
            message_id=f"action:{channel}:{message_ts}:{action.get('action_ts', '')}",
            user_name=self.names.get(user),
            action=str(data.get("action") or ""),
            action_value=str(data.get("value") or ""),
            thread_id=(body.get("message") or {}).get("thread_ts"),
        )
        reply = self._handle(message)
        if channel and message_ts:
            self._close_buttons(channel, message_ts, body.get("message") or {}, action, user)
        if channel:
            self._post(channel, reply, thread_ts=message.thread_id)
        else:  # a click in the App Home: refresh it
            self._publish_home(user)

    def _on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            self._publish_home(event.get("user", ""))

    def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed: %s", error, exc_info=error)

    # --- helpers ---------------------------------------------------------------------
    def _handle(self, message: Message) -> Reply:
        return self.engine.handle(message)

    def _answer(self, message: Message, channel: str, thread_ts: str | None) -> None:
        self._post(channel, self._handle(message), thread_ts=thread_ts)

    def _post(self, channel: str, reply: Reply, thread_ts: str | None = None) -> None:
        try:
            self.client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, **render.payload(reply)
            )
        except SlackApiError as exc:
            log.error("chat.postMessage to %s failed: %s", channel, exc.response.get("error"))

    def _close_buttons(
        self, channel: str, ts: str, original: dict[str, Any], action: dict[str, Any], user: str
    ) -> None:
        """Replace the clicked message's buttons with who chose what, so a confirmation
        cannot be clicked twice."""
        blocks = [b for b in original.get("blocks", []) if b.get("type") != "actions"]
        label = (action.get("text") or {}).get("text", "a button")
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"<@{user}> chose *{render.escape(label)}*"}
                ],
            }
        )
        try:
            self.client.chat_update(
                channel=channel, ts=ts, blocks=blocks, text=original.get("text") or label
            )
        except SlackApiError as exc:
            log.warning("chat.update failed: %s", exc.response.get("error"))

    def _publish_home(self, user: str) -> None:
        reply = self.engine.home(PLATFORM, user, self.clock(), self.names.get(user))
        try:
            self.client.views_publish(
                user_id=user, view={"type": "home", "blocks": render.blocks(reply)}
            )
        except SlackApiError as exc:
            log.error("views.publish for %s failed: %s", user, exc.response.get("error"))

    def _time(self, ts: str) -> datetime:
        try:
            return datetime.fromtimestamp(float(ts), self.engine.tz)
        except (TypeError, ValueError):
            return self.clock()
