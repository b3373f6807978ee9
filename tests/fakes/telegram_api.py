"""A fake Telegram Bot API on 127.0.0.1 for tests that use the real python-telegram-bot.

    with FakeTelegramAPI() as fake:
        bot = Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        fake.push_message(chat_id=42, user_id=42, text="/start")

Requests arrive as ``POST /bot<TOKEN>/<method>``. python-telegram-bot 22 (HTTPXRequest) sends
``application/x-www-form-urlencoded`` bodies whose values are strings, nested objects
(reply_markup, reply_parameters, ...) as JSON text, and multipart/form-data when files are
uploaded; JSON bodies are accepted too. Responses follow core.telegram.org/bots/api.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes._server import Call, FakeServer, Fault, parse_body

# Parameters that are free text / opaque ids and must stay strings even if they look like JSON.
STRING_PARAMS = {
    "text",
    "caption",
    "callback_query_id",
    "url",
    "secret_token",
    "parse_mode",
    "inline_message_id",
    "language_code",
    "action",
    "query",
    "description",
    "short_description",
    "name",
    "title",
    "ip_address",
    "data",
}
LONG_POLL_CAP = 2.0  # seconds: getUpdates never waits longer than this, whatever `timeout` says


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and key not in STRING_PARAMS:
            try:
                out[key] = json.loads(value)
                continue
            except ValueError:
                pass
        out[key] = value
    return out


class _HTMLEntities(HTMLParser):
    """Telegram's parse_mode=HTML: the plain text plus MessageEntity list (UTF-16 offsets)."""

    TAGS = {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "u": "underline",
        "ins": "underline",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "code": "code",
        "pre": "pre",
        "a": "text_link",
        "tg-spoiler": "spoiler",
        "blockquote": "blockquote",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self._open: list[tuple[str, int, dict[str, Any]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.TAGS:
            extra: dict[str, Any] = {}
            if tag == "a":
                extra["url"] = dict(attrs).get("href") or ""
            self._open.append((tag, _utf16_len(self.text), extra))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                _, start, extra = self._open.pop(i)
                length = _utf16_len(self.text) - start
                if length:
                    self.entities.append(
                        {"type": self.TAGS[tag], "offset": start, "length": length, **extra}
                    )
                return

    def handle_data(self, data: str) -> None:
        self.text += data


def render_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    parser = _HTMLEntities()
    parser.feed(text)
    parser.close()
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return parser.text, entities


def html_unclosed(text: str) -> str | None:
    """The first tag a message's HTML opens and never closes (Telegram refuses those)."""
    parser = _HTMLEntities()
    parser.feed(text)
    parser.close()
    return parser._open[0][0] if parser._open else None


def text_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram itself detects in a user's message: bot_command, mention, url."""
    found: list[tuple[int, int, str]] = []
    for m in re.finditer(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text):
        found.append((m.start(), m.end(), "bot_command"))
    for m in re.finditer(r"(?<![\w@])@[A-Za-z0-9_]{4,32}", text):
        if not any(s <= m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), "mention"))
    for m in re.finditer(r"https?://\S+", text):
        found.append((m.start(), m.end(), "url"))
    found.sort()
    return [
        {"type": kind, "offset": _utf16_len(text[:s]), "length": _utf16_len(text[s:e])}
        for s, e, kind in found
    ]


class FakeTelegramAPI(FakeServer):
    """Fake Telegram Bot API. Give python-telegram-bot ``base_url`` and ``base_file_url``."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        bot_username: str = "crmbot_test_bot",
        bot_first_name: str = "CRM Bot",
    ) -> None:
        super().__init__()
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.webhook: dict[str, Any] = {"url": ""}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.answered_callbacks: dict[str, dict[str, Any]] = {}
        self.chat_actions: list[dict[str, Any]] = []
        self._updates: list[dict[str, Any]] = []  # not yet confirmed, ascending update_id
        self._all_updates: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(100_000_001)
        self._callback_ids = itertools.count(4_000_000_000_001)
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[int, dict[int, dict[str, Any]]] = {}  # chat -> message_id -> msg
        self._sent: list[dict[str, Any]] = []
        self.photos: list[dict[str, Any]] = []  # sendPhoto uploads: chat_id, caption, data...
        self._next_message_id: dict[int, int] = {}
        self._pending_callbacks: set[str] = set()
        # getUpdates requests being answered right now (a call is recorded when answered)
        self.polls_waiting = 0

    # --- URLs ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``Bot(base_url=...)`` / ``ApplicationBuilder().base_url(...)``; PTB appends the token."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.root_url}/file/bot"

    # --- data helpers ----------------------------------------------------------------------
    def _msg_id(self, chat_id: int) -> int:
        n = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = n + 1
        return n

    def _chat(
        self,
        chat_id: int,
        chat_type: str,
        *,
        user: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                u = user or {}
                chat.update({k: u[k] for k in ("first_name", "last_name", "username") if k in u})
            else:
                chat["title"] = title or f"Test {chat_type} {chat_id}"
            self._chats[chat_id] = chat
        return dict(chat)

    @staticmethod
    def _user(
        user_id: int,
        username: str | None,
        first_name: str | None,
        last_name: str | None,
        language_code: str | None,
    ) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"User{user_id}",
        }
        if last_name:
            user["last_name"] = last_name
        if username is not None:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _queue(self, key: str, obj: dict[str, Any]) -> int:
        with self._cond:
            update_id = next(self._update_ids)
            update = {"update_id": update_id, key: obj}
            self._updates.append(update)
            self._all_updates[update_id] = update
            self._cond.notify_all()
            return update_id

    def _store(self, msg: dict[str, Any]) -> None:
        self._messages.setdefault(msg["chat"]["id"], {})[msg["message_id"]] = msg

    def _short(self, msg: dict[str, Any]) -> dict[str, Any]:
        """A message as nested in reply_to_message (no reply chain below it)."""
        return {k: v for k, v in msg.items() if k != "reply_to_message"}

    def add_chat(
        self,
        chat_id: int,
        chat_type: str = "private",
        *,
        title: str | None = None,
        username: str | None = "tester",
        first_name: str | None = "Tess",
    ) -> dict[str, Any]:
        """Make a chat known (the bot can only sendMessage to chats it has seen; push_message
        does this too). Private chats take the user's names, groups a title."""
        with self._cond:
            user = self._user(chat_id, username, first_name, None, None)
            return self._chat(chat_id, chat_type, user=user, title=title)

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        chat_type: str = "private",
        username: str | None = "tester",
        first_name: str | None = "Tess",
        entities: list[dict[str, Any]] | None = None,
        reply_to: int | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = "en",
        chat_title: str | None = None,
        message_thread_id: int | None = None,
        edited: bool = False,
    ) -> int:
        """Queue an Update with a user's Message; returns its update_id.

        Entities are detected like Telegram does (``/cmd`` -> bot_command, ``@name`` ->
        mention, links -> url) unless ``entities`` is given. ``reply_to`` is the message_id of
        a message in the same chat (e.g. one the bot sent)."""
        with self._cond:
            user = self._user(user_id, username, first_name, last_name, language_code)
            msg: dict[str, Any] = {
                "message_id": self._msg_id(chat_id),
                "from": user,
                "chat": self._chat(chat_id, chat_type, user=user, title=chat_title),
                "date": int(time.time()),
                "text": text,
            }
            ents = text_entities(text) if entities is None else entities
            if ents:
                msg["entities"] = ents
            if message_thread_id is not None:
                msg["message_thread_id"] = message_thread_id
                msg["is_topic_message"] = True
            if reply_to is not None:
                target = self._messages.get(chat_id, {}).get(reply_to)
                if target is None:
                    raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
                msg["reply_to_message"] = self._short(target)
            if edited:
                msg["edit_date"] = int(time.time())
            self._store(msg)
            return self._queue("edited_message" if edited else "message", msg)

    def edit_message(self, chat_id: int, message_id: int, text: str) -> int:
        """Queue an ``edited_message`` Update: the user's message ``message_id`` with new text
        (same id, an ``edit_date``), as Telegram sends when someone edits a message."""
        with self._cond:
            original = self._messages.get(chat_id, {}).get(message_id)
            if original is None:
                raise ValueError(f"no message {message_id} in chat {chat_id} to edit")
            msg = {**original, "text": text, "edit_date": int(time.time())}
            ents = text_entities(text)
            msg.pop("entities", None)
            if ents:
                msg["entities"] = ents
            self._store(msg)
            return self._queue("edited_message", msg)

    def push_callback(
        self,
        chat_id: int,
        user_id: int,
        data: str,
        message_id: int,
        *,
        username: str | None = "tester",
        first_name: str | None = "Tess",
    ) -> int:
        """Queue an Update with a CallbackQuery (a button press on the bot's message
        ``message_id`` in ``chat_id``); returns its update_id. The query id is in
        ``get_update(update_id)["callback_query"]["id"]``."""
        with self._cond:
            target = self._messages.get(chat_id, {}).get(message_id)
            if target is None:
                raise ValueError(f"no message {message_id} in chat {chat_id}: the bot sent none")
            qid = str(next(self._callback_ids))
            self._pending_callbacks.add(qid)
            # As Telegram does, the pressed message comes with the message it replied to
            # (one level deep), which says whom the bot was answering.
            query = {
                "id": qid,
                "from": self._user(user_id, username, first_name, None, "en"),
                "message": dict(target),
                "chat_instance": f"-{abs(chat_id) * 7919 + 13}",
                "data": data,
            }
            return self._queue("callback_query", query)

    def get_update(self, update_id: int) -> dict[str, Any]:
        with self._lock:
            return self._all_updates[update_id]

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return list(self._updates)

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent (sendMessage), as the API returned them, in their current
        state (edits applied), oldest first. HTML was rendered: ``text`` is plain and the
        formatting is in ``entities``; the raw request is in ``calls("sendMessage")``."""
        with self._lock:
            current = [self._messages[m["chat"]["id"]].get(m["message_id"]) for m in self._sent]
            return [
                dict(m)
                for m in current
                if m is not None and (chat_id is None or m["chat"]["id"] == chat_id)
            ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """Any stored message (pushed or sent), current state."""
        with self._lock:
            msg = self._messages.get(chat_id, {}).get(message_id)
            return dict(msg) if msg is not None else None

    # --- faults ----------------------------------------------------------------------------
    def _method_key(self, method: str) -> str:
        return method.lower()  # Telegram's method names are case-insensitive

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` fail with HTTP ``status`` and Telegram's
        error body; 429 adds ``parameters.retry_after`` (PTB raises RetryAfter)."""
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                400: "Bad Request: chat not found",
                403: "Forbidden: bot was blocked by the user",
                409: "Conflict: terminated by other getUpdates request",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, "Error")
        payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if status == 429:
            payload["parameters"] = {"retry_after": retry_after}
        self._add_fault(
            method,
            Fault(
                status=status,
                times=times,
                retry_after=retry_after,
                error=description,
                payload=payload,
            ),
        )

    # --- processing ------------------------------------------------------------------------
    def _process(
        self, verb: str, path: str, body: bytes, headers: Any
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        now = time.monotonic()
        parts = urlsplit(path)
        hdrs = {k.lower(): v for k, v in headers.items()}
        fields, files = parse_body(body, headers.get("Content-Type", ""))
        raw: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
        raw.update(fields)
        params = _decode_params(raw)
        m = re.fullmatch(r"/(file/)?bot([^/]*)/(.+)", parts.path)
        method = m.group(3) if m else parts.path
        call = Call(
            method=method,
            params=params,
            headers=hdrs,
            time=now,
            http_verb=verb,
            path=parts.path,
            files=files,
        )
        status, payload = self._route(m, method, params, call)
        call.status, call.response = status, payload
        self._record(call)
        return status, payload, {}

    def _route(
        self, m: re.Match[str] | None, method: str, params: dict[str, Any], call: Call
    ) -> tuple[int, dict[str, Any]]:
        not_found = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if m is None:
            return not_found
        if m.group(2) != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if m.group(1):  # file download: no files are faked
            return not_found
        fault = self._take_fault(method)
        if fault is not None:
            call.failed = True
            return fault.status, dict(fault.payload or {})
        handler = getattr(self, "_m_" + method.lower(), None)
        if handler is None:
            return not_found
        if method.lower() == "getupdates":
            return handler(params)  # long-polls: takes the lock itself
        if method.lower() == "sendphoto":  # the only method here that takes a file part
            with self._lock:
                return self._send_photo(params, call.files)
        with self._lock:
            return handler(params)

    # --- methods ---------------------------------------------------------------------------
    @staticmethod
    def _ok(result: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": result}

    @staticmethod
    def _bad(description: str, code: int = 400) -> tuple[int, dict[str, Any]]:
        return code, {"ok": False, "error_code": code, "description": description}

    def _m_getme(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok(dict(self.bot_user))

    def _m_getupdates(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        limit = max(1, min(int(p.get("limit") or 100), 100))
        timeout = min(float(p.get("timeout") or 0), LONG_POLL_CAP)
        allowed = p.get("allowed_updates")
        deadline = time.monotonic() + timeout
        with self._cond:
            if self.webhook.get("url"):
                return self._bad(
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                    409,
                )
            if offset > 0:  # confirms every update below offset
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]

            def ready() -> list[dict[str, Any]]:
                ups = self._updates
                if allowed:
                    ups = [u for u in ups if next(k for k in u if k != "update_id") in allowed]
                return ups[:limit]

            self.polls_waiting += 1
            self._cond.notify_all()
            try:
                while True:
                    found = ready()
                    left = deadline - time.monotonic()
                    if found or left <= 0 or self.stopping:
                        return self._ok(json.loads(json.dumps(found)))
                    self._cond.wait(left)
            finally:
                self.polls_waiting -= 1

    def _target(self, p: dict[str, Any]) -> tuple[int | None, dict[str, Any] | None, str | None]:
        """(chat_id, message, error) for methods addressing chat_id + message_id."""
        try:
            chat_id = int(p["chat_id"])
        except (KeyError, TypeError, ValueError):
            return None, None, "Bad Request: chat not found"
        if chat_id not in self._chats:
            return chat_id, None, "Bad Request: chat not found"
        msg = self._messages.get(chat_id, {}).get(int(p.get("message_id") or 0))
        if msg is None:
            return chat_id, None, "Bad Request: message to edit not found"
        return chat_id, msg, None

    def _format(self, text: str, p: dict[str, Any]) -> tuple[str, list[dict[str, Any]] | None]:
        if p.get("entities"):
            return text, p["entities"]
        mode = str(p.get("parse_mode") or "")
        if mode.upper() == "HTML":
            plain, ents = render_html(text)
            return plain, ents or None
        return text, None

    def _m_sendmessage(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            chat_id = int(p["chat_id"])
        except (KeyError, TypeError, ValueError):
            return self._bad("Bad Request: chat not found")
        if chat_id not in self._chats:
            return self._bad("Bad Request: chat not found")
        text = p.get("text")
        if not text:
            return self._bad("Bad Request: message text is empty")
        if str(p.get("parse_mode") or "").upper() == "HTML" and not p.get("entities"):
            unclosed = html_unclosed(text)
            if unclosed:
                return self._bad(
                    "Bad Request: can't parse entities: can't find end tag corresponding to "
                    f'start tag "{unclosed}"'
                )
        plain, ents = self._format(text, p)
        if _utf16_len(plain) > 4096:  # Telegram counts the text it shows, in UTF-16 units
            return self._bad("Bad Request: message is too long")
        msg: dict[str, Any] = {
            "message_id": self._msg_id(chat_id),
            "from": dict(self.bot_user),
            "chat": dict(self._chats[chat_id]),
            "date": int(time.time()),
            "text": plain,
        }
        if ents:
            msg["entities"] = ents
        if p.get("message_thread_id") is not None:
            msg["message_thread_id"] = int(p["message_thread_id"])
            msg["is_topic_message"] = True
        reply_id = p.get("reply_to_message_id")
        reply_params = p.get("reply_parameters")
        if isinstance(reply_params, dict):
            reply_id = reply_params.get("message_id")
        if reply_id is not None:
            target = self._messages.get(chat_id, {}).get(int(reply_id))
            if target is not None:
                msg["reply_to_message"] = self._short(target)
            elif not (
                isinstance(reply_params, dict) and reply_params.get("allow_sending_without_reply")
            ):
                return self._bad("Bad Request: message to be replied not found")
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        self._store(msg)
        self._sent.append(msg)
        return self._ok(dict(msg))

    def _edit(self, p: dict[str, Any], *, text: bool) -> tuple[int, dict[str, Any]]:
        if p.get("inline_message_id"):
            return self._ok(True)
        _, msg, error = self._target(p)
        if error:
            return self._bad(error)
        assert msg is not None
        if msg.get("from", {}).get("id") != self.bot_id:
            return self._bad("Bad Request: message can't be edited")
        markup = p.get("reply_markup")
        new_markup = (
            {"inline_keyboard": markup["inline_keyboard"]}
            if isinstance(markup, dict) and markup.get("inline_keyboard")
            else None
        )
        if text:
            if not p.get("text"):
                return self._bad("Bad Request: message text is empty")
            plain, ents = self._format(p["text"], p)
        else:
            plain, ents = msg.get("text", ""), msg.get("entities")
        if (
            plain == msg.get("text")
            and ents == msg.get("entities")
            and new_markup == msg.get("reply_markup")
        ):
            return self._bad(
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message"
            )
        msg["text"] = plain
        if ents:
            msg["entities"] = ents
        else:
            msg.pop("entities", None)
        if new_markup:
            msg["reply_markup"] = new_markup
        else:
            msg.pop("reply_markup", None)
        msg["edit_date"] = int(time.time())
        return self._ok(dict(msg))

    def _m_editmessagetext(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._edit(p, text=True)

    def _m_editmessagereplymarkup(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._edit(p, text=False)

    def _m_deletemessage(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id, msg, error = self._target(p)
        if error:
            return self._bad(error.replace("to edit", "to delete"))
        assert msg is not None and chat_id is not None
        del self._messages[chat_id][msg["message_id"]]
        return self._ok(True)

    def _m_answercallbackquery(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        qid = str(p.get("callback_query_id") or "")
        if qid not in self._pending_callbacks:
            return self._bad(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._pending_callbacks.discard(qid)
        self.answered_callbacks[qid] = dict(p)
        return self._ok(True)

    def _m_sendchataction(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.chat_actions.append(dict(p))
        return self._ok(True)

    def _m_deletewebhook(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = {"url": ""}
        if p.get("drop_pending_updates") in (True, "true", "True"):
            self._updates.clear()
        return self._ok(True)

    def _m_setwebhook(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        url = str(p.get("url") or "")
        if url and not url.startswith("https://"):
            return self._bad("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {k: v for k, v in p.items()}
        self.webhook["url"] = url
        if p.get("drop_pending_updates") in (True, "true", "True"):
            self._updates.clear()
        return self._ok(True)

    def _m_getwebhookinfo(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in self.webhook:
                info[key] = self.webhook[key]
        return self._ok(info)

    @staticmethod
    def _scope_key(p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")

    def _m_setmycommands(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        commands = p.get("commands")
        if not isinstance(commands, list):
            return self._bad("Bad Request: can't parse commands JSON object")
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))):
                return self._bad("Bad Request: BOT_COMMAND_INVALID")
        self.commands[self._scope_key(p)] = [
            {"command": c["command"], "description": c.get("description", "")} for c in commands
        ]
        return self._ok(True)

    def _m_getmycommands(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok(list(self.commands.get(self._scope_key(p), [])))

    def _m_deletemycommands(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.commands.pop(self._scope_key(p), None)
        return self._ok(True)

    def _m_close(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok(True)

    def _m_logout(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok(True)

    # --- sendPhoto ---------------------------------------------------------------------------
    def _m_sendphoto(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._send_photo(p, {})

    def _send_photo(self, p: dict[str, Any], files: dict[str, bytes]) -> tuple[int, dict[str, Any]]:
        """A photo uploaded as multipart/form-data (a file_id or URL string is refused: no
        files are stored here to refer to). Telegram's limits: 10 MB, caption 1024."""
        try:
            chat_id = int(p["chat_id"])
        except (KeyError, TypeError, ValueError):
            return self._bad("Bad Request: chat not found")
        if chat_id not in self._chats:
            return self._bad("Bad Request: chat not found")
        name = str(p.get("photo") or "")
        data = files.get(name[len("attach://") :]) if name.startswith("attach://") else None
        data = data if data is not None else files.get("photo")
        if not data:
            return self._bad("Bad Request: there is no photo in the request")
        if len(data) > 10 * 1024 * 1024:
            return self._bad("Bad Request: file is too big")
        caption = str(p.get("caption") or "")
        if len(caption) > 1024:
            return self._bad("Bad Request: message caption is too long")
        width, height = _png_size(data)
        msg_id = self._msg_id(chat_id)
        msg: dict[str, Any] = {
            "message_id": msg_id,
            "from": dict(self.bot_user),
            "chat": dict(self._chats[chat_id]),
            "date": int(time.time()),
            "photo": [
                {
                    "file_id": f"photo-{chat_id}-{msg_id}",
                    "file_unique_id": f"u-{chat_id}-{msg_id}",
                    "width": width,
                    "height": height,
                    "file_size": len(data),
                }
            ],
        }
        if caption:
            msg["caption"] = caption
        if p.get("message_thread_id") is not None:
            msg["message_thread_id"] = int(p["message_thread_id"])
        self._store(msg)
        self.photos.append({"chat_id": chat_id, "caption": caption, "data": data, "message": msg})
        return self._ok(dict(msg))


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; (0, 0) for anything else."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return 0, 0
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
