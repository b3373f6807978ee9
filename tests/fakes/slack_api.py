"""A fake Slack Web API on 127.0.0.1 for tests that use the real slack_sdk / slack_bolt.

    with FakeSlackAPI() as fake:
        client = WebClient(token=fake.token, base_url=fake.url)
        fake.add_channel("C1", "general")
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.messages("C1")[0]["text"] == "hi"

Every call is recorded (``calls``, ``count``, ``wait_for``); faults are injected per method
(``fail_next``, ``error_next``). Shapes follow the methods' pages on docs.slack.dev.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes._server import Call, FakeServer, Fault, parse_body

# Fields slack_sdk may send as JSON text inside a form body (or that a caller passes as str).
JSON_FIELDS = {
    "blocks",
    "attachments",
    "metadata",
    "view",
    "unfurls",
    "user_auth_blocks",
    "options",
    "files",
}
TRUE_VALUES = {"1", "true", "True", True}


def _decode_params(params: dict[str, Any]) -> dict[str, Any]:
    out = dict(params)
    for key in JSON_FIELDS & out.keys():
        value = out[key]
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                out[key] = json.loads(value)
            except ValueError:
                pass
    return out


def _truthy(value: Any) -> bool:
    return value in TRUE_VALUES


class FakeSlackAPI(FakeServer):
    """Fake Slack Web API. ``url`` is the ``base_url`` for slack_sdk (ends with ``/api/``)."""

    def __init__(
        self,
        token: str = "xoxb-test-token",
        signing_secret: str = "test-signing-secret",
        *,
        team_id: str = "T0TEST",
        team: str = "Test Workspace",
        bot_user_id: str = "UBOT",
        bot_user_name: str = "crmbot",
        bot_id: str = "B0BOT",
        app_id: str = "A0APP",
    ) -> None:
        super().__init__()
        self.token = token
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.team = team
        self.bot_user_id = bot_user_id
        self.bot_user_name = bot_user_name
        self.bot_id = bot_id
        self.app_id = app_id
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}  # insertion order = conversations.list order
        self._messages: dict[str, list[dict[str, Any]]] = {}  # channel -> oldest first
        self.ephemerals: list[dict[str, Any]] = []
        self.home_views: dict[str, dict[str, Any]] = {}  # user id -> last published view
        # files_upload_v2: URLs handed out (file id -> name, length), bytes received at them,
        # and the files shared by files.completeUploadExternal (see ``uploads``)
        self._upload_slots: dict[str, dict[str, Any]] = {}
        self._upload_bytes: dict[str, bytes] = {}
        self.files: list[dict[str, Any]] = []
        # The bot token's scopes that change an answer: with chat:write.public the bot may post
        # in a public channel it is not a member of (Slack's rule); without it, not_in_channel.
        self.scopes: set[str] = set()
        self._responses: dict[str, dict[str, Any]] = {}  # response_url name -> its origin
        self._dm_by_user: dict[str, str] = {}
        self._ts_base = 1_700_000_000
        self._ts_counter = itertools.count(100)
        self._ids = itertools.count(1)
        self._data_lock = threading.RLock()
        self.add_user(bot_user_id, bot_user_name, "CRM Bot", is_bot=True)

    # --- URLs ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """base_url for ``WebClient``/``AsyncWebClient``/bolt's client: ``http://127.0.0.1:P/api/``."""
        return f"{self.root_url}/api/"

    # --- test data -------------------------------------------------------------------------
    def add_user(
        self,
        id: str,  # noqa: A002
        name: str,
        real_name: str = "",
        *,
        email: str | None = None,
        display_name: str | None = None,
        tz: str = "Europe/Berlin",
        tz_offset: int = 3600,
        is_bot: bool = False,
        is_admin: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
    ) -> dict[str, Any]:
        """A person users.info knows; `team_id` other than the fake's own makes them a Slack
        Connect user from another organisation."""
        real_name = real_name or name
        team_id = team_id or self.team_id
        user: dict[str, Any] = {
            "id": id,
            "team_id": team_id,
            "name": name,
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": tz_offset,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": display_name if display_name is not None else name,
                "display_name_normalized": display_name if display_name is not None else name,
                "email": email if email is not None else f"{name}@example.com",
                "team": team_id,
            },
            "is_admin": is_admin,
            "is_owner": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": self._ts_base,
        }
        if is_bot:
            user["profile"]["bot_id"] = self.bot_id
        with self._data_lock:
            self.users[id] = user
        return user

    def add_channel(
        self,
        id: str,  # noqa: A002
        name: str,
        *,
        is_private: bool = False,
        is_member: bool = True,
        is_archived: bool = False,
        topic: str = "",
        purpose: str = "",
        num_members: int = 2,
    ) -> dict[str, Any]:
        channel = {
            "id": id,
            "name": name,
            "is_channel": not is_private,
            "is_group": is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": is_private,
            "created": self._ts_base,
            "is_archived": is_archived,
            "is_general": name == "general",
            "unlinked": 0,
            "name_normalized": name,
            "is_shared": False,
            "is_org_shared": False,
            "is_member": is_member,
            "creator": "U0CREATOR",
            "topic": {"value": topic, "creator": "", "last_set": 0},
            "purpose": {"value": purpose, "creator": "", "last_set": 0},
            "num_members": num_members,
        }
        with self._data_lock:
            self.channels[id] = channel
            self._messages.setdefault(id, [])
        return channel

    def add_message(self, channel: str, text: str, user: str, **extra: Any) -> dict[str, Any]:
        """Put a message from someone else into a channel's history (for conversations.history)."""
        with self._data_lock:
            msg = {"type": "message", "user": user, "text": text, "ts": self._next_ts(), **extra}
            self._messages.setdefault(channel, []).append(msg)
            return msg

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Stored messages (oldest first), of one channel or of all channels."""
        with self._data_lock:
            if channel is not None:
                return [dict(m) for m in self._messages.get(channel, [])]
            return [dict(m, channel=c) for c, ms in self._messages.items() for m in ms]

    def response_url(
        self,
        name: str,
        *,
        channel: str,
        user: str,
        message_ts: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url as Slack puts in a slash command (no `message_ts`) or a click on a
        message (`message_ts`; `ephemeral` when only `user` sees it). Posting to it answers
        like Slack: `replace_original` replaces that message (an ephemeral one in
        ``ephemerals``), `delete_original` removes it, otherwise a new message goes to the
        channel (`response_type: in_channel`, whether or not the bot is a member) or, by
        default, to ``ephemerals`` for the user. Unregistered names are only recorded."""
        with self._data_lock:
            self._responses[name] = {
                "channel": channel,
                "user": user,
                "message_ts": message_ts,
                "ephemeral": ephemeral,
            }
        return f"{self.url}response/{name}"

    def ephemeral(self, message_ts: str) -> dict[str, Any] | None:
        """The ephemeral message with that ts, as the person sees it now (None if deleted)."""
        with self._data_lock:
            for item in self.ephemerals:
                if item["message_ts"] == message_ts:
                    return dict(item)
        return None

    def dm_channel(self, user_id: str) -> str | None:
        """The DM channel id conversations.open gave for ``user_id`` (None if never opened)."""
        with self._data_lock:
            return self._dm_by_user.get(user_id)

    # --- signing (for tests that send events to the bot's HTTP endpoint) -------------------
    def signed_headers(self, body: str | bytes, timestamp: int | None = None) -> dict[str, str]:
        """Headers a real Slack request with this ``body`` would carry (v0 signature)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        text = body.decode() if isinstance(body, bytes) else body
        base = f"v0:{ts}:{text}".encode()
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return {
            "x-slack-request-timestamp": ts,
            "x-slack-signature": f"v0={digest}",
            "content-type": "application/json",
        }

    # --- faults ----------------------------------------------------------------------------
    def fail_next(
        self, method: str, status: int = 429, retry_after: int = 1, times: int = 1
    ) -> None:
        """The next ``times`` calls of ``method`` fail with HTTP ``status``: 429 carries a
        ``Retry-After: retry_after`` header and ``{"ok": false, "error": "ratelimited"}``;
        5xx carry ``{"ok": false, "error": "fatal_error"}``."""
        error = "ratelimited" if status == 429 else "fatal_error"
        self._add_fault(
            method,
            Fault(
                status=status,
                times=times,
                retry_after=retry_after if status == 429 else None,
                error=error,
            ),
        )

    def slow_next(self, method: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` take effect at once (a message is posted)
        but are answered ``seconds`` late, as a slow Slack whose client has timed out."""
        self._add_fault(method, Fault(status=200, times=times, delay=seconds))

    def error_next(self, method: str, error: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get HTTP 200 ``{"ok": false, "error": error}``."""
        self._add_fault(method, Fault(status=200, times=times, error=error))

    # --- processing ------------------------------------------------------------------------
    def _next_ts(self) -> str:
        return f"{self._ts_base}.{next(self._ts_counter):06d}"

    def _process(
        self, verb: str, path: str, body: bytes, headers: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        now = time.monotonic()
        parts = urlsplit(path)
        if not parts.path.startswith("/api/"):
            return 404, {"ok": False, "error": "not_found"}, {}
        method = parts.path[len("/api/") :].strip("/")
        if method.startswith("upload/"):  # files_upload_v2 step 2: raw bytes, no token
            return self._receive_upload(method, verb, parts.path, body, headers, now)
        fields, files = parse_body(body, headers.get("Content-Type", ""))
        params: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
        params.update(fields)
        params = _decode_params(params)
        hdrs = {k.lower(): v for k, v in headers.items()}
        call = Call(
            method=method,
            params=params,
            headers=hdrs,
            time=now,
            http_verb=verb,
            path=parts.path,
            files=files,
        )

        extra: dict[str, str] = {}
        fault = self._take_fault(method)
        if fault is not None and fault.delay > 0:
            status, payload = 200, self._answer(method, params, hdrs)
            call.status, call.response = status, payload
            self._record(call)
            time.sleep(fault.delay)
            return status, payload, extra
        if fault is not None:
            status, payload = fault.status, {"ok": False, "error": fault.error}
            if fault.retry_after is not None:
                extra["Retry-After"] = str(fault.retry_after)
            call.failed = True
        else:
            status, payload = 200, self._answer(method, params, hdrs)
        call.status, call.response = status, payload
        self._record(call)
        return status, payload, extra

    def _answer(self, method: str, p: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        if method.startswith("response/"):  # a response_url: its secret is the URL itself
            with self._data_lock:
                return self._respond(method[len("response/") :], p)
        auth = headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else p.get("token")
        if not token:
            return {"ok": False, "error": "not_authed"}
        if token != self.token:
            return {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        with self._data_lock:
            return handler(p)

    # --- response_url ----------------------------------------------------------------------
    def _respond(self, name: str, p: dict[str, Any]) -> dict[str, Any]:
        origin = self._responses.get(name)
        if origin is None:
            return {"ok": True}
        if not (p.get("text") or p.get("blocks") or _truthy(p.get("delete_original"))):
            return {"ok": False, "error": "no_text"}
        cid, ts = origin["channel"], origin["message_ts"]
        if _truthy(p.get("delete_original")) or _truthy(p.get("replace_original")):
            if ts is None:
                return {"ok": False, "error": "no_original_message"}
            if origin["ephemeral"]:
                target = next((e for e in self.ephemerals if e["message_ts"] == ts), None)
            else:
                target = self._find_message(cid, ts)
            if target is None:
                return {"ok": False, "error": "message_not_found"}
            if _truthy(p.get("delete_original")):
                if origin["ephemeral"]:
                    self.ephemerals.remove(target)
                else:
                    self._messages[cid].remove(target)
                return {"ok": True}
            target["text"] = p.get("text", "")
            target["blocks"] = p.get("blocks")
            return {"ok": True}
        if p.get("response_type") == "in_channel":
            self._messages.setdefault(cid, []).append(
                {
                    "type": "message",
                    "user": self.bot_user_id,
                    "bot_id": self.bot_id,
                    "text": p.get("text", ""),
                    "blocks": p.get("blocks"),
                    "ts": self._next_ts(),
                }
            )
            return {"ok": True}
        self.ephemerals.append(
            {
                "channel": cid,
                "user": origin["user"],
                "text": p.get("text", ""),
                "blocks": p.get("blocks"),
                "thread_ts": None,
                "message_ts": self._next_ts(),
            }
        )
        return {"ok": True}

    # --- methods ---------------------------------------------------------------------------
    def _resolve_channel(self, channel: Any) -> str | None:
        if not channel:
            return None
        channel = str(channel)
        if channel in self.channels:
            return channel
        if channel.startswith("#"):
            for cid, ch in self.channels.items():
                if ch["name"] == channel[1:]:
                    return cid
            return None
        if channel in self.users:  # posting to a user id posts into the DM with the bot
            return self._open_dm(channel)
        return None

    def _open_dm(self, user_id: str) -> str:
        dm = self._dm_by_user.get(user_id)
        if dm is None:
            dm = f"D{next(self._ids):08d}"
            self._dm_by_user[user_id] = dm
            self.channels[dm] = {
                "id": dm,
                "created": self._ts_base,
                "is_im": True,
                "is_org_shared": False,
                "user": user_id,
                "is_user_deleted": False,
                "priority": 0,
            }
            self._messages.setdefault(dm, [])
        return dm

    def _m_auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://test-workspace.slack.com/",
            "team": self.team,
            "user": self.bot_user_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_api_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "args": {k: v for k, v in p.items() if k != "token"}}

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        cid = self._resolve_channel(p.get("channel"))
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        if not self._may_post(self.channels[cid]):
            return {"ok": False, "error": "not_in_channel"}
        if not (p.get("text") or p.get("blocks") or p.get("attachments")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        msg: dict[str, Any] = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": ts,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": p.get("text", ""),
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.bot_user_name,
                "deleted": False,
                "team_id": self.team_id,
            },
        }
        for key in ("blocks", "attachments"):
            if p.get(key) is not None:
                msg[key] = p[key]
        if p.get("thread_ts"):
            msg["thread_ts"] = str(p["thread_ts"])
            msg["parent_user_id"] = self.bot_user_id
        if p.get("metadata") is not None:
            msg["metadata"] = p["metadata"]
        self._messages[cid].append(msg)
        return {"ok": True, "channel": cid, "ts": ts, "message": dict(msg)}

    def _may_post(self, channel: dict[str, Any]) -> bool:
        """Slack's rule: a member may post; a non-member only in a public channel and only
        with chat:write.public; DMs with the bot are always open."""
        if channel.get("is_im") or channel.get("is_member", True):
            return True
        return not channel.get("is_private") and "chat:write.public" in self.scopes

    def _find_message(self, cid: str, ts: Any) -> dict[str, Any] | None:
        for msg in self._messages.get(cid, []):
            if msg["ts"] == str(ts):
                return msg
        return None

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        cid = self._resolve_channel(p.get("channel"))
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        msg = self._find_message(cid, p.get("ts"))
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        if msg.get("user") != self.bot_user_id:
            return {"ok": False, "error": "cant_update_message"}
        if "text" in p:
            msg["text"] = p["text"]
        for key in ("blocks", "attachments", "metadata"):
            if p.get(key) is not None:
                msg[key] = p[key]
        msg["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        out = {k: v for k, v in msg.items() if k != "metadata"}
        return {"ok": True, "channel": cid, "ts": msg["ts"], "text": msg["text"], "message": out}

    def _m_chat_delete(self, p: dict[str, Any]) -> dict[str, Any]:
        cid = self._resolve_channel(p.get("channel"))
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        msg = self._find_message(cid, p.get("ts"))
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        self._messages[cid].remove(msg)
        return {"ok": True, "channel": cid, "ts": msg["ts"]}

    def _m_chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        cid = self._resolve_channel(p.get("channel"))
        if cid is None:
            return {"ok": False, "error": "channel_not_found"}
        if p.get("user") not in self.users:
            return {"ok": False, "error": "user_not_in_channel"}
        if not (p.get("text") or p.get("blocks") or p.get("attachments")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        self.ephemerals.append(
            {
                "channel": cid,
                "user": p["user"],
                "text": p.get("text", ""),
                "blocks": p.get("blocks"),
                "thread_ts": p.get("thread_ts"),
                "message_ts": ts,
            }
        )
        return {"ok": True, "message_ts": ts}

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(p.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": json.loads(json.dumps(user))}

    def _m_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        members, next_cursor = self._page(list(self.users.values()), p)
        return {
            "ok": True,
            "members": members,
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    @staticmethod
    def _page(items: list[Any], p: dict[str, Any]) -> tuple[list[Any], str]:
        limit = int(p.get("limit") or 100) or 100
        cursor = p.get("cursor") or ""
        start = 0
        if cursor:
            try:
                start = int(base64.b64decode(cursor).decode().split(":", 1)[1])
            except (ValueError, IndexError):
                start = len(items)
        page = items[start : start + limit]
        end = start + len(page)
        nxt = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
        return page, nxt

    def _m_conversations_list(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("cursor"):
            try:
                base64.b64decode(p["cursor"], validate=True)
            except ValueError:
                return {"ok": False, "error": "invalid_cursor"}
        types = set(str(p.get("types") or "public_channel").split(","))
        exclude_archived = _truthy(p.get("exclude_archived"))

        def kind(ch: dict[str, Any]) -> str:
            if ch.get("is_im"):
                return "im"
            if ch.get("is_mpim"):
                return "mpim"
            return "private_channel" if ch.get("is_private") else "public_channel"

        chans = [
            dict(ch)
            for ch in self.channels.values()
            if kind(ch) in types
            and not (exclude_archived and ch.get("is_archived"))
            # a bot sees the private channels it was invited to, no others
            and not (ch.get("is_private") and not ch.get("is_member"))
        ]
        page, next_cursor = self._page(chans, p)
        return {"ok": True, "channels": page, "response_metadata": {"next_cursor": next_cursor}}

    def _m_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        cid = self._resolve_channel(p.get("channel"))
        if cid is None or str(p.get("channel")) not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": dict(self.channels[cid])}

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("channel"):
            cid = self._resolve_channel(p["channel"])
            if cid is None:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": cid}}
        users = [u for u in str(p.get("users") or "").split(",") if u]
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        for u in users:
            if u not in self.users:
                return {"ok": False, "error": "user_not_found"}
        if len(users) > 1:
            return {"ok": False, "error": "not_supported"}  # mpims are not faked
        existed = users[0] in self._dm_by_user
        cid = self._open_dm(users[0])
        result: dict[str, Any] = {"ok": True, "channel": {"id": cid}}
        if _truthy(p.get("return_im")):
            result["channel"] = dict(self.channels[cid])
        if existed:
            result["no_op"] = True
            result["already_open"] = True
        return result

    def _m_conversations_join(self, p: dict[str, Any]) -> dict[str, Any]:
        cid = str(p.get("channel") or "")
        ch = self.channels.get(cid)
        if ch is None:
            return {"ok": False, "error": "channel_not_found"}
        if ch.get("is_archived"):
            return {"ok": False, "error": "is_archived"}
        if ch.get("is_im") or ch.get("is_private"):
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        result: dict[str, Any] = {"ok": True}
        if ch.get("is_member"):
            result["warning"] = "already_in_channel"
            result["response_metadata"] = {"warnings": ["already_in_channel"]}
        ch["is_member"] = True
        result["channel"] = dict(ch)
        return result

    def _history(self, msgs: list[dict[str, Any]], p: dict[str, Any]) -> dict[str, Any]:
        latest = p.get("latest")
        oldest = p.get("oldest")
        inclusive = _truthy(p.get("inclusive"))
        with_meta = _truthy(p.get("include_all_metadata"))

        def keep(m: dict[str, Any]) -> bool:
            ts = float(m["ts"])
            if latest and (ts > float(latest) or (ts == float(latest) and not inclusive)):
                return False
            if oldest and (ts < float(oldest) or (ts == float(oldest) and not inclusive)):
                return False
            return True

        items = []
        for m in msgs:
            if keep(m):
                out = dict(m)
                if not with_meta:
                    out.pop("metadata", None)
                items.append(out)
        page, next_cursor = self._page(items, p)
        result: dict[str, Any] = {
            "ok": True,
            "messages": page,
            "has_more": bool(next_cursor),
            "pin_count": 0,
        }
        result["response_metadata"] = {"next_cursor": next_cursor}
        return result

    def _m_conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        cid = str(p.get("channel") or "")
        if cid not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        # top-level messages only (thread replies live in conversations.replies), newest first
        msgs = [
            m
            for m in reversed(self._messages[cid])
            if not m.get("thread_ts") or m["thread_ts"] == m["ts"]
        ]
        return self._history(msgs, p)

    def _m_conversations_replies(self, p: dict[str, Any]) -> dict[str, Any]:
        cid = str(p.get("channel") or "")
        if cid not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        ts = str(p.get("ts") or "")
        parent = self._find_message(cid, ts)
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        msgs = [parent] + [
            m for m in self._messages[cid] if m.get("thread_ts") == ts and m["ts"] != ts
        ]  # oldest first
        return self._history(msgs, p)

    def _m_views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        user_id = p.get("user_id")
        view = p.get("view")
        if not user_id:
            return {"ok": False, "error": "invalid_arguments"}
        if user_id not in self.users:
            return {"ok": False, "error": "user_not_found"}
        if not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        vid = f"V{next(self._ids):08d}"
        published = {
            "id": vid,
            "team_id": self.team_id,
            "type": "home",
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{vid}",
            "title": view.get("title", {"type": "plain_text", "text": "View Title", "emoji": True}),
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": vid,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self.home_views[user_id] = published
        return {"ok": True, "view": published}

    # --- files_upload_v2: getUploadURLExternal, POST the bytes, completeUploadExternal -----
    def uploads(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Files shared into conversations, oldest first: id, channel, title, filename,
        thread_ts and the uploaded ``data`` bytes."""
        with self._data_lock:
            return [dict(f) for f in self.files if channel is None or f["channel"] == channel]

    def _receive_upload(
        self, method: str, verb: str, path: str, body: bytes, headers: Any, now: float
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        file_id = method[len("upload/") :]
        with self._data_lock:
            slot = self._upload_slots.get(file_id)
            if slot is not None:
                self._upload_bytes[file_id] = body
        ok = slot is not None and len(body) == int(slot["length"])
        status, payload = (200, {"ok": True}) if ok else (400, {"ok": False, "error": "bad_upload"})
        call = Call(
            method="upload",
            params={"file_id": file_id},
            headers={k.lower(): v for k, v in headers.items()},
            time=now,
            http_verb=verb,
            path=path,
            files={"file": body},
            status=status,
            response=payload,
        )
        self._record(call)
        return status, payload, {}

    def _m_files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        if not p.get("filename") or not str(p.get("length") or "").isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        self._upload_slots[file_id] = {"filename": p["filename"], "length": int(p["length"])}
        return {"ok": True, "upload_url": f"{self.url}upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        items = p.get("files")
        if not isinstance(items, list) or not items:
            return {"ok": False, "error": "invalid_arguments"}
        cid = None
        if p.get("channel_id"):
            cid = self._resolve_channel(p["channel_id"])
            if cid is None or str(p["channel_id"]) not in self.channels:
                return {"ok": False, "error": "channel_not_found"}  # a user id is not a channel
            channel = self.channels[cid]
            if not channel.get("is_im") and not channel.get("is_member"):
                return {"ok": False, "error": "not_in_channel"}
        shared = []
        for item in items:
            file_id = str(item.get("id") or "")
            if file_id not in self._upload_bytes:
                return {"ok": False, "error": "file_not_found"}
            slot = self._upload_slots[file_id]
            info = {
                "id": file_id,
                "name": slot["filename"],
                "title": item.get("title") or slot["filename"],
            }
            shared.append(info)
            if cid is not None:
                self.files.append(
                    {
                        **info,
                        "filename": slot["filename"],
                        "channel": cid,
                        "thread_ts": p.get("thread_ts"),
                        "data": self._upload_bytes[file_id],
                    }
                )
        return {"ok": True, "files": shared}
