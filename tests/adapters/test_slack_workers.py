"""The Slack front in one process: what it answers itself, what it hands to a worker, and
which worker (by conversation, so that Slack's retries of an event meet its first copy)."""

from __future__ import annotations

import io
import json
from typing import Any, cast
from urllib.parse import urlencode

from bot.adapters.slack_workers import EngineWorkers, Request, front, route_key


class Recorder:
    """Takes the front's hand-offs instead of worker processes."""

    def __init__(self) -> None:
        self.submitted: list[tuple[Request, str]] = []

    def submit(self, request: Request, key: str) -> None:
        self.submitted.append((request, key))


def _call(body: str, content_type: str, **headers: str) -> tuple[str, bytes, Recorder]:
    recorder = Recorder()
    app = front(cast(EngineWorkers, recorder))
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body.encode())),
        "wsgi.input": io.BytesIO(body.encode()),
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    status: list[str] = []
    out = b"".join(app(environ, lambda s, h: status.append(s)))
    return status[0], out, recorder


def test_the_url_check_and_the_ssl_check_are_answered_without_a_worker() -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"})
    status, out, recorder = _call(body, "application/json")
    assert (status, json.loads(out), recorder.submitted) == ("200 OK", {"challenge": "abc"}, [])
    status, out, recorder = _call(
        urlencode({"ssl_check": "1"}), "application/x-www-form-urlencoded"
    )
    assert (status, out, recorder.submitted) == ("200 OK", b"", [])


def test_an_event_is_acked_empty_and_handed_over_with_its_headers() -> None:
    body = json.dumps({"type": "event_callback", "event": {"type": "message", "channel": "D7"}})
    status, out, recorder = _call(body, "application/json", X_SLACK_RETRY_NUM="1")
    assert (status, out) == ("200 OK", b"")
    [((sent, headers), key)] = recorder.submitted
    assert sent == body and key == "D7"
    assert headers["x-slack-retry-num"] == ["1"]
    assert headers["content-type"] == ["application/json"]


def test_commands_and_clicks_are_routed_by_their_channel() -> None:
    command = {"command": "/crm", "text": "my tasks", "channel_id": "C9", "team_id": "T1"}
    click = {"type": "block_actions", "channel": {"id": "C8"}, "team": {"id": "T1"}}
    assert route_key(command) == "C9"
    assert route_key(click) == "C8"
    form = urlencode({"payload": json.dumps(click)})
    [(_, key)] = _call(form, "application/x-www-form-urlencoded")[2].submitted
    assert key == "C8"
