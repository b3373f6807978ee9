"""`crmbot serve telegram` with replies Telegram would refuse if sent as one message: a
customer history of more than 5,000 characters arrives whole, in several messages that each
parse (no tag or entity cut) and fit; names with markup are shown as typed."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from crm_core.database import open_database
from crm_core.services import customers, interactions, users
from crm_core.services.context import Actor
from tests.adapters.conftest import Served
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(120)

# Five call notes of ~1,100 characters each, every one with its own marker and an `&` and a
# `<` that must come through as typed.
LONG_NOTES = [
    f"note-{n}-start "
    + " ".join(f"renewal{n}x{i} pricing & terms <review>" for i in range(32))
    + f" note-{n}-end"
    for n in range(5)
]
ODD_NAME = "Ping <!channel> & Sons *Bold* _it_"


def seed_long_history(url: str) -> None:
    """Hooli gets five long call notes (what "what's going on with Hooli?" shows)."""
    database = open_database(url)
    with database.transaction() as s:
        dana = users.find_user(s, "dana")
        hooli = customers.find_by_key(s, "Hooli")
        assert dana is not None and hooli is not None
        actor = Actor(user_id=dana.id, label="dana", platform="tests")
        now = datetime.now(UTC)
        for n, note in enumerate(LONG_NOTES):
            interactions.log_interaction(
                session=s,
                actor=actor,
                customer_id=hooli.id,
                kind="call",
                summary=note,
                occurred_at=now - timedelta(days=5 - n),
                now=now,
            )
    database.dispose()


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


def test_a_5000_character_history_arrives_whole(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    seed_long_history(crm_url)
    fake_telegram.push_message(4242, 4242, "what's going on with Hooli?")
    sends = fake_telegram.wait_for("sendMessage", n=2, timeout=20)
    deadline = time.monotonic() + 20
    while sends[-1].params.get("reply_markup") is None:  # the keyboard rides on the last one
        assert time.monotonic() < deadline, [c.params["text"][:40] for c in sends]
        sends = fake_telegram.wait_for("sendMessage", n=len(sends) + 1, timeout=20)
    assert all(c.response.get("ok") for c in sends), [c.response for c in sends]
    shown = fake_telegram.sent_messages(4242)
    assert len(shown) >= 2
    whole = "\n".join(m["text"] for m in shown)
    assert len(whole) > 5000
    for note in LONG_NOTES:
        assert note in whole  # every entry whole, `&` and `<review>` as typed
    assert all(len(m["text"]) <= 4096 for m in shown)
    markups = [c.params.get("reply_markup") for c in sends]
    assert all(m is None for m in markups[:-1]) and markups[-1] is not None  # buttons last
    last = json.loads(markups[-1]) if isinstance(markups[-1], str) else markups[-1]
    assert last["inline_keyboard"][0][0]["callback_data"].startswith("log_call|")


def test_a_name_with_markup_is_shown_as_typed(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    database = open_database(crm_url)
    with database.transaction() as s:
        dana = users.find_user(s, "dana")
        assert dana is not None
        customers.create_customer(
            session=s, actor=Actor.system("tests"), name=ODD_NAME, owner_id=dana.id
        )
    database.dispose()
    fake_telegram.push_message(4242, 4242, "what's going on with Ping?")
    sent = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert sent.response.get("ok"), sent.response
    shown = fake_telegram.sent_messages(4242)[0]
    assert shown["text"].startswith(ODD_NAME)  # parsed by Telegram: the name as typed
    assert "<!channel>" not in sent.params["text"]  # escaped in what was sent
