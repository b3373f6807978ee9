"""The log filter `serve` installs: secrets masked in messages, arguments and tracebacks."""

from __future__ import annotations

import io
import logging

from bot.logsafe import MASK, Redact


def emit(redact: Redact, level: int, msg: str, *args: object, exc: bool = False) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(redact)
    logger = logging.getLogger("tests.logsafe")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.DEBUG)
    try:
        if exc:
            try:
                raise RuntimeError("GET https://api.telegram.org/bot123456:TEST-token/getMe")
            except RuntimeError:
                logger.exception(msg, *args)
        else:
            logger.log(level, msg, *args)
    finally:
        logger.handlers = []
    return stream.getvalue()


def test_known_secrets_and_token_shapes_are_masked() -> None:
    redact = Redact(["123456:TEST-token", "0123456789abcdef0123456789abcdef", None, ""])
    line = emit(redact, logging.DEBUG, "Set Bot API URL: %s", "http://h/bot123456:TEST-token")
    assert "TEST-token" not in line and MASK in line
    line = emit(redact, logging.INFO, "secret %s", "0123456789abcdef0123456789abcdef")
    assert "0123456789abcdef" not in line
    # Tokens nobody told the filter about, by their shape.
    line = emit(redact, logging.INFO, "xoxb-1234-5678-abcdefgh and 987654:" + "A" * 35)
    assert "xoxb-1234" not in line and "AAAAAAAAAA" not in line
    trace = emit(redact, logging.ERROR, "failed", exc=True)
    assert "RuntimeError" in trace and "TEST-token" not in trace


def test_a_huge_message_is_cut() -> None:
    line = emit(Redact(), logging.INFO, "body: %s", "x" * 1_000_000)
    assert len(line) < 2100 and "more characters" in line
