"""`crmbot serve telegram` as a running process: updates in through long polling, messages
out through the real python-telegram-bot stack, against the fake Bot API."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from crm_core.database import open_database
from crm_core.models import ChannelLink, Deal, Interaction
from tests.adapters.conftest import Served, set_role
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def telegram(fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]) -> Served:
    served = Served(
        ["serve", "telegram", "--db", crm_url],
        {"TELEGRAM_BOT_TOKEN": fake_telegram.token, "TELEGRAM_API_URL": fake_telegram.base_url},
    )
    serve.append(served)
    served.wait_line(r"Telegram bot @crmbot_test_bot polling")
    fake_telegram.wait_for("getUpdates", timeout=30)
    return served


def count(url: str, model: type) -> int:
    database = open_database(url)
    with database.transaction() as s:
        n = s.scalar(select(func.count()).select_from(model)) or 0
    database.dispose()
    return n


def test_private_message_in_reply_out(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    fake_telegram.push_message(4242, 4242, "log call with Acme, follow up Friday")
    sent = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert sent.params["chat_id"] in (4242, "4242")
    assert sent.params["text"].startswith("Logged a call with Acme Corp, Inc.")
    assert sent.params["parse_mode"] == "HTML"
    assert count(crm_url, Interaction) == 1
    commands = {c["command"] for scoped in fake_telegram.commands.values() for c in scoped}
    assert {"start", "log", "pipeline", "link"} <= commands


def test_button_completes_a_confirmation(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    fake_telegram.push_message(4242, 4242, "new deal Hooli 40k closing Dec 18")
    fake_telegram.wait_for("sendMessage", timeout=20)
    fake_telegram.push_message(4242, 4242, "mark the Hooli deal as lost")
    question = fake_telegram.wait_for("sendMessage", n=2, timeout=20)[1]
    markup = question.params["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    yes = markup["inline_keyboard"][0][0]
    assert yes["text"] == "Yes" and yes["callback_data"] == "confirm|"
    message_id = question.response["result"]["message_id"]
    fake_telegram.push_callback(4242, 4242, yes["callback_data"], message_id)
    fake_telegram.wait_for("answerCallbackQuery", timeout=20)
    answer = fake_telegram.wait_for("sendMessage", n=3, timeout=20)[2]
    assert answer.params["text"] == "Updated Hooli deal: prospecting → lost."
    assert fake_telegram.count("editMessageReplyMarkup") == 1
    database = open_database(crm_url)
    with database.transaction() as s:
        assert s.scalar(select(Deal.stage)) == "lost"
    database.dispose()


def test_groups_only_when_addressed_and_link(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    set_role(crm_url, "tom", "manager")  # only a manager or an admin may link a channel
    fake_telegram.push_message(
        -100, 4242, "log call with Initech", chat_type="supergroup", chat_title="Sales team"
    )
    fake_telegram.push_message(
        -100, 4242, "/link #sales", chat_type="supergroup", chat_title="Sales team"
    )
    linked = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert linked.params["text"] == "Linked: pushes for #sales now come to this group."
    fake_telegram.push_message(
        -100,
        4242,
        "@crmbot_test_bot log call with Initech",
        chat_type="supergroup",
        chat_title="Sales team",
    )
    answer = fake_telegram.wait_for("sendMessage", n=2, timeout=20)[1]
    assert answer.params["text"].startswith("Logged a call with Initech")
    assert count(crm_url, Interaction) == 1  # the unaddressed message was left alone
    assert count(crm_url, ChannelLink) == 1


def test_shortcut_command_and_start(telegram: Served, fake_telegram: FakeTelegramAPI) -> None:
    fake_telegram.push_message(4242, 4242, "/start")
    hello = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert hello.params["text"].startswith("Hi Tess!")
    fake_telegram.push_message(4242, 4242, "/history Acme")
    history = fake_telegram.wait_for("sendMessage", n=2, timeout=20)[1]
    assert history.params["text"].startswith("Acme Corp, Inc.: last contact never")


def test_bad_token_is_one_line_and_exit_1(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    served = Served(
        ["serve", "telegram", "--db", crm_url],
        {"TELEGRAM_BOT_TOKEN": "999999:WRONG-token", "TELEGRAM_API_URL": fake_telegram.base_url},
    )
    serve.append(served)
    assert served.wait_exit() == 1
    assert served.lines[-1] == "crmbot: Telegram refused TELEGRAM_BOT_TOKEN (Unauthorized)"
