"""How `crmbot serve` writes its log: plain lines for a terminal, or one JSON object per line
(CRMBOT_LOG_FORMAT=json) for a log collector, which then needs no parsing rules of its own.

Both formats see records after `bot.logsafe.Redact` has masked the secrets, so a JSON line
never holds a token either. What a customer wrote (message text, names) is logged at DEBUG
only by crmbot's own code (see `bot.observability` and `jobs.scheduler`); INFO and above
carry ids, intents and outcomes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

PLAIN = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FORMATS = ("plain", "json")


class LogConfigError(ValueError):
    """CRMBOT_LOG_FORMAT or CRMBOT_LOG_LEVEL is not one we know; said in one line at start."""


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, and the
    exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def log_format(env: Mapping[str, str]) -> str:
    value = env.get("CRMBOT_LOG_FORMAT", "").strip().lower() or "plain"
    if value not in FORMATS:
        raise LogConfigError(f"CRMBOT_LOG_FORMAT must be plain or json, not {value!r}")
    return value


def log_level(env: Mapping[str, str]) -> int:
    name = env.get("CRMBOT_LOG_LEVEL", "").strip().upper() or "INFO"
    level = logging.getLevelNamesMapping().get(name)
    if level is None:
        raise LogConfigError(
            f"CRMBOT_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {name!r}"
        )
    return level


def formatter(kind: str) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else logging.Formatter(PLAIN)
