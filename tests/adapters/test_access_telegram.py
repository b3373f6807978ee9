"""Who may talk to the CRM through `crmbot serve telegram`: strangers, invitations, /link,
other people's buttons, and the webhook's secret — a real process against the fake Bot API
(issue 11)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import texts
from crm_core.database import open_database
from crm_core.models import AuditEntry, ChannelLink, Deal, Interaction, User, UserIdentity
from crm_core.services import users
from crm_core.services.context import Actor
from tests.adapters.conftest import CRMBOT, Served, set_role
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(120)
GROUP = -100


def start(fake: FakeTelegramAPI, url: str, serve: list[Served], **env: str) -> Served:
    served = Served(
        ["serve", "telegram", "--db", url, "--no-scheduler"],
        {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url, **env},
    )
    serve.append(served)
    return served


@pytest.fixture
def telegram(fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]) -> Served:
    served = start(fake_telegram, crm_url, serve)
    served.wait_line(r"Telegram bot @crmbot_test_bot polling")
    fake_telegram.wait_for("getUpdates", timeout=30)
    return served


def said(call: Any) -> str:
    """The text of a message the bot sent, as the person sees it (HTML rendered)."""
    return str(call.response["result"]["text"])


def scalar(url: str, query: Any) -> Any:
    database = open_database(url)
    with database.transaction() as s:
        value = s.scalar(query)
    database.dispose()
    return value


def count(url: str, model: Any) -> int:
    return int(scalar(url, select(func.count()).select_from(model)) or 0)


def link_telegram(url: str, name: str, external_id: str) -> None:
    database = open_database(url)
    with database.transaction() as s:
        user = users.find_user(s, name)
        assert user is not None
        users.link_identity(
            session=s,
            actor=Actor.system("tests"),
            user_id=user.id,
            platform="telegram",
            external_id=external_id,
        )
    database.dispose()


def test_a_stranger_gets_one_line_and_no_account(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    fake_telegram.push_message(777, 777, "what's going on with Acme?", first_name="Eve")
    refused = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert said(refused) == texts.NOT_ENROLLED["invite"]
    fake_telegram.push_message(777, 777, "/start", first_name="Eve")
    start_reply = fake_telegram.wait_for("sendMessage", n=2, timeout=20)[1]
    assert said(start_reply) == texts.NOT_ENROLLED["invite"]  # no greeting, no data
    fake_telegram.push_message(777, 777, "/start not-a-real-invite-code", first_name="Eve")
    bad_code = fake_telegram.wait_for("sendMessage", n=3, timeout=20)[2]
    assert said(bad_code) == texts.INVITE_PROBLEM["invalid"]
    assert count(crm_url, User) == 2
    assert scalar(crm_url, select(UserIdentity).where(UserIdentity.external_id == "777")) is None


def test_invite_link_enrols_once(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    database = open_database(crm_url)
    with database.transaction() as s:
        users.create_user(
            session=s, actor=Actor.system("tests"), name="sam", display_name="Sam Hill"
        )
    database.dispose()
    made = subprocess.run(
        [CRMBOT, "users", "invite", "sam", "--db", crm_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake_telegram.token,
            "TELEGRAM_API_URL": fake_telegram.base_url,
        },
    )
    assert made.returncode == 0, made.stderr
    link = made.stdout.strip().splitlines()[-1]
    prefix = "https://t.me/crmbot_test_bot?start="
    assert link.startswith(prefix)
    code = link[len(prefix) :]
    fake_telegram.push_message(888, 888, f"/start {code}", first_name="Sam")
    hello = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert said(hello).startswith("Welcome, Sam Hill! Your Telegram account is now")
    fake_telegram.push_message(888, 888, "log call with Hooli", first_name="Sam")
    logged = fake_telegram.wait_for("sendMessage", n=2, timeout=20)[1]
    assert said(logged).startswith("Logged a call with Hooli")
    # The link works once: someone else who got hold of it is turned away.
    fake_telegram.push_message(999, 999, f"/start {code}", first_name="Mallory")
    again = fake_telegram.wait_for("sendMessage", n=3, timeout=20)[2]
    assert said(again) == texts.INVITE_PROBLEM["used"]
    sam = scalar(crm_url, select(User.id).where(User.name == "sam"))
    assert (
        scalar(crm_url, select(UserIdentity.user_id).where(UserIdentity.external_id == "888"))
        == sam
    )
    assert scalar(crm_url, select(UserIdentity).where(UserIdentity.external_id == "999")) is None
    assert count(crm_url, User) == 3
    database = open_database(crm_url)
    with database.transaction() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert all(code not in json.dumps(e.data) for e in s.scalars(select(AuditEntry)))
    database.dispose()
    assert {"invite.create", "invite.redeem", "invite.refused"} <= set(actions)
    assert code not in "\n".join(telegram.lines)


def test_only_managers_link_channels(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    def say(chat: int, user: int, text: str, n: int, **kw: Any) -> str:
        fake_telegram.push_message(chat, user, text, chat_type="supergroup", **kw)
        return said(fake_telegram.wait_for("sendMessage", n=n, timeout=20)[n - 1])

    # A stranger, in a group of their own, tries to take #sales.
    assert say(-666, 777, "/link #sales", 1, chat_title="Evil") == texts.NOT_ENROLLED["invite"]
    # Tom is a rep: not allowed either.
    assert say(GROUP, 4242, "/link #sales", 2, chat_title="Sales team") == texts.LINK_NOT_ALLOWED
    assert count(crm_url, ChannelLink) == 0
    set_role(crm_url, "tom", "manager")
    linked = say(GROUP, 4242, "/link #sales", 3, chat_title="Sales team")
    assert linked == texts.LINKED.format(name="#sales")
    moved = say(-200, 4242, "/link #sales", 4, chat_title="Sales floor")
    assert moved == texts.LINK_MOVED.format(name="#sales", before="Sales team")
    assert scalar(crm_url, select(ChannelLink.conversation_id)) == "-200"
    entries = scalar(crm_url, select(func.count()).where(AuditEntry.action == "channel.link"))
    assert entries == 2


def test_another_persons_click_leaves_the_question_alone(
    telegram: Served, fake_telegram: FakeTelegramAPI, crm_url: str
) -> None:
    link_telegram(crm_url, "dana", "5151")
    kw: dict[str, Any] = {"chat_type": "supergroup", "chat_title": "Sales team"}
    fake_telegram.push_message(
        GROUP, 4242, "@crmbot_test_bot new deal Hooli 40k closing Dec 18", **kw
    )
    fake_telegram.wait_for("sendMessage", timeout=20)
    asked = fake_telegram.push_message(
        GROUP, 4242, "@crmbot_test_bot mark the Hooli deal as lost", **kw
    )
    question = fake_telegram.wait_for("sendMessage", n=2, timeout=20)[1]
    assert said(question) == "Mark Hooli deal ($40,000) as lost?"
    question_id = question.response["result"]["message_id"]
    tom_message = fake_telegram.get_update(asked)["message"]["message_id"]
    assert question.response["result"]["reply_to_message"]["message_id"] == tom_message
    markup = fake_telegram.message(GROUP, question_id)["reply_markup"]  # type: ignore[index]
    # Dana (enrolled) and a stranger press Yes on Tom's question.
    for who, name in ((5151, "Dana"), (777, "Eve")):
        update = fake_telegram.push_callback(GROUP, who, "confirm|", question_id, first_name=name)
        qid = fake_telegram.get_update(update)["callback_query"]["id"]
        deadline = time.monotonic() + 20
        while qid not in fake_telegram.answered_callbacks and time.monotonic() < deadline:
            time.sleep(0.05)
        note = fake_telegram.answered_callbacks[qid]
        assert note["text"] == texts.NOT_YOUR_QUESTION.format(name="Tess")
        assert note.get("show_alert") in (True, "true", "True")
    time.sleep(1.0)
    assert fake_telegram.count("editMessageReplyMarkup") == 0
    assert fake_telegram.message(GROUP, question_id)["reply_markup"] == markup  # type: ignore[index]
    assert fake_telegram.count("sendMessage") == 2
    assert scalar(crm_url, select(Deal.stage)) == "prospecting"
    # Tom himself answers: done, and the buttons go.
    fake_telegram.push_callback(GROUP, 4242, "confirm|", question_id)
    answer = fake_telegram.wait_for("sendMessage", n=3, timeout=20)[2]
    assert said(answer) == "Updated Hooli deal: prospecting → lost."
    assert fake_telegram.wait_for("editMessageReplyMarkup", timeout=10)
    assert scalar(crm_url, select(Deal.stage)) == "lost"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post_update(port: int, update: dict[str, Any], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram",
        data=json.dumps(update).encode(),
        method="POST",
        headers=headers,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:  # the webhook server is not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def update(n: int, text: str) -> dict[str, Any]:
    """A private message from Tom (a manager here) as Telegram would POST it."""
    tom = {"id": 4242, "is_bot": False, "first_name": "Tom"}
    return {
        "update_id": 500 + n,
        "message": {
            "message_id": n,
            "from": tom,
            "chat": {"id": 4242, "type": "private", "first_name": "Tom"},
            "date": int(time.time()),
            "text": text,
        },
    }


def test_webhook_never_runs_unauthenticated(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    set_role(crm_url, "tom", "manager")
    fake_telegram.add_chat(4242)
    port = free_port()
    served = start(
        fake_telegram,
        crm_url,
        serve,
        TELEGRAM_WEBHOOK_URL="https://crm.example.test/telegram",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(port),
        CRMBOT_LOG_LEVEL="DEBUG",
    )
    served.wait_line(r"Telegram bot @crmbot_test_bot webhook https://crm.example.test/telegram")
    registered = fake_telegram.wait_for("setWebhook", timeout=30)[0].params
    secret = str(registered["secret_token"])
    assert len(secret) >= 32 and registered["url"] == "https://crm.example.test/telegram"
    # Forged updates: no secret, a wrong one. Each would change a deal's amount.
    assert post_update(port, update(1, "log call with Acme"), None) == 403
    assert post_update(port, update(2, "log call with Acme"), "x" * 43) == 403
    time.sleep(1.0)
    assert fake_telegram.count("sendMessage") == 0 and count(crm_url, Interaction) == 0
    # Telegram itself sends the secret it was given.
    assert post_update(port, update(3, "log call with Acme"), secret) == 200
    sent = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert said(sent).startswith("Logged a call with Acme")
    assert count(crm_url, Interaction) == 1
    served.stop()
    log = "\n".join(served.lines)
    assert secret not in log and fake_telegram.token not in log
    assert any(" DEBUG " in line for line in served.lines)


def test_webhook_uses_the_configured_secret(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    port = free_port()
    given = "my-own-webhook-secret_0123456789"
    served = start(
        fake_telegram,
        crm_url,
        serve,
        TELEGRAM_WEBHOOK_URL="https://crm.example.test/telegram",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(port),
        TELEGRAM_WEBHOOK_SECRET=given,
    )
    assert fake_telegram.wait_for("setWebhook", timeout=30)[0].params["secret_token"] == given
    fake_telegram.add_chat(4242)
    assert post_update(port, update(1, "log call with Acme"), None) == 403
    assert post_update(port, update(2, "log call with Acme"), given) == 200
    sent = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert said(sent).startswith("Logged a call with Acme")
    served.stop()


def test_a_malformed_webhook_secret_is_one_line(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    served = start(fake_telegram, crm_url, serve, TELEGRAM_WEBHOOK_SECRET="short")
    assert served.wait_exit() == 1
    assert served.lines[-1].startswith("crmbot: TELEGRAM_WEBHOOK_SECRET must be")
