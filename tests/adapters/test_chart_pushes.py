"""A scheduled push with a chart (the managers' weekly digest) through the real notifiers and
SDKs against the fake APIs: the text first, then the picture; a picture the platform refuses
is logged and the push still counts as delivered, so the text is never sent twice."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from telegram import Bot

from bot.adapters.slack_notifier import SlackNotifier
from bot.adapters.telegram_notifier import TelegramNotifier
from chat.reply import Attachment, Reply, Section
from jobs.notifier import PushTarget
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(60)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8  # the bytes travel as they are


def _digest() -> Reply:
    return Reply(
        "Weekly digest for team east: forecast $58,000 for the quarter.",
        [Section(title="Forecast Oct-Dec 2026", fields=[("Target", "$100,000")])],
        attachment=Attachment("forecast-2026-10-01-2026-12-31.png", "Forecast Oct-Dec 2026", PNG),
    )


def test_slack_push_uploads_the_chart_to_the_dm_and_the_channel(
    fake_slack: FakeSlackAPI,
) -> None:
    fake_slack.add_user("U1", "morgan", "Morgan Reyes")
    fake_slack.add_channel("C9", "sales")
    notifier = SlackNotifier(WebClient(token=fake_slack.token, base_url=fake_slack.url))
    person = PushTarget("user", user_id=3, identities={"slack": "U1"}, display="Morgan")
    notifier.send(person, Reply.from_dict(_digest().to_dict()), key="digest:1")
    notifier.send(PushTarget("channel", channel="#sales"), _digest(), key="digest:2")
    dm = fake_slack.dm_channel("U1")
    assert dm is not None
    [to_person] = fake_slack.uploads(dm)  # a file goes to a conversation, not to "U1"
    [to_channel] = fake_slack.uploads("C9")
    for upload in (to_person, to_channel):
        assert upload["data"] == PNG and upload["title"] == "Forecast Oct-Dec 2026"
    assert [m["text"] for m in fake_slack.messages("C9")] == [_digest().text]


def test_slack_refusing_the_file_does_not_fail_the_push(fake_slack: FakeSlackAPI) -> None:
    fake_slack.add_channel("C9", "sales")
    notifier = SlackNotifier(WebClient(token=fake_slack.token, base_url=fake_slack.url))
    fake_slack.error_next("files.completeUploadExternal", "not_in_channel")
    notifier.send(PushTarget("channel", channel="#sales"), _digest(), key="digest:3")
    assert notifier.already_delivered("digest:3") is True
    assert fake_slack.uploads() == []
    assert len(fake_slack.messages("C9")) == 1


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop in its own thread, as `crmbot serve telegram` runs PTB's."""
    running = asyncio.new_event_loop()
    thread = threading.Thread(target=running.run_forever, daemon=True)
    thread.start()
    yield running
    running.call_soon_threadsafe(running.stop)
    thread.join(5)
    running.close()


def test_telegram_push_sends_the_chart_as_a_photo(
    fake_telegram: FakeTelegramAPI, loop: asyncio.AbstractEventLoop
) -> None:
    fake_telegram.add_chat(4242, "private")
    bot = Bot(
        fake_telegram.token,
        base_url=fake_telegram.base_url,
        base_file_url=fake_telegram.base_file_url,
    )
    asyncio.run_coroutine_threadsafe(bot.initialize(), loop).result(10)
    notifier = TelegramNotifier(bot, loop, lambda name: None)
    person = PushTarget("user", user_id=3, identities={"telegram": "4242"})
    notifier.send(person, Reply.from_dict(_digest().to_dict()), key="digest:4")
    [text] = fake_telegram.sent_messages(4242)
    assert text["text"].startswith("Weekly digest for team east")
    [photo] = fake_telegram.photos
    assert photo["chat_id"] == 4242 and photo["data"] == PNG
    assert photo["caption"] == "Forecast Oct-Dec 2026"
    # A photo Telegram refuses: logged, and the (delivered) text is not sent again.
    fake_telegram.fail_next("sendPhoto", 400, description="Bad Request: IMAGE_PROCESS_FAILED")
    notifier.send(person, _digest(), key="digest:5")
    assert notifier.already_delivered("digest:5") is True
    assert len(fake_telegram.sent_messages(4242)) == 2 and len(fake_telegram.photos) == 1
    asyncio.run_coroutine_threadsafe(bot.shutdown(), loop).result(10)
