"""The door in front of Bolt for Slack's HTTP requests.

Bolt reads whatever body arrives, logs an unsigned one in full, and answers malformed input
with a 500. This WSGI layer runs first and keeps every such request away from it:

1. a body over the limit (1 MB) is refused with 413 before it is read;
2. a missing, non-numeric or stale X-Slack-Request-Timestamp, or a signature that does not
   match, is 401 — and the body is never logged;
3. a signed body that is not what Slack sends (malformed JSON, a JSON array, a form whose
   `payload` is not a JSON object) is 400.

Only then does Bolt see the request (and verify it again, which costs nothing).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _refuse(start_response: Callable[..., Any], status: str) -> list[bytes]:
    body = status.split(" ", 1)[1].lower().encode()
    start_response(
        status,
        [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
    )
    return [body]


def well_formed(body: bytes, content_type: str) -> bool:
    """True when a (signed) body has the shape of a Slack request: a JSON object, or a form
    whose `payload`, if any, is a JSON object."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
    except (UnicodeDecodeError, ValueError):
        return False
    payload = form.get("payload")
    if payload is None:
        return True
    try:
        return len(payload) == 1 and isinstance(json.loads(payload[0]), dict)
    except ValueError:
        return False


def guard(app: WsgiApp, signing_secret: str, max_body: int = MAX_BODY) -> WsgiApp:
    """`app` behind the size limit, the signature check and the shape check."""
    verifier = SignatureVerifier(signing_secret)

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "GET") != "POST":
            return _refuse(start_response, "405 Method Not Allowed")
        length = str(environ.get("CONTENT_LENGTH") or "0").strip()
        if not length.isdigit():
            return _refuse(start_response, "400 Bad Request")
        if int(length) > max_body:
            log.warning("refused a Slack request of %s bytes (limit %d)", length, max_body)
            return _refuse(start_response, "413 Payload Too Large")
        body = environ["wsgi.input"].read(int(length)) if int(length) else b""
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or not (
            verifier.is_valid(body, timestamp, signature)
        ):
            log.warning("refused an unsigned or stale Slack request (%d bytes)", len(body))
            return _refuse(start_response, "401 Unauthorized")
        if not well_formed(body, str(environ.get("CONTENT_TYPE") or "")):
            log.warning("refused a signed but malformed Slack request (%d bytes)", len(body))
            return _refuse(start_response, "400 Bad Request")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return guarded
