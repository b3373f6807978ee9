"""`crmbot serve slack` with its engine in worker processes: the front answers Slack's URL
check itself and acknowledges the rest; every message is still logged and answered once,
with several workers, with retries, and after a worker dies."""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import select

from crm_core.database import open_database
from crm_core.models import User
from crm_core.services import tasks
from crm_core.services.context import Actor
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.adapters.test_slack_serve import SlackApp, event, interactions, ts
from tests.fakes.slack_api import FakeSlackAPI

pytestmark = pytest.mark.timeout(180)


def _start(
    fake_slack: FakeSlackAPI,
    crm_url: str,
    serve: list[Served],
    *extra: str,
    env: dict[str, str] | None = None,
) -> SlackApp:
    fake_slack.add_user("U1", "dana", "Dana Scully")
    for n in range(6):
        fake_slack.add_channel(f"D{n}", f"dm-{n}")
    served = Served(
        ["serve", "slack", "--db", crm_url, "--port", "0", "--host", "127.0.0.1", *extra],
        {
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.url,
            **(env or {}),
        },
    )
    serve.append(served)
    port = int(served.wait_line(r"Slack events on http://[\d.]+:(\d+)/slack/events").group(1))
    return SlackApp(served, port)


def _schedulers(served: Served) -> list[int]:
    """The scheduler processes the front said it started, in order (the line comes before
    the one saying the front listens)."""
    return [
        int(m.group(1))
        for line in list(served.lines)
        if (m := re.search(r"scheduler runs in process (\d+)", line))
    ]


def _children(pid: int) -> list[int]:
    """The processes a front started: its children but multiprocessing's resource tracker
    (and a zombie not yet reaped, whose command line is empty)."""
    children = [  # each thread's (the scheduler is started again from the relay thread)
        child for task in Path(f"/proc/{pid}/task").iterdir() for child in _read(task / "children")
    ]
    found = []
    for child in map(int, children):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if command and b"resource_tracker" not in command:
            found.append(child)
    return found


def _read(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except FileNotFoundError:  # a thread that has just ended
        return []


def _workers(slack: SlackApp) -> list[int]:
    """The engine worker processes of a front: its children but its scheduler."""
    schedulers = _schedulers(slack.served)
    return [p for p in _children(slack.served.proc.pid) if p not in schedulers]


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
    assert len(_workers(slack)) == 2
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
    [worker] = _workers(slack)
    os.kill(worker, signal.SIGKILL)
    time.sleep(0.5)
    assert slack.post(_dm(1, "log call with Hooli", 31))[0] == 200  # acked by the front
    fake_slack.wait_for("chat.postMessage", n=2, timeout=60)  # answered by a new worker
    [again] = _workers(slack)
    assert again != worker
    slack.served.wait_line(r"Slack engine worker 0 exited .*starting it again")
    assert interactions(crm_url) == 2


def test_engine_workers_0_keeps_the_engine_in_the_front(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    slack = _start(fake_slack, crm_url, serve, "--engine-workers", "0")
    assert _workers(slack) == []
    assert slack.post(_dm(0, "log call with Initech", 40))[0] == 200
    fake_slack.wait_for("chat.postMessage", n=1, timeout=60)
    assert interactions(crm_url) == 1


def test_the_scheduler_runs_beside_the_front_and_is_started_again(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    """Its jobs are Python work the front's acks must not wait for: a process of its own,
    started again when it dies, and the new one delivers (once the dead one's lease ran
    out)."""
    slack = _start(fake_slack, crm_url, serve, env={"CRMBOT_JOBS_LEASE_SECONDS": "2"})
    [first] = _schedulers(slack.served)
    front = slack.served.proc.pid
    assert first != front and first in _children(front)
    assert len(_workers(slack)) == 1  # and the engine worker beside it
    os.kill(first, signal.SIGKILL)
    slack.served.wait_line(r"the scheduler process exited .*starting it again")
    deadline = time.monotonic() + 30
    while len(_schedulers(slack.served)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    [_, second] = _schedulers(slack.served)
    assert second in _children(front)
    database = open_database(crm_url)
    with database.transaction() as s:
        dana = s.scalar(select(User).where(User.name == "dana"))
        assert dana is not None  # made by the crm_url fixture
        tasks.create_task(
            session=s,
            actor=Actor.system("tests"),
            text="call Acme back",
            due_at=datetime.now(UTC) - timedelta(minutes=1),
            owner_id=dana.id,
        )
    database.dispose()
    fake_slack.wait_until(
        lambda: any(
            c.ok and c.params["text"].startswith("Reminder: call Acme back")
            for c in fake_slack.calls("chat.postMessage")
        ),
        timeout=60,
    )
