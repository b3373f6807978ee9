"""`crmbot serve`'s log: one JSON object a line with CRMBOT_LOG_FORMAT=json, and what customers
wrote (message text, customer and people's names, what a reminder says) never at INFO or
above, in either format; DEBUG may show it, and does (so this test can see a leak)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import User
from crm_core.services import customers, tasks
from crm_core.services.context import Actor
from tests.adapters.conftest import Served
from tests.adapters.health import HEALTH_LINE
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(120)

SAID = "they want the blue plan"
CUSTOMER = "Quibblewick"
REMINDER = "send the Zanzibar contract"
PRIVATE = (SAID, CUSTOMER, REMINDER, "Zanzibar", "Tom Berg")


def run(fake: FakeTelegramAPI, url: str, serve: list[Served], **env: str) -> list[str]:
    """A Telegram bot that answers a message naming a customer and delivers a reminder; its
    stderr lines after it stopped."""
    fake.add_chat(4242, "private")
    database = open_database(url)
    with database.transaction() as s:
        tom = s.scalar(select(User).where(User.name == "tom"))
        assert tom is not None
        system = Actor.system("tests")
        customers.create_customer(session=s, actor=system, name=f"{CUSTOMER} Ltd", owner_id=tom.id)
        tasks.create_task(
            session=s,
            actor=system,
            text=REMINDER,
            due_at=datetime.now(UTC) - timedelta(minutes=1),
            owner_id=tom.id,
        )
    database.dispose()
    served = Served(
        ["serve", "telegram", "--db", url],
        {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url, **env},
    )
    serve.append(served)
    served.wait_line(HEALTH_LINE)
    served.wait_line(r"Telegram bot @crmbot_test_bot polling")
    fake.push_message(4242, 4242, f"log call with {CUSTOMER}, {SAID}", last_name="Berg")

    def said(word: str) -> bool:
        return any(word in str(call.params.get("text")) for call in fake.calls("sendMessage"))

    try:
        fake.wait_until(lambda: said(CUSTOMER), timeout=30)  # the answer names them
        fake.wait_until(lambda: said("Zanzibar"), timeout=30)  # the reminder went out
    except AssertionError as exc:
        texts = [call.params.get("text") for call in fake.calls("sendMessage")]
        raise AssertionError(f"{exc}; sent {texts}; log:\n" + "\n".join(served.lines)) from exc
    served.wait_line(r"push delivered reminder:")
    served.wait_line(r"handled telegram message")
    served.stop()
    return served.lines


def leaks(lines: list[tuple[str, str]]) -> list[str]:
    """(level, text) pairs at INFO or above that hold anything private."""
    return [
        text for level, text in lines if level != "DEBUG" and any(word in text for word in PRIVATE)
    ]


def test_json_lines_without_customer_text_at_info(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    lines = run(fake_telegram, crm_url, serve, CRMBOT_LOG_FORMAT="json")
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(records[0])
    messages = [r["message"] for r in records]
    assert any(m.startswith("Telegram bot @crmbot_test_bot polling") for m in messages)
    assert any(m.startswith("handled telegram message") for m in messages)
    assert leaks([(r["level"], r["message"] + r.get("exception", "")) for r in records]) == []


def test_plain_lines_without_customer_text_at_info(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    lines = run(fake_telegram, crm_url, serve)
    levelled = [(line.split()[2] if len(line.split()) > 2 else "", line) for line in lines]
    assert leaks(levelled) == []
    assert any(" INFO bot.observability: handled telegram message" in line for line in lines)


def test_debug_may_show_it(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    lines = run(fake_telegram, crm_url, serve, CRMBOT_LOG_FORMAT="json", CRMBOT_LOG_LEVEL="debug")
    records = [json.loads(line) for line in lines]
    debug = [r["message"] for r in records if r["level"] == "DEBUG"]
    assert any(SAID in m for m in debug) and any(REMINDER in m for m in debug)
    assert leaks([(r["level"], r["message"]) for r in records]) == []


def test_a_bad_log_setting_is_one_line(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    served = Served(
        ["serve", "telegram", "--db", crm_url],
        {"TELEGRAM_BOT_TOKEN": fake_telegram.token, "CRMBOT_LOG_FORMAT": "xml"},
    )
    serve.append(served)
    assert served.wait_exit() == 1
    assert served.lines == ["crmbot: CRMBOT_LOG_FORMAT must be plain or json, not 'xml'"]
