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
    ) -> dict[str, Any]:
        real_name = real_name or name
        user = {
            "id": id,
            "team_id": self.team_id,
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
                "team": self.team_id,
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
            if kind(ch) in types and not (exclude_archived and ch.get("is_archived"))
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
