"""`crmbot serve slack` as a running process: signed events in, replies out through the
real Bolt/slack_sdk stack, against the fake Slack Web API."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select

from crm_core.database import open_database
from crm_core.models import Deal, Interaction
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.timeout(120)


class SlackApp:
    def __init__(self, served: Served, port: int) -> None:
        self.served = served
        self.url = f"http://127.0.0.1:{port}/slack/events"

    def post(
        self,
        body: str,
        content_type: str = "application/json",
        *,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, float]:
        ts = str(int(time.time()))
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        assert signature is not None
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, time.monotonic() - started
        except urllib.error.HTTPError as exc:
            return exc.code, time.monotonic() - started


START = time.time()


def ts(n: int) -> str:
    """A Slack timestamp n seconds after the test run started (events carry the real time)."""
    return f"{START + n:.6f}"


def event(kind: str, text: str, ts: str, channel: str = "C1", **extra: Any) -> str:
    inner = {
        "type": kind,
        "user": "U1",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }
    return json.dumps(
        {
            "token": "t",
            "team_id": "T0TEST",
            "api_app_id": "A0APP",
            "event": inner,
            "type": "event_callback",
            "event_id": f"Ev{ts}",
            "event_time": int(float(ts)),
            "authorizations": [{"user_id": "UBOT", "is_bot": True}],
        }
    )


@pytest.fixture
def slack(fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]) -> SlackApp:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    fake_slack.add_channel("C1", "sales")
    fake_slack.add_channel("D1", "dana-dm")
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


def interactions(url: str) -> int:
    database = open_database(url)
    with database.transaction() as s:
        n = s.scalar(select(func.count(Interaction.id))) or 0
    database.dispose()
    return n


def test_mention_in_a_thread_is_answered_in_that_thread(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    status, _ = slack.post(
        event(
            "app_mention", "<@UBOT> log call with Acme, follow up Friday", ts(0), thread_ts=ts(-60)
        )
    )
    assert status == 200  # acknowledged (the ack time is measured in bench/bench_slack.py)
    posted = fake_slack.wait_for("chat.postMessage", timeout=20)[0]
    assert posted.params["channel"] == "C1" and posted.params["thread_ts"] == ts(-60)
    assert posted.params["text"].startswith("Logged a call with Acme Corp, Inc.")
    assert interactions(crm_url) == 1


def test_bad_signature_is_refused_and_stores_nothing(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    status, _ = slack.post(
        event("app_mention", "<@UBOT> log call with Acme", ts(1)), secret="f" * 32
    )
    assert status == 401
    time.sleep(1)
    assert fake_slack.count("chat.postMessage") == 0 and interactions(crm_url) == 0


def test_a_retried_event_is_logged_once(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    body = event("message", "log email with Hooli", ts(2), channel="D1", channel_type="im")
    assert slack.post(body)[0] == 200
    fake_slack.wait_for("chat.postMessage", timeout=20)
    for retry in ("1", "2"):
        assert (
            slack.post(
                body, headers={"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
            )[0]
            == 200
        )
    time.sleep(1.5)
    assert interactions(crm_url) == 1 and fake_slack.count("chat.postMessage") == 1


def test_button_click_completes_a_confirmation(
    slack: SlackApp, fake_slack: FakeSlackAPI, crm_url: str
) -> None:
    slack.post(
        event(
            "message", "new deal Hooli 40k closing Dec 18", ts(3), channel="D1", channel_type="im"
        )
    )
    fake_slack.wait_for("chat.postMessage", timeout=20)
    slack.post(
        event("message", "mark the Hooli deal as lost", ts(4), channel="D1", channel_type="im")
    )
    question = fake_slack.wait_for("chat.postMessage", n=2, timeout=20)[1]
    assert question.params["text"] == "Mark Hooli deal ($40,000) as lost?"
    actions = question.params["blocks"][-1]["elements"]
    yes = next(a for a in actions if json.loads(a["value"])["action"] == "confirm")
    message_ts = question.response["ts"]
    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "api_app_id": "A0APP",
        "team": {"id": "T0TEST"},
        "channel": {"id": "D1"},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": "D1"},
        "message": {
            "ts": message_ts,
            "text": question.params["text"],
            "blocks": question.params["blocks"],
        },
        "trigger_id": "trig",
        "response_url": fake_slack.url + "response/1",
        "actions": [{**yes, "block_id": "b", "action_ts": ts(5)}],
    }
    status, _ = slack.post(
        "payload=" + urllib.parse.quote(json.dumps(payload)), "application/x-www-form-urlencoded"
    )
    assert status == 200  # acknowledged (the ack time is measured in bench/bench_slack.py)
    answer = fake_slack.wait_for("chat.postMessage", n=3, timeout=20)[2]
    assert answer.params["text"] == "Updated Hooli deal: prospecting → lost."
    update = fake_slack.wait_for("chat.update", timeout=10)[0]
    assert all(b["type"] != "actions" for b in update.params["blocks"])
    database = open_database(crm_url)
    with database.transaction() as s:
        assert s.scalar(select(Deal.stage)) == "lost"
    database.dispose()


def test_slash_command_and_app_home(slack: SlackApp, fake_slack: FakeSlackAPI) -> None:
    form = urllib.parse.urlencode(
        {
            "command": "/crm",
            "text": "pipeline by stage",
            "user_id": "U1",
            "user_name": "dana",
            "channel_id": "C1",
            "team_id": "T0TEST",
            "trigger_id": "t1",
            "response_url": fake_slack.url + "response/slash",
        }
    )
    status, _ = slack.post(form, "application/x-www-form-urlencoded")
    assert status == 200  # acknowledged (the ack time is measured in bench/bench_slack.py)
    responded = fake_slack.wait_for("response/slash", timeout=20)[0]
    assert responded.params["text"].startswith("No open deals in your pipeline")
    assert slack.post(event("app_home_opened", "", ts(6), channel="D1", tab="home"))[0] == 200
    fake_slack.wait_for("views.publish", timeout=20)
    view = fake_slack.home_views["U1"]
    assert view["type"] == "home" and "Hi Dana" in json.dumps(view["blocks"])


def test_bad_token_is_one_line_and_exit_1(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    served = Served(
        ["serve", "slack", "--db", crm_url, "--port", "0"],
        {
            "SLACK_BOT_TOKEN": "xoxb-wrong",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.url,
        },
    )
    serve.append(served)
    assert served.wait_exit() == 1
    assert served.lines[-1].startswith("crmbot: Slack refused the bot token")
    assert not any("Traceback" in line for line in served.lines)
