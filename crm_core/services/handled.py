"""Once per platform request: the one place that makes every write of a message happen once.

The engine calls `replay` at the start of a message's transaction and `remember` at its end,
in the same transaction as the message's writes. A request seen before gets its stored
answer and does nothing; two deliveries racing each other both run, but only one can insert
the (platform, request key) row: the other fails on the unique constraint, rolls back all it
did, and on its retry finds the first one's answer.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crm_core.models import HandledRequest

KEY_MAX = 120  # audit rows and interactions carry the key as their source message id


def request_key(raw: str) -> str:
    """A platform's id made to fit: long ids (Telegram callback data, Slack button values)
    become a digest, so two different requests never share a key by truncation."""
    if len(raw) <= KEY_MAX:
        return raw
    return "h:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def replay(session: Session, platform: str, key: str) -> HandledRequest | None:
    """The earlier answer to this request, if it was handled before."""
    return session.scalar(
        select(HandledRequest).where(
            HandledRequest.platform == platform, HandledRequest.request_key == key
        )
    )


def remember(
    session: Session,
    *,
    platform: str,
    key: str,
    user_key: str,
    reply: dict[str, Any],
    at: datetime,
) -> HandledRequest:
    """Record the answer; flushed at once so a racing duplicate fails here, inside the
    transaction, rather than at commit."""
    row = HandledRequest(
        platform=platform, request_key=key, user_key=user_key[:120], reply=reply, handled_at=at
    )
    session.add(row)
    session.flush()
    return row


def purge(session: Session, before: datetime) -> int:
    """Forget answers older than `before`: platforms retry within minutes, not weeks."""
    result = session.execute(delete(HandledRequest).where(HandledRequest.handled_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
