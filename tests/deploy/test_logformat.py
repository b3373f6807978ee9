"""The JSON log format with the secret masking of bot.logsafe in front of it, and the
settings that choose the format and level (one clear error for a bad value)."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot import logformat, logsafe
from bot.observability import HealthConfigError, listener_address, outcome_of
from bot.texts import CRASHED
from chat.reply import Reply

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc"


def test_json_lines_are_masked_and_carry_the_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logformat.formatter("json"))
    handler.addFilter(logsafe.Redact([TOKEN]))
    logger = logging.getLogger("tests.logformat")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"refused {TOKEN}")
        except RuntimeError:
            logger.exception("send failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "WARNING" and first["logger"] == "tests.logformat"
    assert first["message"] == "calling https://api.telegram.org/bot[redacted]/getMe"
    assert first["time"].endswith("+00:00")
    assert second["message"] == "send failed"
    assert "RuntimeError: refused [redacted]" in second["exception"]
    assert TOKEN not in stream.getvalue()


def test_settings_are_checked() -> None:
    assert logformat.log_format({}) == "plain"
    assert logformat.log_format({"CRMBOT_LOG_FORMAT": "JSON"}) == "json"
    assert logformat.log_level({"CRMBOT_LOG_LEVEL": "debug"}) == logging.DEBUG
    with pytest.raises(logformat.LogConfigError, match="plain or json"):
        logformat.log_format({"CRMBOT_LOG_FORMAT": "yaml"})
    with pytest.raises(logformat.LogConfigError, match="CRMBOT_LOG_LEVEL"):
        logformat.log_level({"CRMBOT_LOG_LEVEL": "loud"})
    assert listener_address({}) == ("127.0.0.1", 8080)
    assert listener_address({"CRMBOT_HEALTH_HOST": "0.0.0.0", "CRMBOT_HEALTH_PORT": "0"}) == (
        "0.0.0.0",
        0,
    )
    with pytest.raises(HealthConfigError):
        listener_address({"CRMBOT_HEALTH_PORT": "70000"})


def test_outcomes() -> None:
    assert outcome_of(Reply("Logged a call with Acme.")) == "ok"
    assert outcome_of(Reply("Only managers can do that.", ok=False)) == "refused"
    assert outcome_of(Reply(CRASHED, ok=False)) == "error"
