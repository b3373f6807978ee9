"""Writing pushes to the outbox: the hand-off between the sweeps and the delivery job.

A sweep computes what is due from the CRM tables and *enqueues* it here; it never talks to a
platform. The idempotency key (rule + subject + due time) is unique in the table, so a sweep
repeated after a crash, or by a second process, inserts nothing new: that uniqueness is the
first half of "exactly once" (the delivery job's claim-then-mark is the second).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Insert, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from chat.reply import Reply
from crm_core.models import OutboxMessage
from crm_core.models.enums import PUSH_KINDS, OutboxStatus

# Not in crm_core's OutboxStatus (yet): a row claimed by the delivery job and being sent.
# Found after a crash, it is "uncertain" and resolved with the notifier's already_delivered.
SENDING = "sending"
PENDING = OutboxStatus.PENDING.value
DELIVERED = OutboxStatus.DELIVERED.value
FAILED = OutboxStatus.FAILED.value
SKIPPED = OutboxStatus.SKIPPED.value

# The kinds of push, which are also what people mute ("mute stale-deal nudges").
KINDS = PUSH_KINDS  # one list, in crm_core.models.enums


def user_target(user_id: int) -> str:
    return f"user:{user_id}"


def channel_target(channel: str) -> str:
    return f"channel:{channel.lower()}"


def parse_target(value: str) -> tuple[str, int | str]:
    """("user", 12) or ("channel", "#sales") from the outbox's target column."""
    kind, _, rest = value.partition(":")
    if kind == "user":
        return "user", int(rest)
    if kind == "channel":
        return "channel", rest
    raise ValueError(f"bad outbox target {value!r}")


def make_key(rule: str, subject: object, due_at: datetime | str) -> str:
    """rule + subject + due time, the identity of one push (e.g.
    "reminder:task-12:2026-11-23T10:00:00Z")."""
    due = due_at if isinstance(due_at, str) else _iso(due_at)
    return f"{rule}:{subject}:{due}"[:255]


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Push:
    key: str
    kind: str  # one of KINDS
    target: str  # user_target(...) or channel_target(...)
    reply: Reply
    due_at: datetime


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these keys the outbox already holds (checked in chunks of 500)."""
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = list(keys[i : i + 500])
        found.update(
            session.scalars(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.in_(chunk)
                )
            )
        )
    return found


def enqueue(session: Session, pushes: Iterable[Push], *, now: datetime) -> int:
    """Insert the pushes whose key is new; returns how many were inserted. Keys already in
    the outbox (an earlier sweep, another process) are left alone, whatever their status."""
    batch = list({p.key: p for p in pushes}.values())
    if not batch:
        return 0
    known = existing_keys(session, [p.key for p in batch])
    fresh = [p for p in batch if p.key not in known]
    if not fresh:
        return 0
    rows = [
        {
            "idempotency_key": p.key,
            "kind": p.kind,
            "target": p.target,
            "payload": p.reply.to_dict(),
            "due_at": p.due_at,
            "status": PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for p in fresh
    ]
    dialect = session.get_bind().dialect.name
    # ON CONFLICT DO NOTHING: a concurrent writer that inserted the same key in between is
    # not an error, its row is the one that counts.
    statement: Insert
    if dialect == "postgresql":
        statement = postgresql.insert(OutboxMessage).on_conflict_do_nothing(
            index_elements=["idempotency_key"]
        )
    elif dialect == "sqlite":
        statement = sqlite.insert(OutboxMessage).on_conflict_do_nothing(
            index_elements=["idempotency_key"]
        )
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        statement = insert(OutboxMessage)
    session.execute(statement, rows)
    return len(fresh)
