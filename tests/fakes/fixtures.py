"""pytest fixtures for the fake Slack and Telegram APIs (function scope).

Registered project-wide with ``pytest_plugins = ["tests.fakes.fixtures"]`` in the root
conftest; or import them: ``from tests.fakes.fixtures import fake_slack, fake_telegram``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import FakeTelegramAPI

SLACK_TOKEN = "xoxb-test-token"
SLACK_SIGNING_SECRET = "test-signing-secret"
TELEGRAM_TOKEN = "123456:TEST-token"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    """A started FakeSlackAPI: ``.url`` (slack_sdk base_url), ``.token``, ``.signing_secret``,
    ``.bot_user_id`` ("UBOT"), ``.team_id``; stopped after the test."""
    fake = FakeSlackAPI(token=SLACK_TOKEN, signing_secret=SLACK_SIGNING_SECRET)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegramAPI]:
    """A started FakeTelegramAPI: ``.base_url``, ``.base_file_url``, ``.token``, ``.bot_id``,
    ``.bot_username``; stopped after the test."""
    fake = FakeTelegramAPI(token=TELEGRAM_TOKEN)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
