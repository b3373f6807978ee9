"""`crmbot serve slack` in the places a real workspace puts it: a /crm confirmation in a
channel the bot never joined (answered through the click's response_url), a channel that
refuses the bot's post, and a reply too long for one message."""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

import pytest
from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import Deal
from crm_core.services import customers, users
from crm_core.services.context import Actor
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.adapters.test_native_telegram import LONG_NOTES, ODD_NAME, seed_long_history
from tests.adapters.test_slack_serve import SlackApp, event, ts
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def slack(fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]) -> SlackApp:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    fake_slack.add_channel("C1", "sales")
    fake_slack.add_channel("D1", "dana-dm")
    fake_slack.add_channel("C9", "east-deals", is_member=False)  # the bot was never invited
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


def as_shown(mrkdwn: str) -> str:
    """What Slack displays for an escaped mrkdwn text: entities decoded, zero-width gone."""
    return (
        mrkdwn.replace("\u200b", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text object in a block tree."""
    if isinstance(node, list):
        return [t for item in node for t in mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [t for value in node.values() for t in mrkdwn_texts(value)]


def deal_stage(url: str) -> str | None:
    database = open_database(url)
    with database.transaction() as s:
        stage = s.scalar(select(Deal.stage))
    database.dispose()
    return stage


def slash(slack: SlackApp, fake: FakeSlackAPI, text: str, channel: str, name: str) -> None:
    form = urllib.parse.urlencode(
        {
            "command": "/crm",
            "text": text,
            "user_id": "U1",
            "user_name": "dana",
            "channel_id": channel,
            "team_id": "T0TEST",
            "trigger_id": f"trig-{name}",
            "response_url": fake.response_url(name, channel=channel, user="U1"),
        }
    )
    status, _ = slack.post(form, "application/x-www-form-urlencoded")
    assert status == 200  # acknowledged (the ack time is measured in bench/bench_slack.py)


def press(
    slack: SlackApp, button: dict[str, Any], container: dict[str, Any], url: str, n: int
) -> None:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T0TEST"},
        "api_app_id": "A0APP",
        "team": {"id": "T0TEST"},
        "channel": {"id": container["channel_id"]},
        "container": container,
        "trigger_id": f"click-{n}",
        "response_url": url,
        "actions": [{**button, "block_id": "b", "action_ts": ts(200 + n)}],
    }
    body = "payload=" + urllib.parse.quote(json.dumps(payload))
    status, _ = slack.post(body, "application/x-www-form-urlencoded")
    assert status == 200  # acknowledged (the ack time is measured in bench/bench_slack.py)


def button(blocks: list[dict[str, Any]], action: str) -> dict[str, Any]:
    elements = next(b for b in blocks if b["type"] == "actions")["elements"]
    return next(e for e in elements if json.loads(e["value"])["action"] == action)


def test_a_slash_confirmation_in_a_channel_the_bot_is_not_in(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    slash(slack, fake_slack, "new deal Hooli 40k closing Dec 18", "C9", "new")
    fake_slack.wait_for("response/new", timeout=20)
    slash(slack, fake_slack, "mark the Hooli deal as lost", "C9", "ask")
    fake_slack.wait_for("response/ask", timeout=20)
    question = fake_slack.ephemerals[-1]
    assert question["user"] == "U1" and question["channel"] == "C9"
    assert question["text"] == "Mark Hooli deal ($40,000) as lost?"
    # Dana presses Yes on the ephemeral question: Slack sends no `message` for ephemerals.
    container = {
        "type": "message",
        "message_ts": question["message_ts"],
        "channel_id": "C9",
        "is_ephemeral": True,
    }
    url = fake_slack.response_url(
        "yes", channel="C9", user="U1", message_ts=question["message_ts"], ephemeral=True
    )
    press(slack, button(question["blocks"], "confirm"), container, url, 1)
    answered = fake_slack.wait_for("response/yes", timeout=20)[0]
    assert answered.response == {"ok": True}
    assert answered.params["replace_original"] is True
    assert answered.params["response_type"] == "ephemeral"  # stays between Dana and the bot
    shown = fake_slack.ephemeral(question["message_ts"])
    assert shown is not None and shown["text"] == "Updated Hooli deal: prospecting → lost."
    assert all(b["type"] != "actions" for b in shown["blocks"])  # the buttons are gone
    assert "<@U1> chose *Yes*" in json.dumps(shown["blocks"])
    assert deal_stage(crm_url) == "lost"
    # Nothing tried the channel the bot is not in, and nothing failed there.
    assert fake_slack.count("chat.postMessage") == 0 and fake_slack.count("chat.update") == 0
    assert not fake_slack.messages("C9")


def test_an_answer_the_channel_refuses_reaches_the_clicker(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    slack.post(event("app_mention", "<@UBOT> new deal Hooli 40k closing Dec 18", ts(300)))
    fake_slack.wait_for("chat.postMessage", timeout=20)
    slack.post(event("app_mention", "<@UBOT> mark the Hooli deal as lost", ts(301)))
    question = fake_slack.wait_for("chat.postMessage", n=2, timeout=20)[1]
    fake_slack.channels["C1"]["is_member"] = False  # the bot is removed from #sales meanwhile
    message_ts = question.response["ts"]
    container = {"type": "message", "message_ts": message_ts, "channel_id": "C1"}
    url = fake_slack.response_url("c1", channel="C1", user="U1", message_ts=message_ts)
    payload_message = {
        "ts": message_ts,
        "text": question.params["text"],
        "blocks": question.params["blocks"],
    }
    body: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T0TEST"},
        "team": {"id": "T0TEST"},
        "channel": {"id": "C1"},
        "container": container,
        "message": payload_message,
        "trigger_id": "click-c1",
        "response_url": url,
        "actions": [{**button(question.params["blocks"], "confirm"), "action_ts": ts(302)}],
    }
    form = "payload=" + urllib.parse.quote(json.dumps(body))
    assert slack.post(form, "application/x-www-form-urlencoded")[0] == 200
    answered = fake_slack.wait_for("response/c1", timeout=20)[0]
    refused = fake_slack.calls("chat.postMessage")[2]
    assert refused.response["error"] == "not_in_channel"
    assert answered.params["response_type"] == "ephemeral"
    assert answered.params["replace_original"] is False
    assert answered.params["text"] == "Updated Hooli deal: prospecting → lost."
    closed = fake_slack.messages("C1")[1]  # the question itself lost its buttons
    assert all(b["type"] != "actions" for b in closed["blocks"])
    assert deal_stage(crm_url) == "lost"


def test_a_5000_character_history_arrives_whole(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    seed_long_history(crm_url)
    slack.post(event("message", "what's going on with Hooli?", ts(400), "D1", channel_type="im"))
    fake_slack.wait_for("chat.postMessage", timeout=20)
    time.sleep(1.0)  # a continuation, if any, is posted right after the first message
    posts = fake_slack.calls("chat.postMessage")
    assert all(p.response["ok"] for p in posts)
    shown = "\n".join(
        as_shown(b["text"]["text"])
        for p in posts
        for b in p.params["blocks"]
        if b["type"] == "section" and "text" in b
    )
    assert len(shown) > 5000
    for note in LONG_NOTES:
        assert note in shown  # every entry, none cut
    blocks = [b for p in posts for b in p.params["blocks"]]
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if "text" in b)
    assert posts[-1].params["blocks"][-1]["type"] == "actions"  # "Log a call" still there


def test_a_name_with_markup_is_shown_as_typed_and_pings_nobody(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    database = open_database(crm_url)
    with database.transaction() as s:
        dana = users.find_user(s, "dana")
        assert dana is not None
        customers.create_customer(
            session=s, actor=Actor.system("tests"), name=ODD_NAME, owner_id=dana.id
        )
    database.dispose()
    slack.post(event("message", "what's going on with Ping?", ts(500), "D1", channel_type="im"))
    sent = fake_slack.wait_for("chat.postMessage", timeout=20)[0]
    assert sent.response["ok"]
    assert "<!channel>" not in json.dumps(sent.params)  # no field can ping the channel
    for text in mrkdwn_texts(sent.params["blocks"]) + [sent.params["text"]]:
        assert "*Bold*" not in text and "_it_" not in text  # never formatting
    assert as_shown(sent.params["text"]).startswith(ODD_NAME)  # the notification text
    header = next(b for b in sent.params["blocks"] if b["type"] == "header")
    assert as_shown(header["text"]["text"]) == ODD_NAME  # the title, plain text
    assert as_shown(sent.params["blocks"][0]["text"]["text"]).startswith(ODD_NAME)
