"""Who may talk to the CRM through `crmbot serve slack`, and what a hostile request gets: a
real process against the fake Slack Web API (issue 11)."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from typing import Any

import pytest
from sqlalchemy import select

from bot import texts
from crm_core.database import open_database
from crm_core.models import Deal, User
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.adapters.test_slack_serve import SlackApp, event, ts
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.timeout(120)


def start(fake: FakeSlackAPI, url: str, serve: list[Served], **env: str) -> SlackApp:
    fake.add_user("U1", "dana", "Dana Scully")
    fake.add_user("U2", "ann", "Ann Member")
    fake.add_user("UEXT", "eve", "Eve Outsider", team_id="TOTHER")  # Slack Connect
    fake.add_channel("C1", "sales")
    fake.add_channel("D1", "dana-dm")
    served = Served(
        ["serve", "slack", "--db", url, "--port", "0", "--host", "127.0.0.1", "--no-scheduler"],
        {
            "SLACK_BOT_TOKEN": fake.token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.url,
            **env,
        },
    )
    serve.append(served)
    port = int(served.wait_line(r"Slack events on http://[\d.]+:(\d+)/slack/events").group(1))
    return SlackApp(served, port)


def user_names(url: str) -> list[str]:
    database = open_database(url)
    with database.transaction() as s:
        names = list(s.scalars(select(User.name).order_by(User.name)))
    database.dispose()
    return names


def deal_stage(url: str) -> str | None:
    database = open_database(url)
    with database.transaction() as s:
        stage = s.scalar(select(Deal.stage))
    database.dispose()
    return stage


def click(
    slack: SlackApp, fake: FakeSlackAPI, user: str, question: Any, action: str, n: int
) -> int:
    """Press the button `action` of the bot's message `question` as `user`."""
    elements = question.params["blocks"][-1]["elements"]
    button = next(a for a in elements if json.loads(a["value"])["action"] == action)
    message_ts = question.response["ts"]
    channel = question.response["channel"]
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0TEST"},
        "api_app_id": "A0APP",
        "team": {"id": "T0TEST"},
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "message": {
            "ts": message_ts,
            "text": question.params["text"],
            "blocks": question.params["blocks"],
        },
        "trigger_id": f"trig{n}",
        "response_url": fake.url + f"response/{n}",
        "actions": [{**button, "action_ts": ts(100 + n)}],
    }
    body = "payload=" + urllib.parse.quote(json.dumps(payload))
    return slack.post(body, "application/x-www-form-urlencoded")[0]


