"""/healthz, /readyz and /metrics of real `crmbot serve` processes, in every serving mode:
Telegram polling and Slack Socket Mode on their own small listener (CRMBOT_HEALTH_PORT),
Slack's HTTP mode on the events server itself. Readiness follows the database: reachable,
schema at head, and who holds the scheduler's lease."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from crm_core import migrate
from crm_core.database import open_database
from crm_core.models import User
from crm_core.services import tasks
from crm_core.services.context import Actor
from jobs.texts import MORNING_DIGEST
from tests.adapters.conftest import SIGNING_SECRET, Served
from tests.adapters.health import HEALTH_LINE, TcpProxy, get, samples, total, wait_ready
from tests.adapters.test_slack_serve import event, ts
from tests.conftest import POSTGRES_URL, drop_postgres_schema, postgres_schema_engine, worker_schema
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.timeout(150)

HEAD = migrate.head_revision()


def holding(status: int, body: dict[str, Any]) -> bool:
    """Ready, and this process holds the job lease in the same answer: on a loaded machine the
    3 s lease can lapse between two renewals, the state still saying "holding" for a moment."""
    scheduler = body["scheduler"]
    return (
        status == 200
        and scheduler["state"] == "holding"
        and scheduler.get("holder") == scheduler.get("owner")
    )


def start_telegram(
    fake: FakeTelegramAPI, url: str, serve: list[Served], **env: str
) -> tuple[Served, str]:
    served = Served(
        ["serve", "telegram", "--db", url],
        {
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
            "CRMBOT_JOBS_LEASE_SECONDS": "3",
            **env,
        },
    )
    serve.append(served)
    port = served.wait_line(HEALTH_LINE).group(1)
    mode = "webhook" if env.get("TELEGRAM_WEBHOOK_URL") else "polling"
    served.wait_line(rf"Telegram bot @crmbot_test_bot {mode}")
    return served, f"http://127.0.0.1:{port}"


def start_slack_http(fake: FakeSlackAPI, url: str, serve: list[Served]) -> tuple[Served, str]:
    fake.add_user("U1", "dana", "Dana Scully")
    fake.add_channel("C1", "sales")
    served = Served(
        ["serve", "slack", "--db", url, "--port", "0", "--host", "127.0.0.1"],
        {
            "SLACK_BOT_TOKEN": fake.token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.url,
            "CRMBOT_JOBS_LEASE_SECONDS": "3",
        },
    )
    serve.append(served)
    port = served.wait_line(r"Slack events on http://[\d.]+:(\d+)/slack/events").group(1)
    return served, f"http://127.0.0.1:{port}"


class SocketModeSlack(FakeSlackAPI):
    """The fake Slack API, plus apps.connections.open answering with a WebSocket URL where
    nothing listens: the Socket Mode client keeps reconnecting, as it does when Slack's
    socket servers are away, and the process must still answer /healthz and /readyz."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        self.dead_port = closed.getsockname()[1]
        closed.close()

    def _answer(self, method: str, p: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.dead_port}/link"}
        return super()._answer(method, p, headers)


@pytest.fixture
def socket_slack() -> Iterator[SocketModeSlack]:
    fake = SocketModeSlack(token="xoxb-test-token", signing_secret="test-signing-secret")
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def test_telegram_polling_health_readiness_and_schema(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    _, base = start_telegram(fake_telegram, crm_url, serve)
    assert get(base + "/healthz") == (200, "ok")
    status, body = wait_ready(base, holding)
    assert body["ready"] is True and body["database"] == "ok"
    assert body["migrations"] == {"current": HEAD, "head": HEAD, "ok": True}
    assert body["scheduler"]["holder"] == body["scheduler"]["owner"]  # this process holds it

    # The schema falls behind this crmbot (a newer image against an old database): not
    # ready, and it says why; the process itself is still healthy.
    database = open_database(crm_url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    status, body = wait_ready(base, lambda s, b: s == 503)
    assert body["ready"] is False and body["database"] == "ok"
    assert body["migrations"] == {"current": "0001", "head": HEAD, "ok": False}
    assert get(base + "/healthz") == (200, "ok")
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD})
    database.dispose()
    wait_ready(base, lambda s, b: s == 200 and b["ready"] is True)
    assert get(base + "/nowhere")[0] == 404

    # Docker's HEALTHCHECK probe asks the same port.
    port = base.rsplit(":", 1)[1]
    probe = [sys.executable, "-m", "bot.healthcheck"]
    env = {**os.environ, "CRMBOT_HEALTH_PORT": port}
    assert subprocess.run(probe, env=env, timeout=30).returncode == 0
    assert subprocess.run([*probe, "/readyz"], env=env, timeout=30).returncode == 0
    missing = subprocess.run(
        [*probe, "/nowhere"], env=env, timeout=30, capture_output=True, text=True
    )
    assert missing.returncode == 1 and "answered 404" in missing.stderr


