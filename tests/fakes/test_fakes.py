"""The fakes, proven with the REAL client libraries (slack_sdk, slack_bolt, python-telegram-bot)
talking to them over 127.0.0.1. No test touches the network."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
from collections.abc import Sequence

import httpx
import pytest
from slack_bolt import App, BoltRequest, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.signature import SignatureVerifier
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(30)

# ============================================================================ Slack


def _client(fake: FakeSlackAPI, retry_handlers: list[RetryHandler] | None = None) -> WebClient:
    return WebClient(token=fake.token, base_url=fake.url, timeout=5, retry_handlers=retry_handlers)


def test_slack_auth_test_and_bearer_token(fake_slack: FakeSlackAPI) -> None:
    resp = _client(fake_slack).auth_test()
    assert resp["ok"] is True
    assert resp["user_id"] == "UBOT" and resp["team_id"] == fake_slack.team_id
    assert resp["bot_id"] == fake_slack.bot_id and resp["url"].startswith("https://")
    (call,) = fake_slack.calls("auth.test")
    assert call.headers["authorization"] == f"Bearer {fake_slack.token}"
    assert call.ok and not call.failed


def test_slack_rejects_missing_or_wrong_token(fake_slack: FakeSlackAPI) -> None:
    with pytest.raises(SlackApiError) as wrong:
        WebClient(token="xoxb-wrong", base_url=fake_slack.url).auth_test()
    assert wrong.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=fake_slack.url).auth_test()
    assert missing.value.response["error"] == "not_authed"
    assert fake_slack.count("auth.test") == 2


def test_slack_post_message_blocks_metadata_then_history(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C0SALES", "sales")
    client = _client(fake_slack)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Deal* won"}}]
    metadata = {"event_type": "deal_won", "event_payload": {"deal_id": 7}}
    first = client.chat_postMessage(
        channel="C0SALES", text="Deal won", blocks=blocks, metadata=metadata
    )
    second = client.chat_postMessage(channel="C0SALES", text="in thread", thread_ts=first["ts"])
    assert first["channel"] == "C0SALES"
    assert first["message"]["blocks"] == blocks and first["message"]["user"] == "UBOT"
    assert first["message"]["metadata"] == metadata
    assert second["message"]["thread_ts"] == first["ts"]
    assert float(second["ts"]) > float(first["ts"])
    third = client.chat_postMessage(channel="#sales", text="by name")
    assert third["channel"] == "C0SALES"

    with_meta = client.conversations_history(channel="C0SALES", include_all_metadata=True)
    texts = [m["text"] for m in with_meta["messages"]]
    assert texts == ["by name", "Deal won"]  # newest first; the thread reply is not top-level
    assert with_meta["messages"][1]["metadata"] == metadata
    plain = client.conversations_history(channel="C0SALES")
    assert "metadata" not in plain["messages"][1]
    replies = client.conversations_replies(channel="C0SALES", ts=first["ts"])
    assert [m["text"] for m in replies["messages"]] == ["Deal won", "in thread"]
    assert fake_slack.calls("chat.postMessage")[0].params["metadata"] == metadata

    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C0NOPE", text="x")
    assert exc.value.response["error"] == "channel_not_found"


def test_slack_form_body_json_fields_are_decoded(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C1", "general")
    blocks = [{"type": "divider"}]
    resp = _client(fake_slack).api_call(
        "chat.postMessage",
        data={
            "channel": "C1",
            "text": "form",
            "blocks": json.dumps(blocks),
            "metadata": json.dumps({"event_type": "e", "event_payload": {}}),
        },
    )
    (call,) = fake_slack.calls("chat.postMessage")
    assert call.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert call.params["blocks"] == blocks
    assert call.params["metadata"] == {"event_type": "e", "event_payload": {}}
    assert resp["message"]["blocks"] == blocks


def test_slack_update_and_ephemeral(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C1", "general")
    fake_slack.add_user("U123", "ana", "Ana Lima")
    client = _client(fake_slack)
    posted = client.chat_postMessage(channel="C1", text="v1")
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert (updated["channel"], updated["ts"], updated["text"]) == ("C1", posted["ts"], "v2")
    assert fake_slack.messages("C1")[0]["text"] == "v2"
    eph = client.chat_postEphemeral(channel="C1", user="U123", text="only you")
    assert eph["message_ts"]
    assert fake_slack.ephemerals[0]["user"] == "U123"
    with pytest.raises(SlackApiError) as exc:
        client.chat_update(channel="C1", ts="1.000001", text="x")
    assert exc.value.response["error"] == "message_not_found"


def test_slack_users_info(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_user("U123", "ana", "Ana Lima", email="ana@example.org", tz="America/Sao_Paulo")
    client = _client(fake_slack)
    user = client.users_info(user="U123")["user"]
    assert user["id"] == "U123" and user["name"] == "ana" and user["real_name"] == "Ana Lima"
    assert user["tz"] == "America/Sao_Paulo"
    assert user["profile"]["email"] == "ana@example.org"
    assert user["profile"]["display_name"] == "ana"
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="U404")
    assert exc.value.response["error"] == "user_not_found"


def test_slack_conversations_list_paginates(fake_slack: FakeSlackAPI) -> None:
    for i in range(5):
        fake_slack.add_channel(f"C{i}", f"chan-{i}")
    fake_slack.add_channel("G1", "secret", is_private=True)
    # the paginator yields the SAME SlackResponse, refilled per page: read it inside the loop
    pages = [
        ([c["name"] for c in page["channels"]], page["response_metadata"]["next_cursor"])
        for page in _client(fake_slack).conversations_list(limit=2)
    ]
    assert [names for names, _ in pages] == [
        ["chan-0", "chan-1"],
        ["chan-2", "chan-3"],
        ["chan-4"],
    ]  # public_channel only by default
    assert pages[0][1] and pages[-1][1] == ""
    calls = fake_slack.calls("conversations.list")
    assert len(calls) == 3 and "cursor" not in calls[0].params and calls[1].params["cursor"]
    both = _client(fake_slack).conversations_list(types="public_channel,private_channel")
    assert len(both["channels"]) == 6


def test_slack_conversations_info_open_join(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C1", "general", is_member=False)
    fake_slack.add_user("U123", "ana")
    client = _client(fake_slack)
    assert client.conversations_info(channel="C1")["channel"]["name"] == "general"
    opened = client.conversations_open(users="U123")
    dm = opened["channel"]["id"]
    assert dm.startswith("D") and fake_slack.dm_channel("U123") == dm
    assert client.conversations_open(users="U123")["already_open"] is True
    assert client.chat_postMessage(channel="U123", text="dm")["channel"] == dm
    assert client.conversations_join(channel="C1")["channel"]["is_member"] is True
    with pytest.raises(SlackApiError) as exc:
        client.conversations_info(channel="C404")
    assert exc.value.response["error"] == "channel_not_found"


def test_slack_views_publish_and_unknown_method(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_user("U123", "ana")
    client = _client(fake_slack)
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Pipeline"}}]
    view = client.views_publish(user_id="U123", view={"type": "home", "blocks": blocks})["view"]
    assert view["type"] == "home" and view["blocks"] == blocks and view["id"].startswith("V")
    assert fake_slack.home_views["U123"]["blocks"] == blocks
    with pytest.raises(SlackApiError) as exc:
        client.api_call("no.suchMethod")
    assert exc.value.response["error"] == "unknown_method"


def test_slack_retries_after_429_and_500(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C1", "general")
    client = _client(
        fake_slack,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(
                max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.05)
            ),
        ],
    )
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    assert client.chat_postMessage(channel="C1", text="after 429")["ok"] is True
    failed, ok = fake_slack.calls("chat.postMessage")
    assert failed.failed and failed.status == 429 and failed.response["error"] == "ratelimited"
    assert ok.ok and not ok.failed
    assert ok.time - failed.time >= 0.9  # the client honoured Retry-After: 1

    fake_slack.reset()
    fake_slack.fail_next("chat.postMessage", status=500)
    assert client.chat_postMessage(channel="C1", text="after 500")["ok"] is True
    attempts = fake_slack.calls("chat.postMessage")
    assert [(c.status, c.failed) for c in attempts] == [(500, True), (200, False)]
    assert [m["text"] for m in fake_slack.messages("C1")] == ["after 429", "after 500"]


def test_slack_faults_without_retry_surface(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C1", "general")
    client = _client(fake_slack)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=3)
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="x")
    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["retry-after"] in ("3", ["3"])
    fake_slack.error_next("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as exc2:
        client.chat_postMessage(channel="C1", text="x")
    assert exc2.value.response.status_code == 200
    assert exc2.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert [c.failed for c in fake_slack.calls("chat.postMessage")] == [True, True, False]


def test_slack_bolt_app_against_fake(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C1", "general")
    app = App(
        signing_secret=fake_slack.signing_secret,
        client=WebClient(token=fake_slack.token, base_url=fake_slack.url),
    )
    assert fake_slack.count("auth.test") == 1  # token verification at construction

    @app.event("app_mention")
    def on_mention(event: dict, say: Say) -> None:
        say(f"hello <@{event['user']}>")

    body = json.dumps(
        {
            "token": "legacy",
            "team_id": fake_slack.team_id,
            "api_app_id": fake_slack.app_id,
            "type": "event_callback",
            "event_id": "Ev1",
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": "U123",
                "text": "<@UBOT> hi",
                "ts": "1700000000.000001",
                "channel": "C1",
            },
        }
    )
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(fake_slack.signing_secret).generate_signature(
        timestamp=timestamp, body=body
    )
    assert signature is not None
    headers: dict[str, str | Sequence[str]] = {  # BoltRequest's own header type
        "content-type": "application/json",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
    }
    assert headers == fake_slack.signed_headers(body, int(timestamp))
    resp = app.dispatch(BoltRequest(body=body, headers=headers))
    assert resp.status == 200
    (post,) = fake_slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "C1" and post.params["text"] == "hello <@U123>"

    forged = dict(headers, **{"x-slack-signature": "v0=" + "0" * 64})
    assert app.dispatch(BoltRequest(body=body, headers=forged)).status == 401


def test_slack_bolt_app_fails_on_bad_token(fake_slack: FakeSlackAPI) -> None:
    from slack_bolt.error import BoltError

    with pytest.raises(BoltError):
        App(signing_secret="s", client=WebClient(token="xoxb-bad", base_url=fake_slack.url))


# ============================================================================ Telegram


def _bot(fake: FakeTelegramAPI, token: str | None = None) -> Bot:
    return Bot(token or fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


def _seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def test_telegram_bot_methods(fake_telegram: FakeTelegramAPI) -> None:
    fake_telegram.push_message(chat_id=42, user_id=42, text="hello")

    async def main() -> None:
        async with _bot(fake_telegram) as bot:  # initialize() calls getMe
            me = await bot.get_me()
            assert me.id == 123456 and me.is_bot and me.username == "crmbot_test_bot"
            assert me.can_join_groups is True and me.supports_inline_queries is False

            keyboard = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("Won", callback_data="deal:7:won"),
                        InlineKeyboardButton("Lost", callback_data="deal:7:lost"),
                    ]
                ]
            )
            msg = await bot.send_message(
                42,
                "<b>hi</b> there",
                parse_mode="HTML",
                reply_markup=keyboard,
                reply_to_message_id=1,
            )
            assert msg.message_id == 2 and msg.chat.id == 42 and msg.chat.type == "private"
            assert msg.from_user is not None
            assert msg.from_user.id == 123456 and msg.text == "hi there"
            assert msg.entities == (MessageEntity("bold", 0, 2),)
            assert msg.reply_markup == keyboard
            assert msg.reply_to_message is not None
            assert msg.reply_to_message.text == "hello"
            call = fake_telegram.calls("sendMessage")[0]
            assert call.params["text"] == "<b>hi</b> there" and call.params["chat_id"] == 42
            assert call.params["parse_mode"] == "HTML"
            assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == (
                "deal:7:won"
            )
            assert call.params["reply_parameters"] == {"message_id": 1}

            second = await bot.send_message(42, "again")
            assert second.message_id == msg.message_id + 1

            edited = await bot.edit_message_text("done", chat_id=42, message_id=msg.message_id)
            assert isinstance(edited, Message)  # True would mean an inline message was edited
            assert edited.text == "done" and edited.edit_date is not None
            assert edited.reply_markup is None
            with pytest.raises(BadRequest, match="not modified"):
                await bot.edit_message_text("done", chat_id=42, message_id=msg.message_id)
            new_kb = InlineKeyboardMarkup([[InlineKeyboardButton("Undo", callback_data="u")]])
            marked = await bot.edit_message_reply_markup(42, msg.message_id, reply_markup=new_kb)
            assert isinstance(marked, Message)
            assert marked.reply_markup == new_kb

            update_id = fake_telegram.push_callback(42, 42, "deal:7:won", msg.message_id)
            qid = fake_telegram.get_update(update_id)["callback_query"]["id"]
            assert await bot.answer_callback_query(qid, text="Saved") is True
            assert fake_telegram.answered_callbacks[qid]["text"] == "Saved"
            with pytest.raises(BadRequest, match="(?i)query is too old"):
                await bot.answer_callback_query(qid)

            assert await bot.send_chat_action(42, "typing") is True
            with pytest.raises(BadRequest, match="(?i)chat not found"):
                await bot.send_message(999, "nobody")

    asyncio.run(main())
    sent = fake_telegram.sent_messages(42)
    assert [m["text"] for m in sent] == ["done", "again"]
    assert fake_telegram.sent_messages(7) == []


def test_telegram_commands_webhook_and_misc(fake_telegram: FakeTelegramAPI) -> None:
    async def main() -> None:
        async with _bot(fake_telegram) as bot:
            assert await bot.set_my_commands([("start", "Start"), ("deals", "My deals")])
            assert [c.command for c in await bot.get_my_commands()] == ["start", "deals"]
            assert await bot.delete_my_commands()
            assert await bot.get_my_commands() == ()
            assert await bot.set_webhook("https://example.invalid/hook", secret_token="s3")
            info = await bot.get_webhook_info()
            assert info.url == "https://example.invalid/hook" and info.pending_update_count == 0
            with pytest.raises(Exception, match="webhook is active"):
                await bot.get_updates()
            assert await bot.delete_webhook(drop_pending_updates=True)
            assert (await bot.get_webhook_info()).url == ""
            assert await bot.log_out() and await bot.close()

    asyncio.run(main())
    assert fake_telegram.calls("setWebhook")[0].params["secret_token"] == "s3"


# PTB 22 warns that RetryAfter.retry_after becomes a timedelta in v23 (PTB_TIMEDELTA opts in)
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_telegram_errors(fake_telegram: FakeTelegramAPI) -> None:
    fake_telegram.push_message(chat_id=42, user_id=42, text="hi")

    async def main() -> None:
        with pytest.raises(InvalidToken):
            await _bot(fake_telegram, token="123456:WRONG").get_me()
        async with _bot(fake_telegram) as bot:
            fake_telegram.fail_next("sendMessage", status=429, retry_after=1)
            with pytest.raises(RetryAfter) as exc:
                await bot.send_message(42, "x")
            assert _seconds(exc.value.retry_after) == 1
            fake_telegram.fail_next(
                "sendMessage", status=400, description="Bad Request: can't parse entities"
            )
            with pytest.raises(BadRequest, match="(?i)can.t parse entities"):
                await bot.send_message(42, "<b>x", parse_mode="HTML")
            fake_telegram.fail_next("sendMessage", status=500)
            with pytest.raises(NetworkError):
                await bot.send_message(42, "x")
            assert (await bot.send_message(42, "finally")).text == "finally"
            with pytest.raises(EndPointNotFound):  # HTTP 404 once the bot is initialized
                await bot.do_api_request("noSuchMethod")

    asyncio.run(main())
    statuses = [(c.status, c.failed) for c in fake_telegram.calls("sendMessage")]
    assert statuses == [(429, True), (400, True), (500, True), (200, False)]
    wrong = fake_telegram.calls("getMe")[0]
    assert wrong.status == 401 and wrong.response["description"] == "Unauthorized"
    unknown = fake_telegram.calls("noSuchMethod")[0]
    assert unknown.status == 404
    assert unknown.response == {"ok": False, "error_code": 404, "description": "Not Found"}
    body = fake_telegram.calls("sendMessage")[0].response
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own read
def test_telegram_rate_limiter_retries_429(fake_telegram: FakeTelegramAPI) -> None:
    from telegram.ext import AIORateLimiter, ExtBot

    fake_telegram.add_chat(-100200, "group", title="Sales")
    fake_telegram.fail_next("sendMessage", status=429, retry_after=1)

    async def main() -> str | None:
        bot = ExtBot(
            fake_telegram.token,
            base_url=fake_telegram.base_url,
            base_file_url=fake_telegram.base_file_url,
            rate_limiter=AIORateLimiter(max_retries=1),
        )
        async with bot:
            return (await bot.send_message(-100200, "after flood wait")).text

    assert asyncio.run(main()) == "after flood wait"
    failed, ok = fake_telegram.calls("sendMessage")
    assert failed.failed and failed.status == 429 and ok.ok
    assert ok.time - failed.time >= 0.9
    assert fake_telegram.sent_messages(-100200)[0]["chat"] == {
        "id": -100200,
        "type": "group",
        "title": "Sales",
    }


def test_telegram_pushed_entities(fake_telegram: FakeTelegramAPI) -> None:
    fake_telegram.push_message(1, 1, "/start@crmbot_test_bot now")
    fake_telegram.push_message(
        -100, 5, "@crmbot_test_bot add lead Ana", chat_type="supergroup", chat_title="Sales"
    )

    async def main() -> tuple[Update, ...]:
        async with _bot(fake_telegram) as bot:
            return await bot.get_updates()

    cmd, mention = asyncio.run(main())
    assert cmd.message is not None and mention.message is not None
    assert cmd.effective_chat is not None and cmd.effective_user is not None
    assert mention.effective_chat is not None
    assert cmd.message.entities == (MessageEntity("bot_command", 0, 22),)
    assert cmd.effective_chat.type == "private" and cmd.effective_user.username == "tester"
    assert mention.message.parse_entities([MessageEntity.MENTION]) == {
        MessageEntity("mention", 0, 16): "@crmbot_test_bot"
    }
    assert mention.effective_chat.title == "Sales" and mention.effective_chat.id == -100


def test_telegram_get_updates_offset_and_long_poll(fake_telegram: FakeTelegramAPI) -> None:
    url = f"{fake_telegram.base_url}{fake_telegram.token}/getUpdates"
    first = fake_telegram.push_message(1, 1, "one")
    second = fake_telegram.push_message(1, 1, "two")
    with httpx.Client(timeout=10) as http:
        got = http.post(url, json={"offset": 0, "limit": 1}).json()
        assert [u["update_id"] for u in got["result"]] == [first]
        got = http.post(url, data={"offset": str(first + 1)}).json()
        assert [u["update_id"] for u in got["result"]] == [second]
        assert [u["update_id"] for u in fake_telegram.pending_updates()] == [second]
        assert http.post(url, data={"offset": str(second + 1)}).json()["result"] == []

        # an empty long poll waits (the fake caps it at 2 s), then answers empty
        assert http.post(url, data={"offset": str(second + 1), "timeout": "30"}).json() == {
            "ok": True,
            "result": [],
        }

        timer = threading.Timer(0.2, fake_telegram.push_message, args=(1, 1, "three"))
        timer.start()
        # an update pushed during the wait answers it
        got = http.post(url, data={"offset": str(second + 1), "timeout": "30"}).json()
        timer.join()
        assert [u["message"]["text"] for u in got["result"]] == ["three"]


def test_telegram_stop_ends_long_poll(fake_telegram: FakeTelegramAPI) -> None:
    url = f"{fake_telegram.base_url}{fake_telegram.token}/getUpdates"

    def poll() -> None:
        try:
            httpx.post(url, data={"timeout": "30"}, timeout=10)
        except httpx.HTTPError:
            pass

    thread = threading.Thread(target=poll)
    thread.start()
    fake_telegram.wait_until(lambda: fake_telegram.polls_waiting == 1)
    fake_telegram.stop()
    fake_telegram.wait_until(lambda: fake_telegram.polls_waiting == 0, timeout=0.5)  # server side
    thread.join(5)
    assert not thread.is_alive()  # the waiting client was let go, long before its 30 s poll


def test_telegram_application_polling(fake_telegram: FakeTelegramAPI) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
        await update.message.reply_text(
            f"echo: {update.message.text}", reply_markup=keyboard, do_quote=True
        )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("welcome")

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"got {query.data}")
        await query.edit_message_text("confirmed")

    async def main() -> None:
        app = (
            ApplicationBuilder()
            .token(fake_telegram.token)
            .base_url(fake_telegram.base_url)
            .base_file_url(fake_telegram.base_file_url)
            .build()
        )
        app.add_handler(CommandHandler("start", start))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
        app.add_handler(CallbackQueryHandler(on_button))
        updater = app.updater
        assert updater is not None  # the builder makes one unless told not to
        await app.initialize()
        await updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            fake_telegram.push_message(42, 42, "/start")
            fake_telegram.push_message(42, 42, "hello bot")
            replies = await asyncio.to_thread(fake_telegram.wait_for, "sendMessage", 2)
            assert [c.params["text"] for c in replies] == ["welcome", "echo: hello bot"]
            bot_msg = replies[1].response["result"]
            assert bot_msg["reply_to_message"]["text"] == "hello bot"
            fake_telegram.push_callback(42, 42, "ok", bot_msg["message_id"])
            (answer,) = await asyncio.to_thread(fake_telegram.wait_for, "answerCallbackQuery")
            assert answer.ok and answer.params["text"] == "got ok"
            await asyncio.to_thread(fake_telegram.wait_for, "editMessageText")
        finally:
            await updater.stop()
            await app.stop()
            await app.shutdown()

    asyncio.run(main())
    assert [m["text"] for m in fake_telegram.sent_messages(42)] == ["welcome", "confirmed"]
    assert fake_telegram.count("deleteWebhook") == 1  # the updater's bootstrap
    assert fake_telegram.pending_updates() == []  # all confirmed at shutdown
