"""Every write once per platform request, against the real `crmbot serve` processes and the
fake platform APIs: a Slack retry arriving after a restart, a replayed signed slash command
(same trigger_id), a replayed button payload, a Telegram edit of a message already acted on."""

from __future__ import annotations

import html
import json
import urllib.parse
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import texts
from crm_core.database import open_database
from crm_core.models import Deal, Interaction, Task
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.adapters.test_slack_serve import SlackApp, event, ts
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(180)


def count(url: str, model: type) -> int:
    database = open_database(url)
    with database.transaction() as s:
        n = s.scalar(select(func.count()).select_from(model)) or 0
    database.dispose()
    return n


def _serve_slack(fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]) -> SlackApp:
    served = Served(
        ["serve", "slack", "--db", crm_url, "--port", "0", "--host", "127.0.0.1"],
        {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.url,
        },
    )
    serve.append(served)
    port = int(served.wait_line(r"Slack events on http://[\d.]+:(\d+)/slack/events").group(1))
    return SlackApp(served, port)


@pytest.fixture
def slack_fake(fake_slack: FakeSlackAPI) -> FakeSlackAPI:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    fake_slack.add_channel("C1", "sales")
    fake_slack.add_channel("D1", "dana-dm")
    return fake_slack


def test_a_slack_retry_after_a_restart_writes_nothing_twice(
    slack_fake: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    first = _serve_slack(slack_fake, crm_url, serve)
    body = event(
        "message", "remind me to call Hooli tomorrow at 10", ts(20), channel="D1", channel_type="im"
    )
    assert first.post(body)[0] == 200
    answer = slack_fake.wait_for("chat.postMessage", timeout=20)[0].params["text"]
    assert answer.startswith("OK, I'll remind you")
    first.served.stop()  # the process goes away; Slack did not get our ack in time
    second = _serve_slack(slack_fake, crm_url, serve)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert second.post(body, headers=retry)[0] == 200
    again = slack_fake.wait_for("chat.postMessage", n=2, timeout=20)[1].params["text"]
    assert again == answer  # the stored answer, not a second reminder
    assert count(crm_url, Task) == 1


def test_a_replayed_slash_command_makes_one_deal(
    slack_fake: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _serve_slack(slack_fake, crm_url, serve)
    form = urllib.parse.urlencode(
        {
            "command": "/crm",
            "text": "new deal Hooli 40k closing Dec 18",
            "user_id": "U1",
            "user_name": "dana",
            "channel_id": "C1",
            "team_id": "T0TEST",
            "trigger_id": "13345224609.738474.3f1a",
            "response_url": slack_fake.url + "response/slash",
        }
    )
    for _ in range(5):  # the same signed request, sent five times
        assert slack.post(form, "application/x-www-form-urlencoded")[0] == 200
    answers = slack_fake.wait_for("response/slash", n=5, timeout=30)
    assert {a.params["text"] for a in answers} == {answers[0].params["text"]}
    assert answers[0].params["text"].startswith("New deal #1: Hooli deal, $40,000")
    assert count(crm_url, Deal) == 1


def _click(message: Any, action: dict[str, Any], channel: str, action_ts: str) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "api_app_id": "A0APP",
        "team": {"id": "T0TEST"},
        "channel": {"id": channel},
        "container": {
            "type": "message",
            "message_ts": message.response["ts"],
            "channel_id": channel,
        },
        "message": {
            "ts": message.response["ts"],
            "text": message.params["text"],
            "blocks": message.params["blocks"],
        },
        "trigger_id": "trig",
        "response_url": "http://127.0.0.1:9/response/1",
        "actions": [{**action, "block_id": "b", "action_ts": action_ts}],
    }
    return "payload=" + urllib.parse.quote(json.dumps(payload))


def test_a_replayed_button_payload_makes_one_follow_up(
    slack_fake: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _serve_slack(slack_fake, crm_url, serve)
    slack.post(event("message", "log call with Initech", ts(30), channel="D1", channel_type="im"))
    logged = slack_fake.wait_for("chat.postMessage", timeout=20)[0]
    buttons = logged.params["blocks"][-1]["elements"]
    follow_up = next(b for b in buttons if json.loads(b["value"])["action"] == "follow_up")
    body = _click(logged, follow_up, "D1", ts(31))
    for _ in range(5):
        assert slack.post(body, "application/x-www-form-urlencoded")[0] == 200
    replies = slack_fake.wait_for("chat.postMessage", n=6, timeout=30)[1:]
    assert len({r.params["text"] for r in replies}) == 1
    assert replies[0].params["text"].startswith("Follow-up with Initech set for")
    database = open_database(crm_url)
    with database.transaction() as s:
        kinds = list(s.scalars(select(Task.kind)))
    database.dispose()
    assert kinds == ["follow_up"] and count(crm_url, Interaction) == 1


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


@pytest.mark.parametrize(
    ("text", "edited", "model"),
    [
        ("remind me to call Hooli tomorrow at 10", "remind me to call Hooli tomorrow at 11", Task),
        ("log call with Acme", "log call with Acme and Hooli", Interaction),
    ],
)
def test_a_telegram_edit_is_not_applied_and_the_person_is_told(
    telegram: Served,
    fake_telegram: FakeTelegramAPI,
    crm_url: str,
    text: str,
    edited: str,
    model: type,
) -> None:
    update = fake_telegram.push_message(4242, 4242, text)
    first = fake_telegram.wait_for("sendMessage", timeout=20)[0]
    assert not first.params["text"].startswith("I saw you edited")
    message_id = fake_telegram.get_update(update)["message"]["message_id"]
    fake_telegram.edit_message(4242, message_id, edited)
    told = fake_telegram.wait_for("sendMessage", n=2, timeout=20)[1]
    assert html.unescape(told.params["text"]) == texts.EDIT_NOT_APPLIED  # sent as HTML
    assert count(crm_url, model) == 1


def test_a_slack_edit_is_not_applied_and_the_person_is_told(
    slack_fake: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _serve_slack(slack_fake, crm_url, serve)
    original = ts(40)
    first = event("message", "log call with Hooli", original, channel="D1", channel_type="im")
    assert slack.post(first)[0] == 200
    slack_fake.wait_for("chat.postMessage", timeout=20)
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": "D1",
        "channel_type": "im",
        "event_ts": ts(41),
        "ts": ts(41),
        "message": {"user": "U1", "text": "log call with Hooli and Globex", "ts": original},
        "previous_message": {"user": "U1", "text": "log call with Hooli", "ts": original},
    }
    body = json.loads(first)
    body["event"], body["event_id"] = edited, f"Ev{ts(41)}"
    assert slack.post(json.dumps(body))[0] == 200
    told = slack_fake.wait_for("chat.postMessage", n=2, timeout=20)[1].params
    assert told["text"] == texts.EDIT_NOT_APPLIED and told.get("thread_ts") == original
    assert count(crm_url, Interaction) == 1
    # a link preview arriving as message_changed with the same words is not an edit
    unfurl = dict(edited, event_ts=ts(42), ts=ts(42))
    unfurl["message"] = {"user": "U1", "text": "log call with Hooli", "ts": original}
    body["event"], body["event_id"] = unfurl, f"Ev{ts(42)}"
    assert slack.post(json.dumps(body))[0] == 200
    assert len(slack_fake.calls("chat.postMessage")) == 2
