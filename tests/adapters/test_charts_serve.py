"""A manager's "pipeline chart" / "forecast chart" through real `crmbot serve` processes: the
table in the text, then the PNG uploaded to Slack (files_upload_v2) and sent to Telegram
(sendPhoto), as the fake APIs record them."""

from __future__ import annotations

import urllib.parse
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import Customer, User
from crm_core.periods import quarter_of
from crm_core.services import deals, targets
from crm_core.services.context import Actor
from tests.adapters.conftest import SIGNING_SECRET, Served, set_role
from tests.adapters.test_slack_serve import SlackApp, event, ts
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(150)
PNG = b"\x89PNG\r\n\x1a\n"


def _size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.fixture
def numbers(crm_url: str) -> str:
    """Dana and Tom (team east) become managers; two deals close this quarter and team east
    has a $500,000 target for it (the serving process uses the real clock)."""
    set_role(crm_url, "dana", "manager")
    set_role(crm_url, "tom", "manager")
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    start, end = quarter_of(today)
    label = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    database = open_database(crm_url)
    system = Actor.system("tests")
    with database.transaction() as s:
        dana = s.scalar(select(User).where(User.name == "dana"))
        assert dana is not None
        for name, amount, stage in (("Acme Corp, Inc.", 300000, "won"), ("Hooli", 80000, "")):
            customer = s.scalar(select(Customer).where(Customer.name == name))
            assert customer is not None
            deal = deals.create_deal(
                session=s,
                actor=system,
                customer_id=customer.id,
                amount=amount,
                close_date=min(end, today + timedelta(days=1)),
                owner_id=dana.id,
                probability=None if stage else Decimal("0.25"),
            )
            if stage:
                deals.update_deal(session=s, actor=system, deal_id=deal.id, stage=stage)
        targets.set_target(
            session=s,
            actor=system,
            subject=targets.team_subject("east"),
            period=targets.parse_period(label),
            amount=Decimal("500000"),
        )
    database.dispose()
    return crm_url


def test_slack_pipeline_chart_is_uploaded_after_the_table(
    fake_slack: FakeSlackAPI, numbers: str, serve: list[Served]
) -> None:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    fake_slack.add_channel("D1", "dana-dm")
    served = Served(
        ["serve", "slack", "--db", numbers, "--port", "0", "--host", "127.0.0.1"],
        {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.url,
        },
    )
    serve.append(served)
    port = int(served.wait_line(r"Slack events on http://[\d.]+:(\d+)/slack/events").group(1))
    slack = SlackApp(served, port)
    status, _ = slack.post(
        event("message", "pipeline chart by owner", ts(1), channel="D1", channel_type="im")
    )
    assert status == 200
    fake_slack.wait_for("files.completeUploadExternal", timeout=30)
    [posted] = [c for c in fake_slack.calls("chat.postMessage") if c.ok]
    assert posted.params["channel"] == "D1"
    assert "Team east's open pipeline: $80,000 in 1 deal" in posted.params["text"]
    [upload] = fake_slack.uploads("D1")
    assert upload["filename"] == "pipeline-by-owner.png"
    assert upload["title"] == "Pipeline by owner"
    assert upload["data"].startswith(PNG) and _size(upload["data"]) == (800, 450)
    assert 10_000 < len(upload["data"]) < 200_000
    [step2] = fake_slack.calls("upload")
    assert step2.ok and step2.files["file"] == upload["data"]
    # The text went first, the file after it.
    order = [c.method for c in fake_slack.calls() if c.ok]
    assert order.index("chat.postMessage") < order.index("files.completeUploadExternal")

    # /crm in a channel the bot has not joined: the answer is ephemeral (response_url) and a
    # file cannot be, so the chart goes to the person's DM with the bot.
    fake_slack.add_channel("C7", "deals", is_member=False)
    form = urllib.parse.urlencode(
        {
            "command": "/crm",
            "text": "forecast chart",
            "user_id": "U1",
            "user_name": "dana",
            "channel_id": "C7",
            "team_id": "T0TEST",
            "trigger_id": "t-chart",
            "response_url": fake_slack.url + "response/chart",
        }
    )
    status, _ = slack.post(form, "application/x-www-form-urlencoded")
    assert status == 200
    answered = fake_slack.wait_for("response/chart", timeout=30)[0]
    assert "$320,000 of the $500,000 target, 64 %; $180,000 to go." in answered.params["text"]
    fake_slack.wait_for("files.completeUploadExternal", n=2, timeout=30)
    dm = fake_slack.dm_channel("U1")
    assert dm is not None
    [chart] = fake_slack.uploads(dm)
    assert chart["filename"].startswith("forecast-") and chart["data"].startswith(PNG)
    assert fake_slack.uploads("C7") == []


def test_telegram_forecast_chart_is_sent_as_a_photo(
    fake_telegram: FakeTelegramAPI, numbers: str, serve: list[Served]
) -> None:
    fake_telegram.add_chat(4242, "private")
    served = Served(
        ["serve", "telegram", "--db", numbers],
        {"TELEGRAM_BOT_TOKEN": fake_telegram.token, "TELEGRAM_API_URL": fake_telegram.base_url},
    )
    serve.append(served)
    served.wait_line(r"Telegram bot @crmbot_test_bot polling")
    fake_telegram.wait_for("getUpdates", timeout=30)
    fake_telegram.push_message(4242, 4242, "/forecast chart")
    fake_telegram.wait_for("sendPhoto", timeout=30)
    [text] = [c for c in fake_telegram.calls("sendMessage") if c.ok]
    # won 300,000 in full + Hooli's 80,000 at its own 25 % = 320,000
    assert "$320,000 of the $500,000 target, 64 %; $180,000 to go." in text.params["text"]
    [photo] = fake_telegram.photos
    assert photo["chat_id"] == 4242
    assert photo["caption"].startswith("Team east's forecast, ")
    assert photo["data"].startswith(PNG) and _size(photo["data"]) == (800, 450)
    sent = photo["message"]["photo"][0]
    assert (sent["width"], sent["height"]) == (800, 450)
