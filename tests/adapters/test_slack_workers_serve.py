"""`crmbot serve slack` with its engine in worker processes: the front answers Slack's URL
check itself and acknowledges the rest; every message is still logged and answered once,
with several workers, with retries, and after a worker dies."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest
from slack_sdk.signature import SignatureVerifier

from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.adapters.test_slack_serve import SlackApp, event, interactions, ts
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.timeout(180)


def _start(fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served], *extra: str) -> SlackApp:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    for n in range(6):
        fake_slack.add_channel(f"D{n}", f"dm-{n}")
    served = Served(
        ["serve", "slack", "--db", crm_url, "--port", "0", "--host", "127.0.0.1", *extra],
        {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.url,
        },
    )
    serve.append(served)
    port = int(served.wait_line(r"Slack events on http://[\d.]+:(\d+)/slack/events").group(1))
    return SlackApp(served, port)


def _workers(pid: int) -> list[int]:
    """The engine worker processes of a front: its children but multiprocessing's resource
    tracker (and a zombie not yet reaped, whose command line is empty)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in map(int, children):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if command and b"resource_tracker" not in command:
            found.append(child)
    return found


def _dm(n: int, text: str, second: int) -> str:
    return event("message", text, ts(second), channel=f"D{n}", channel_type="im")


def test_the_front_answers_the_url_check_itself(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _start(fake_slack, crm_url, serve)
    body = json.dumps({"token": "t", "challenge": "c0ffee", "type": "url_verification"})
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    request = urllib.request.Request(
        slack.url,
        data=body.encode(),
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or "",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read()) == {"challenge": "c0ffee"}


def test_two_workers_log_and_answer_each_message_once_retries_included(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _start(fake_slack, crm_url, serve, "--engine-workers", "2")
    assert len(_workers(slack.served.proc.pid)) == 2
    bodies = [
        _dm(n, f"log call with {name}", 10 + n)
        for n, name in enumerate(["Acme", "Hooli", "Initech"] * 2)
    ]
    for body in bodies:
        assert slack.post(body)[0] == 200
    for body in bodies:  # Slack's retries, each to whichever worker has its conversation
        assert slack.post(body, headers={"X-Slack-Retry-Num": "1"})[0] == 200
    fake_slack.wait_for("chat.postMessage", n=len(bodies), timeout=60)
    time.sleep(1.5)
    assert interactions(crm_url) == len(bodies)
    assert fake_slack.count("chat.postMessage") == len(bodies)


def test_a_worker_that_dies_is_started_again(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _start(fake_slack, crm_url, serve)
    assert slack.post(_dm(0, "log call with Acme", 30))[0] == 200
    fake_slack.wait_for("chat.postMessage", n=1, timeout=60)
    [worker] = _workers(slack.served.proc.pid)
    os.kill(worker, signal.SIGKILL)
    time.sleep(0.5)
    assert slack.post(_dm(1, "log call with Hooli", 31))[0] == 200  # acked by the front
    fake_slack.wait_for("chat.postMessage", n=2, timeout=60)  # answered by a new worker
    [again] = _workers(slack.served.proc.pid)
    assert again != worker
    slack.served.wait_line(r"Slack engine worker 0 exited .*starting it again")
    assert interactions(crm_url) == 2


def test_engine_workers_0_keeps_the_engine_in_the_front(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _start(fake_slack, crm_url, serve, "--engine-workers", "0")
    assert _workers(slack.served.proc.pid) == []
    assert slack.post(_dm(0, "log call with Initech", 40))[0] == 200
    fake_slack.wait_for("chat.postMessage", n=1, timeout=60)
    assert interactions(crm_url) == 1