def test_slack_http_mode_serves_them_beside_the_events(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    served, base = start_slack_http(fake_slack, crm_url, serve)
    assert not any("health, readiness" in line for line in served.lines)  # no second server
    assert get(base + "/healthz") == (200, "ok")
    assert get(base + "/health") == (200, "ok")  # the old name still answers
    wait_ready(base, holding)
    assert total(samples(base), "crmbot_scheduler_lease_held") == 1


def test_slack_socket_mode_has_its_own_listener(
    socket_slack: SocketModeSlack, crm_url: str, serve: list[Served]
) -> None:
    served = Served(
        ["serve", "slack", "--db", crm_url, "--no-scheduler"],
        {
            "SLACK_BOT_TOKEN": socket_slack.token,
            "SLACK_APP_TOKEN": "xapp-1-A0APP-1-abcdef",
            "SLACK_API_URL": socket_slack.url,
        },
    )
    serve.append(served)
    base = f"http://127.0.0.1:{served.wait_line(HEALTH_LINE).group(1)}"
    served.wait_line("Socket Mode connecting")
    socket_slack.wait_for("apps.connections.open", timeout=30)
    assert get(base + "/healthz") == (200, "ok")
    status, body = wait_ready(base, lambda s, b: s == 200)
    assert body["scheduler"] == {"state": "off", "owner": None, "holder": None}
    assert served.proc.poll() is None


def test_listener_address_is_checked_at_start(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    served = Served(
        ["serve", "telegram", "--db", crm_url],
        {
            "TELEGRAM_BOT_TOKEN": fake_telegram.token,
            "TELEGRAM_API_URL": fake_telegram.base_url,
            "CRMBOT_HEALTH_PORT": "eighty",
        },
    )
    serve.append(served)
    assert served.wait_exit() == 1
    assert served.lines[-1] == (
        "crmbot: CRMBOT_HEALTH_PORT must be a port number (0-65535), not 'eighty'"
    )


def test_metrics_after_traffic(
    fake_telegram: FakeTelegramAPI, crm_url: str, serve: list[Served]
) -> None:
    """A message, a button click and due pushes move the counters; the outbox drains."""
    fake_telegram.add_chat(4242, "private")
    database = open_database(crm_url)
    due = datetime.now(UTC) - timedelta(minutes=1)
    with database.transaction() as s:
        tom = s.scalar(select(User).where(User.name == "tom"))
        assert tom is not None
        system = Actor.system("tests")
        tasks.create_task(
            session=s, actor=system, text="send the contract", due_at=due, owner_id=tom.id
        )
    database.dispose()
    _, base = start_telegram(fake_telegram, crm_url, serve)
    before = samples(base)
    assert total(before, "crmbot_messages_handled_total") == 0
    assert total(before, "crmbot_database_up") == 1

    fake_telegram.push_message(4242, 4242, "log call with Acme, follow up Friday")
    fake_telegram.push_message(4242, 4242, "what is the weather on mars")
    # The reminder push, then both answers (in either order).
    fake_telegram.wait_for("sendMessage", n=3, timeout=30)
    deadline = time.monotonic() + 20
    while True:
        after = samples(base)
        if total(after, "crmbot_messages_handled_total") >= 2 and total(
            after, "crmbot_deliveries_total", platform="telegram", status="delivered"
        ):
            break
        assert time.monotonic() < deadline, after
        time.sleep(0.2)

    handled = {
        dict(labels)["intent"]: value
        for (name, labels), value in after.items()
        if name == "crmbot_messages_handled_total" and dict(labels)["platform"] == "telegram"
    }
    assert sum(handled.values()) == 2
    assert "other" not in handled and "button" not in handled  # both were parsed
    assert total(after, "crmbot_messages_handled_total", outcome="ok") >= 1
    assert total(after, "crmbot_message_handling_seconds_count", platform="telegram") == 2
    assert total(after, "crmbot_message_handling_seconds_sum", platform="telegram") > 0
    # the reminder was pushed once; other scheduled pushes (a digest due at this hour) may join it
    delivered = total(after, "crmbot_deliveries_total", platform="telegram", status="delivered")
    digest = MORNING_DIGEST.split("{", 1)[0]  # the morning digest lists the task too
    reminders = [
        m
        for m in fake_telegram.sent_messages()
        if "send the contract" in m.get("text", "") and not m["text"].startswith(digest)
    ]
    assert delivered >= 1 and len(reminders) == 1, (delivered, [m["text"] for m in reminders])
    assert total(after, "crmbot_outbox_depth", status="pending") == 0
    assert total(after, "crmbot_scheduler_lease_held") == 1
    holders = [
        dict(labels)["owner"]
        for (name, labels), value in after.items()
        if name == "crmbot_scheduler_lease_holder" and value == 1
    ]
    assert len(holders) == 1 and holders[0].startswith("scheduler@")


def test_slack_http_metrics_after_an_event(
    fake_slack: FakeSlackAPI, crm_url: str, serve: list[Served]
) -> None:
    from tests.adapters.test_slack_serve import SlackApp

    served, base = start_slack_http(fake_slack, crm_url, serve)
    app = SlackApp(served, int(base.rsplit(":", 1)[1]))
    status, _ = app.post(event("app_mention", "<@UBOT> log call with Acme", ts(1)))
    assert status == 200
    fake_slack.wait_for("chat.postMessage", timeout=20)
    deadline = time.monotonic() + 10
    while total(samples(base), "crmbot_messages_handled_total", platform="slack") < 1:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    found = samples(base)
    assert total(found, "crmbot_messages_handled_total", platform="slack", outcome="ok") == 1
    assert total(found, "crmbot_message_handling_seconds_count", platform="slack") == 1


# --- the database going away ----------------------------------------------------------------


@pytest.fixture
def proxied_postgres() -> Iterator[tuple[TcpProxy, str]]:
    """A migrated schema of its own in the test PostgreSQL database, reached through a proxy
    the test controls; skipped when no PostgreSQL server answers."""
    schema = worker_schema("crmbot_health")
    engine = postgres_schema_engine(schema)  # skips without a server
    host, port = engine.url.host or "127.0.0.1", engine.url.port or 5432
    engine.dispose()
    proxy = TcpProxy((host, port)).up()
    user = POSTGRES_URL.split("//", 1)[1].split("@", 1)[0]
    database = POSTGRES_URL.rsplit("/", 1)[1]
    url = (
        f"postgresql://{user}@127.0.0.1:{proxy.port}/{database}"
        f"?options=-csearch_path%3D{schema}&connect_timeout=3"
    )
    try:
        yield proxy, url
    finally:
        proxy.down()
        drop_postgres_schema(schema)


@pytest.mark.postgres
@pytest.mark.parametrize("mode", ["telegram", "telegram-webhook", "slack-http"])
def test_readiness_follows_the_database_down_and_up(
    mode: str,
    proxied_postgres: tuple[TcpProxy, str],
    fake_telegram: FakeTelegramAPI,
    fake_slack: FakeSlackAPI,
    serve: list[Served],
) -> None:
    proxy, url = proxied_postgres
    if mode == "telegram":
        served, base = start_telegram(fake_telegram, url, serve)
    elif mode == "telegram-webhook":  # PTB's own server takes the updates; ours the probes
        with socket.socket() as free:
            free.bind(("127.0.0.1", 0))
            webhook_port = free.getsockname()[1]
        served, base = start_telegram(
            fake_telegram,
            url,
            serve,
            TELEGRAM_WEBHOOK_URL="https://crm.example.test/telegram",
            TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
            TELEGRAM_WEBHOOK_PORT=str(webhook_port),
        )
        fake_telegram.wait_for("setWebhook", timeout=30)
    else:
        served, base = start_slack_http(fake_slack, url, serve)
    status, body = wait_ready(base, holding)
    assert body["database"] == "ok" and body["migrations"]["ok"] is True

    proxy.down()
    status, body = wait_ready(base, lambda s, b: s == 503, timeout=20)
    assert body["ready"] is False
    assert body["database"].startswith("unreachable: ")
    assert body["migrations"]["current"] is None and body["scheduler"]["holder"] == "unknown"
    assert get(base + "/healthz") == (200, "ok")  # up, only not ready: no restart wanted
    assert total(samples(base), "crmbot_database_up") == 0  # and the scrape still answers

    proxy.up()
    status, body = wait_ready(base, holding, timeout=40)
    assert body["ready"] is True and body["database"] == "ok"
    assert total(samples(base), "crmbot_database_up") == 1
    assert served.proc.poll() is None