def test_slack_connect_users_are_refused_members_enrol(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = start(fake_slack, crm_url, serve)
    # An outsider in a shared channel asks about a customer: one line, nothing about the CRM.
    inner = json.loads(event("app_mention", "<@UBOT> what's going on with Acme?", ts(10)))
    inner["event"].update(user="UEXT", user_team="TOTHER")
    assert slack.post(json.dumps(inner))[0] == 200
    refused = fake_slack.wait_for("chat.postMessage", timeout=20)[0]
    assert refused.params["text"] == texts.NOT_ENROLLED["external"]
    assert "Acme" not in json.dumps(refused.params)
    # In a DM, without user_team in the event: users.info says which organisation.
    inner = json.loads(event("message", "which customers might churn?", ts(11), channel="D9"))
    inner["event"].update(user="UEXT", channel_type="im")
    fake_slack.add_channel("D9", "eve-dm")
    assert slack.post(json.dumps(inner))[0] == 200
    second = fake_slack.wait_for("chat.postMessage", n=2, timeout=20)[1]
    assert second.params["text"] == texts.NOT_ENROLLED["external"]
    # The slash command and the App Home say the same, and show nothing.
    form = urllib.parse.urlencode(
        {
            "command": "/crm",
            "text": "pipeline",
            "user_id": "UEXT",
            "user_name": "eve",
            "channel_id": "C1",
            "team_id": "T0TEST",
            "trigger_id": "t-ext",
            "response_url": fake_slack.url + "response/ext",
        }
    )
    assert slack.post(form, "application/x-www-form-urlencoded")[0] == 200
    answered = fake_slack.wait_for("response/ext", timeout=20)[0]
    assert answered.params["text"] == texts.NOT_ENROLLED["external"]
    home = json.loads(event("app_home_opened", "", ts(12), channel="D9", tab="home"))
    home["event"]["user"] = "UEXT"
    assert slack.post(json.dumps(home))[0] == 200
    fake_slack.wait_for("views.publish", timeout=20)
    view = json.dumps(fake_slack.home_views["UEXT"])
    assert "Acme" not in view and "workspace" in view
    assert user_names(crm_url) == ["dana", "tom"]  # no row for the outsider
    # A member of the installing workspace is registered on first contact.
    member = json.loads(event("app_mention", "<@UBOT> what's going on with Acme?", ts(13)))
    member["event"].update(user="U2", user_team="T0TEST")
    assert slack.post(json.dumps(member))[0] == 200
    answer = fake_slack.wait_for("chat.postMessage", n=3, timeout=20)[2]
    assert answer.params["text"].startswith("Acme Corp, Inc.")
    assert user_names(crm_url) == ["ann.member", "dana", "tom"]


def test_external_users_allowed_by_setting(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = start(fake_slack, crm_url, serve, CRMBOT_SLACK_ALLOW_EXTERNAL="1")
    body = json.loads(event("app_mention", "<@UBOT> what's going on with Acme?", ts(20)))
    body["event"].update(user="UEXT", user_team="TOTHER")
    assert slack.post(json.dumps(body))[0] == 200
    answer = fake_slack.wait_for("chat.postMessage", timeout=20)[0]
    assert answer.params["text"].startswith("Acme Corp, Inc.")
    assert "eve.outsider" in user_names(crm_url)


def test_another_persons_click_leaves_the_question_alone(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = start(fake_slack, crm_url, serve)
    slack.post(event("app_mention", "<@UBOT> new deal Hooli 40k closing Dec 18", ts(30)))
    fake_slack.wait_for("chat.postMessage", timeout=20)
    slack.post(event("app_mention", "<@UBOT> mark the Hooli deal as lost", ts(31)))
    question = fake_slack.wait_for("chat.postMessage", n=2, timeout=20)[1]
    assert question.params["text"] == "Mark Hooli deal ($40,000) as lost?"
    # Ann (a member, but not the one asked) presses Yes.
    assert click(slack, fake_slack, "U2", question, "confirm", 1) == 200
    note = fake_slack.wait_for("response/1", timeout=20)[0]
    assert note.params["response_type"] == "ephemeral"
    assert note.params["text"] == texts.NOT_YOUR_QUESTION.format(name="<@U1>")
    assert note.params.get("replace_original") in (False, "false")
    time.sleep(1.0)
    assert fake_slack.count("chat.update") == 0  # the buttons stay; no "<@U2> chose Yes"
    assert fake_slack.count("chat.postMessage") == 2
    assert deal_stage(crm_url) == "prospecting"
    # Dana, who was asked, can still answer.
    assert click(slack, fake_slack, "U1", question, "confirm", 2) == 200
    answer = fake_slack.wait_for("chat.postMessage", n=3, timeout=20)[2]
    assert answer.params["text"] == "Updated Hooli deal: prospecting → lost."
    assert fake_slack.wait_for("chat.update", timeout=10)[0].params["channel"] == "C1"
    assert deal_stage(crm_url) == "lost"


def raw_post(port: int, body: bytes, headers: dict[str, str], send_body: bool = True) -> int:
    """A POST by hand: a client that announces a huge body need not send it to get 413."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("POST", "/slack/events")
        for key, value in headers.items():
            conn.putheader(key, value)
        conn.endheaders()
        if send_body:
            conn.send(body)
        return conn.getresponse().status
    finally:
        conn.close()


def test_hostile_http_requests_get_4xx_and_leave_no_trace_in_the_log(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = start(fake_slack, crm_url, serve, CRMBOT_LOG_LEVEL="DEBUG")
    port = int(slack.url.split(":")[2].split("/")[0])
    huge = {"Content-Type": "application/json", "Content-Length": str(5 * 1024 * 1024)}
    assert raw_post(port, b"", huge, send_body=False) == 413
    marker = "UNSIGNED-BODY-MARKER-" * 2000  # 42 kB nobody signed
    unsigned = {
        "Content-Type": "application/json",
        "Content-Length": str(len(marker)),
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    assert raw_post(port, marker.encode(), unsigned) == 401
    body = event("app_mention", "<@UBOT> log call with Acme", ts(40))
    assert slack.post(body, headers={"X-Slack-Request-Timestamp": "soon"})[0] == 401
    assert slack.post('{"type": "event_callback", "event": {')[0] == 400  # signed, malformed
    assert slack.post('[{"type": "event_callback"}]')[0] == 400  # signed JSON array
    assert slack.post("payload=%5B1%5D", "application/x-www-form-urlencoded")[0] == 400
    assert slack.post("payload=%7Bnot", "application/x-www-form-urlencoded")[0] == 400
    # A button whose id no record can have: a clear answer, not the crash reply.
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T0TEST"},
        "team": {"id": "T0TEST"},
        "channel": {"id": "D1"},
        "container": {"type": "message", "message_ts": ts(41), "channel_id": "D1"},
        "message": {"ts": ts(41), "text": "Your tasks", "blocks": []},
        "trigger_id": "trig-big",
        "response_url": fake_slack.url + "response/big",
        "actions": [
            {
                "action_id": "task_done",
                "type": "button",
                "value": json.dumps({"action": "task_done", "value": str(10**20)}),
                "text": {"type": "plain_text", "text": "Done"},
                "action_ts": ts(42),
            }
        ],
    }
    form = "payload=" + urllib.parse.quote(json.dumps(payload))
    assert slack.post(form, "application/x-www-form-urlencoded")[0] == 200
    answer = fake_slack.wait_for("chat.postMessage", timeout=20)[0]
    assert answer.params["text"] == texts.NUMBER_TOO_BIG
    # A button value that is JSON but not ours.
    payload["actions"][0].update(value="[1]", action_ts=ts(44))
    payload["trigger_id"] = "trig-list"
    form = "payload=" + urllib.parse.quote(json.dumps(payload))
    assert slack.post(form, "application/x-www-form-urlencoded")[0] == 200
    answer = fake_slack.wait_for("chat.postMessage", n=2, timeout=20)[1]
    assert answer.params["text"] == texts.BAD_BUTTON
    # Still serving, and the log holds neither the unsigned body nor any secret.
    assert slack.post(event("app_mention", "<@UBOT> log call with Acme", ts(43)))[0] == 200
    fake_slack.wait_for("chat.postMessage", n=3, timeout=20)
    slack.served.stop()
    log = "\n".join(slack.served.lines)
    assert "UNSIGNED-BODY-MARKER" not in log
    assert SIGNING_SECRET not in log and fake_slack.token not in log
    assert "Traceback" not in log and len(max(slack.served.lines, key=len)) < 5000
    assert any("DEBUG" in line for line in slack.served.lines)  # DEBUG was on
    assert user_names(crm_url) == ["dana", "tom"]
