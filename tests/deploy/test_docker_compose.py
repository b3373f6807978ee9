"""The image builds and `docker compose up` answers /readyz, where Docker can do it.

Skipped, saying why, when there is no docker client, no daemon, no compose plugin, or the
base images (python:3.11-slim, postgres:16-alpine) cannot be had (Docker Hub unreachable).
Where it runs, it builds the real image from the real compose.yaml; a small override points
the bot at the fake Telegram API on this machine (host networking, so the container sees
the fake's 127.0.0.1) and at the compose PostgreSQL published on a free local port. It then
checks: /readyz answers 200 with the schema at head, the process is not root, and a message
through the fake gets its answer (the parser's model is in the image).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_core import migrate
from tests.fakes.telegram_api import FakeTelegramAPI

ROOT = Path(__file__).resolve().parents[2]
BASE_IMAGES = ("python:3.11-slim", "postgres:16-alpine")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


def _run(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)


def docker_or_skip() -> None:
    """Skip with the reason when this machine cannot build and run the image."""
    if shutil.which("docker") is None:
        pytest.skip("Docker is not installed (no docker client on PATH)")
    try:
        info = _run(["docker", "info", "--format", "{{.ServerVersion}}"], timeout=30)
    except subprocess.TimeoutExpired:
        pytest.skip("the Docker daemon does not answer")
    if info.returncode != 0:
        lines = (info.stderr or info.stdout).strip().splitlines() or ["docker info failed"]
        pytest.skip(f"no Docker daemon: {lines[-1]}")
    if _run(["docker", "compose", "version"]).returncode != 0:
        pytest.skip("the docker compose plugin is not installed")
    for image in BASE_IMAGES:
        if _run(["docker", "image", "inspect", image]).returncode == 0:
            continue
        try:
            pulled = _run(["docker", "pull", image], timeout=300)
        except subprocess.TimeoutExpired:
            pytest.skip(f"base image {image} cannot be pulled (Docker Hub too slow)")
        if pulled.returncode != 0:
            pytest.skip(f"base image {image} is not available (Docker Hub unreachable?)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def readyz(port: int) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture
def compose(tmp_path: Path, fake_telegram: FakeTelegramAPI) -> Iterator[tuple[list[str], int]]:
    docker_or_skip()
    health, database = free_port(), free_port()
    env_file = tmp_path / "test.env"
    env_file.write_text(
        "CRMBOT_PLATFORM=telegram\nPOSTGRES_PASSWORD=crmbottest\n"
        f"TELEGRAM_BOT_TOKEN={fake_telegram.token}\n",
        encoding="utf-8",
    )
    override = tmp_path / "compose.test.yaml"
    override.write_text(
        f"""
services:
  db:
    ports: ["127.0.0.1:{database}:5432"]
  bot:
    network_mode: host
    ports: !reset []
    environment:
      CRMBOT_DATABASE_URL: postgresql://crmbot:crmbottest@127.0.0.1:{database}/crmbot
      CRMBOT_HEALTH_HOST: 127.0.0.1
      CRMBOT_HEALTH_PORT: "{health}"
      TELEGRAM_API_URL: {fake_telegram.base_url}
      CRMBOT_TELEGRAM_ENROLMENT: open
""",
        encoding="utf-8",
    )
    project = f"crmbot-test-{uuid.uuid4().hex[:8]}"
    base = [
        "docker",
        "compose",
        "--project-directory",
        str(ROOT),
        "-f",
        str(ROOT / "compose.yaml"),
        "-f",
        str(override),
        "--env-file",
        str(env_file),
        "-p",
        project,
    ]
    try:
        yield base, health
    finally:
        logs = _run([*base, "logs", "--no-color"], timeout=60)
        print(logs.stdout[-5000:])
        _run([*base, "down", "-v", "--remove-orphans"], timeout=120)


def test_image_builds_and_compose_up_answers_readyz(
    compose: tuple[list[str], int], fake_telegram: FakeTelegramAPI
) -> None:
    base, port = compose
    built = _run([*base, "build"], timeout=900)
    assert built.returncode == 0, built.stderr[-3000:]
    up = _run([*base, "up", "-d"], timeout=300)
    assert up.returncode == 0, up.stderr[-3000:]
    deadline = time.monotonic() + 180
    answer: tuple[int, dict[str, object]] = (0, {})
    while time.monotonic() < deadline:
        try:
            answer = readyz(port)
        except (OSError, ValueError):
            answer = (0, {})
        if answer[0] == 200:
            break
        time.sleep(1)
    status, body = answer
    assert status == 200, body
    head = migrate.head_revision()
    assert body["migrations"] == {"current": head, "head": head, "ok": True}

    uid = _run([*base, "exec", "-T", "bot", "id", "-u"])
    assert uid.returncode == 0 and uid.stdout.strip() not in ("", "0")

    fake_telegram.add_chat(4242, "private")
    fake_telegram.push_message(4242, 4242, "help")
    sent = fake_telegram.wait_for("sendMessage", timeout=60)
    assert sent[0].params["chat_id"] in (4242, "4242")
