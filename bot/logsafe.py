"""Secrets never reach the log, at any level.

Libraries log more than we would: httpx writes every request URL (and Telegram's URLs contain
the bot token), PTB and Bolt log parameters and bodies at DEBUG. Rather than chase each
logger, every record that reaches a handler is rewritten with the known secrets masked, and a
message is cut to a sane length so that no request body becomes a megabyte-long line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[redacted]"
MAX_MESSAGE = 2000
# The shapes of tokens even when their value is not known here (another process's token in a
# pasted URL, a token in an exception text).
PATTERNS = (
    re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{20,}\b"),  # Telegram bot token
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{6,}"),  # Slack tokens
    re.compile(r"\bxapp-[A-Za-z0-9-]{6,}"),
)


class Redact(logging.Filter):
    """Mask `secrets` (and anything shaped like a token) in a record's final text."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        for pattern in PATTERNS:
            text = pattern.sub(MASK, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logged as it stands
            message = str(record.msg)
        cleaned = self.clean(message)
        if len(cleaned) > MAX_MESSAGE:
            cleaned = cleaned[:MAX_MESSAGE] + f"… [{len(cleaned) - MAX_MESSAGE} more characters]"
        record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        return True


def install(secrets: Iterable[str | None]) -> Redact:
    """Put the filter on every handler of the root logger (after logging is configured)."""
    redact = Redact(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    return redact
