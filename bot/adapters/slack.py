"""Slack adapter (slack-bolt): events, the /crm command, buttons and the App Home tab, all
turned into `Message`s for the engine; replies rendered as Block Kit.

Acks: Bolt acknowledges events before the listener runs (process_before_response=False), and
commands and button clicks call ack() first, so Slack's 3-second limit never depends on the
database. In HTTP mode `crmbot serve slack` goes further and runs this adapter in engine
worker processes behind a front that only verifies and acknowledges (bot/adapters/
slack_workers.py): engine work holds the interpreter lock, and no thread can ack past it.
Retries: Slack re-sends an event it thinks was lost (X-Slack-Retry-Num); an event already
seen by this process is dropped, and the engine's per-message idempotency stops a
retry seen by another process from logging anything twice.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot import texts
from bot.adapters import attachments
from bot.engine import Engine
from bot.render import slack as render
from chat.message import Message
from chat.reply import Reply

log = logging.getLogger(__name__)

PLATFORM = "slack"
DEFAULT_API_URL = "https://slack.com/api/"
SIGNING_SECRET = re.compile(r"^[0-9a-f]{32}$")
# The block_id of a reply's buttons names the person the reply answers: only they may click.
ASKED = "crmbot-for-"


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


def home_team(client: WebClient) -> str:
    """The workspace the bot is installed in (auth.test); also proves the token works."""
    try:
        team = client.auth_test().get("team_id")
    except SlackApiError as exc:
        raise BoltError(f"auth.test failed: {exc.response.get('error')}") from exc
    if not team:
        raise BoltError("auth.test did not say which workspace the bot is installed in")
    return str(team)


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
        self._cache: dict[str, tuple[float, tuple[str | None, str | None]]] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> str | None:
        return self._lookup(user_id)[0]

    def team(self, user_id: str) -> str | None:
        """The workspace the person belongs to (users.info's team_id): a Slack Connect user
        from another organisation has theirs, not ours."""
        return self._lookup(user_id)[1]

    def _lookup(self, user_id: str) -> tuple[str | None, str | None]:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(user_id)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        name: str | None = None
        team: str | None = None
        try:
            user = self.client.users_info(user=user_id)["user"]
            profile = user.get("profile") or {}
            name = profile.get("real_name") or user.get("real_name") or user.get("name")
            team = user.get("team_id") or profile.get("team")
        except SlackApiError as exc:
            log.warning("users.info %s failed: %s", user_id, exc.response.get("error"))
        with self._lock:
            self._cache[user_id] = (now, (name, team))
        return name, team


class SlackAdapter:
    """Bolt listeners over one engine."""

    def __init__(
        self,
        engine: Engine,
        settings: SlackSettings,
        client: WebClient | None = None,
        clock: Callable[[], datetime] | None = None,
        team_id: str | None = None,
        *,
        verify: bool = True,
        listener_executor: Executor | None = None,
    ) -> None:
        """`verify=False` for an engine worker, fed requests the front has verified;
        `listener_executor`: the threads Bolt runs listeners on (a worker shuts them down,
        letting them finish, when it stops)."""
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
            request_verification_enabled=verify and settings.signing_secret is not None,
            listener_executor=listener_executor,
        )
        # The installing workspace: its members may enrol on first contact (see enrolment).
        self.team_id = team_id or home_team(self.client)
        engine.enrolment = engine.enrolment.with_slack_team(self.team_id)
        self._register()

    def _team(self, user: str, hint: object = None) -> str:
        """The sender's workspace: the event's own word for it (`user_team`, `user.team_id`),
        else users.info's; "" when neither says (then the person cannot enrol)."""
        if not user:
            return ""
        return str(hint or "") or self.names.team(user) or ""

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
        if event.get("subtype") == "message_changed":
            self._on_edit(event)
            return
        if event.get("bot_id") or event.get("subtype"):
            return  # our own posts, joins, deletions: not a person talking to us
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
            extra={"team": self._team(user, event.get("user_team"))},
        )
        self._answer(message, channel, thread_ts=event.get("thread_ts"))

    def _on_edit(self, event: dict[str, Any]) -> None:
        """A person edited a message they sent us: edits are not applied (acting on one would
        write a second record), and the person is told so rather than left believing it was.
        Slack also sends message_changed for link previews: only a changed text counts."""
        edited = event.get("message") or {}
        before = event.get("previous_message") or {}
        if edited.get("bot_id") or not edited.get("user"):
            return
        if edited.get("text", "") == before.get("text", ""):
            return  # an unfurl or an attachment, not an edit of the words
        if event.get("channel_type") != "im":
            return  # in channels a mention is answered once, in its thread; its edit is not ours
        channel, ts = event.get("channel", ""), str(edited.get("ts", ""))
        if not self.seen.first_time(f"{channel}:{ts}:edit:{event.get('event_ts', '')}"):
            return
        user = str(edited.get("user", ""))
        message = Message(
            platform=PLATFORM,
            user_id=user,
            channel=channel,
            text=edited.get("text", ""),
            time=self.clock(),
            message_id=f"{channel}:{ts}",
            user_name=self.names.get(user),
            thread_id=edited.get("thread_ts"),
            edited=True,
            extra={"team": self._team(user, edited.get("user_team"))},
        )
        self._answer(message, channel, thread_ts=edited.get("thread_ts") or ts)

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
            extra={"team": self._team(user, command.get("user_team"))},
        )
        reply = self._handle(message)
        for part in render.payloads(reply):
            respond(response_type="ephemeral", **part)
        if reply.attachment is not None:  # no ephemeral files: the chart goes to their DM
            attachments.slack_upload_private(self.client, user, reply.attachment)

    def _on_action(
        self, body: dict[str, Any], action: dict[str, Any], respond: Callable[..., Any]
    ) -> None:
        try:
            data = json.loads(action.get("value") or "{}")
        except json.JSONDecodeError:
            data = {}
        if not isinstance(data, dict) or not data.get("action"):
            data = {"action": "unreadable"}  # a value we never made: "That button doesn't work"
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id", ""
        )
        container = body.get("container") or {}
        message_ts = container.get("message_ts") or ""
        asked = _asked(body.get("message") or {})
        if asked and asked != user:  # someone else's question: leave it as it is
            self._private_note(respond, channel, user, asked)
            return
        message = Message(
            platform=PLATFORM,
            user_id=user,
            channel=channel,
            text="",
            time=self.clock(),
            # One click per (message, person, action, value): a replayed payload (or a
            # second click on the same button) is the same request; the engine answers it once.
            message_id=(
                f"action:{channel}:{message_ts or action.get('action_ts', '')}:{user}"
                f":{data.get('action') or ''}:{data.get('value') or ''}"
            ),
            user_name=self.names.get(user),
            action=str(data.get("action") or ""),
            action_value=str(data.get("value") or ""),
            thread_id=(body.get("message") or {}).get("thread_ts"),
            extra={"team": self._team(user, (body.get("user") or {}).get("team_id"))},
        )
        reply = self._handle(message)
        if container.get("is_ephemeral") and body.get("response_url"):
            # Only the person sees the question (a /crm answer): the answer takes its place,
            # through the click's response_url, which works in any channel, joined or not.
            self._answer_ephemeral(respond, reply, action, user, channel)
            return
        if channel and message_ts:
            if not self._close_buttons(
                channel, message_ts, body.get("message") or {}, action, user
            ):
                self._respond(respond, self._closed(body.get("message") or {}, action, user))
        if channel:
            if not self._post(channel, reply, thread_ts=message.thread_id, for_user=user):
                # Not in that channel (or refused there): tell the clicker alone, by response_url.
                for part in render.payloads(reply):
                    self._respond(
                        respond, {**part, "response_type": "ephemeral", "replace_original": False}
                    )
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
        self._post(channel, self._handle(message), thread_ts=thread_ts, for_user=message.user_id)

    def _post(
        self, channel: str, reply: Reply, thread_ts: str | None = None, for_user: str = ""
    ) -> bool:
        """Post the reply (several messages when it is long); False when Slack refused."""
        for payload in render.payloads(reply):
            for block in payload.get("blocks", []) if for_user else []:
                if block.get("type") == "actions":
                    block["block_id"] = f"{ASKED}{for_user}"
            try:
                self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, **payload)
            except SlackApiError as exc:
                log.error("chat.postMessage to %s failed: %s", channel, exc.response.get("error"))
                return False
        if reply.attachment is not None:  # a chart: after the text, best effort
            attachments.slack_upload(self.client, channel, reply.attachment, thread_ts)
        return True

    @staticmethod
    def _chose(action: dict[str, Any], user: str) -> dict[str, Any]:
        """A context block saying who pressed which button (in place of the buttons)."""
        label = html.unescape((action.get("text") or {}).get("text") or texts.SLACK_A_BUTTON)
        chose = texts.SLACK_CHOSE.format(user=user, label=render.escape(label))
        return {"type": "context", "elements": [{"type": "mrkdwn", "text": chose}]}

    def _closed(
        self, original: dict[str, Any], action: dict[str, Any], user: str
    ) -> dict[str, Any]:
        """The clicked message without its buttons, and who chose what (for chat.update or a
        response_url's replace_original)."""
        blocks = [b for b in original.get("blocks", []) if b.get("type") != "actions"]
        blocks.append(self._chose(action, user))
        label = (action.get("text") or {}).get("text") or texts.SLACK_A_BUTTON
        return {"blocks": blocks, "text": original.get("text") or label, "replace_original": True}

    def _close_buttons(
        self, channel: str, ts: str, original: dict[str, Any], action: dict[str, Any], user: str
    ) -> bool:
        """Replace the clicked message's buttons with who chose what, so a confirmation
        cannot be clicked twice; False when Slack would not update it."""
        closed = self._closed(original, action, user)
        try:
            self.client.chat_update(
                channel=channel, ts=ts, blocks=closed["blocks"], text=closed["text"]
            )
        except SlackApiError as exc:
            log.warning("chat.update failed: %s", exc.response.get("error"))
            return False
        return True

    def _answer_ephemeral(
        self,
        respond: Callable[..., Any],
        reply: Reply,
        action: dict[str, Any],
        user: str,
        channel: str,
    ) -> None:
        """Answer a click on an ephemeral message: the answer replaces the question (its
        buttons gone, who chose what above it), still seen by the clicker alone; a long
        answer goes on in further ephemeral messages. An expired response_url falls back to
        chat.postEphemeral (which needs the bot in the channel)."""
        for n, part in enumerate(render.payloads(reply)):
            if n == 0:
                part = {**part, "blocks": [self._chose(action, user), *part["blocks"]]}
            sent = self._respond(
                respond, {**part, "response_type": "ephemeral", "replace_original": n == 0}
            )
            if not sent and channel:
                try:
                    self.client.chat_postEphemeral(channel=channel, user=user, **part)
                except SlackApiError as exc:
                    log.warning("chat.postEphemeral failed: %s", exc.response.get("error"))

    @staticmethod
    def _respond(respond: Callable[..., Any], payload: dict[str, Any]) -> bool:
        """A message through the click's response_url (works in channels the bot is not in);
        False when there is none or Slack refused it (it expires after 30 minutes)."""
        try:
            response = respond(**payload)
        except Exception as exc:  # noqa: BLE001 - no response_url, or it expired
            log.warning("response_url failed: %s", exc)
            return False
        status = getattr(response, "status_code", 200)
        if isinstance(status, int) and status >= 400:
            log.warning("response_url refused the answer (HTTP %s)", status)
            return False
        return True

    def _private_note(
        self, respond: Callable[..., Any], channel: str, user: str, asked: str
    ) -> None:
        """Tell only the clicker that the question was someone else's (ephemeral)."""
        note = texts.NOT_YOUR_QUESTION.format(name=f"<@{asked}>")
        try:
            respond(text=note, response_type="ephemeral", replace_original=False)
            return
        except Exception as exc:  # noqa: BLE001 - no response_url: fall back to the Web API
            log.debug("respond failed (%s); posting an ephemeral note instead", exc)
        try:
            self.client.chat_postEphemeral(channel=channel, user=user, text=note)
        except SlackApiError as exc:
            log.warning("chat.postEphemeral failed: %s", exc.response.get("error"))

    def _publish_home(self, user: str) -> None:
        reply = self.engine.home(
            PLATFORM, user, self.clock(), self.names.get(user), team=self._team(user)
        )
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


def _asked(message: dict[str, Any]) -> str:
    """Whom a message's buttons were for ("" when anyone may click: pushes, old messages)."""
    for block in message.get("blocks") or []:
        if not isinstance(block, dict):
            continue
        block_id = str(block.get("block_id") or "")
        if block.get("type") == "actions" and block_id.startswith(ASKED):
            return block_id[len(ASKED) :]
    return ""
