"""The delivery job: sends what the outbox holds, exactly once where the platform allows it.

For each due row:
1. preferences first: a muted kind (or anything but a digest for "digest only") is marked
   skipped with the reason; quiet hours move `next_attempt_at` to their end (deferred);
2. claim: status "sending" and attempts + 1, committed *before* sending;
3. send through the notifier routed to the target;
4. mark delivered (or back to pending with a back-off, or failed), committed.

A process killed between 2 and 4 leaves the row "sending". The next pass (after a restart;
only the lease holder delivers, so nobody else is sending it) asks the notifier whether the
key reached the platform: yes -> delivered without resending; no -> sent again; cannot tell
-> sent again and reported as a possible duplicate. That last case is the one limit of
"exactly once": a notifier that cannot look a key up (the console on a terminal, Telegram)
may repeat the single push that was in flight when the process died.

A send that timed out after the request went out (UncertainDeliveryError) is the same case
without the crash: the row waits its back-off marked "uncertain after a timeout", and the next
attempt asks `already_delivered` before sending: yes -> delivered, no resend; no -> sent;
cannot tell -> sent and flagged as a possible duplicate.

Back-off for temporary failures: 30 s, 1, 2, 4, 8, 16, 32 min (capped at 1 h, or the
platform's retry-after when longer); the 8th failed attempt gives up and records the row as
failed with its last error. A permanent failure is recorded as failed at once. Nothing is
dropped silently: every outcome is a status and a reason in the row.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, or_, select, update

from chat.reply import Reply
from crm_core.database import Database
from crm_core.models import OutboxMessage
from jobs.clock import iso_minute
from jobs.lease import Lease
from jobs.notifier import (
    Notifier,
    PermanentDeliveryError,
    TemporaryDeliveryError,
    UncertainDeliveryError,
    route,
)
from jobs.outbox import DELIVERED, FAILED, PENDING, SENDING, SKIPPED
from jobs.preferences import decide
from jobs.targets import ResolvedTarget, TargetResolver
from jobs.unreachable import tell_creators

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8
BATCH = 500
UNCERTAIN = "uncertain after a restart: resent, may be a duplicate"
# A send that timed out after the request went out: it may have been posted. The next
# attempt asks the notifier first, as after a crash mid-send.
TIMED_OUT = "uncertain after a timeout"
RESENT_AFTER_TIMEOUT = "uncertain after a timeout: resent, may be a duplicate"


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """Wait before attempt `attempts + 1`: doubling from 30 s, capped at 1 h; a platform's
    retry-after wins when it asks for longer."""
    delay = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


@dataclass(frozen=True)
class Delivery:
    """What happened to one push in a pass."""

    key: str
    kind: str
    target: str
    status: str  # delivered | skipped | deferred | retry | failed
    text: str
    attempts: int
    reason: str | None = None
    platform: str | None = None
    possible_duplicate: bool = False
    next_attempt_at: datetime | None = None

    def line(self) -> str:
        mark = {
            "delivered": "sent",
            "skipped": "SKIPPED",
            "deferred": "DEFERRED",
            "retry": "RETRY",
            "failed": "FAILED",
        }.get(self.status, self.status)
        text = self.text.splitlines()[0] if self.text else ""
        out = f"{mark:<8} {self.kind:<10} -> {self.target}: {text}"
        if self.reason:
            out += f"  ({self.reason})"
        if self.possible_duplicate:
            out += "  (possible duplicate)"
        return out


@dataclass
class _Row:
    id: int
    key: str
    kind: str
    target: str
    payload: dict[str, Any]
    attempts: int
    last_error: str | None


_OUTBOX = cast(Table, OutboxMessage.__table__)


def _set(database: Database, row_id: int, *, expect: str | None = None, **values: Any) -> bool:
    """Change one row in its own committed transaction; with `expect`, only if its status is
    still that (a claim). Core statements: this runs twice per push and must stay cheap."""
    statement = update(_OUTBOX).where(_OUTBOX.c.id == row_id)
    if expect is not None:
        statement = statement.where(_OUTBOX.c.status == expect)
    with database.engine.begin() as conn:
        return conn.execute(statement.values(**values)).rowcount == 1


def _load(
    database: Database, condition: Any, limit: int, cache: dict[str, ResolvedTarget] | None = None
) -> tuple[list[_Row], TargetResolver]:
    """A batch of rows and their resolved targets (cached for the pass), read in one short
    transaction (SQLite transactions take the write lock, so none is held while sending)."""
    with database.transaction() as session:
        rows = [
            _Row(r.id, r.idempotency_key, r.kind, r.target, r.payload, r.attempts, r.last_error)
            for r in session.execute(
                select(
                    OutboxMessage.id,
                    OutboxMessage.idempotency_key,
                    OutboxMessage.kind,
                    OutboxMessage.target,
                    OutboxMessage.payload,
                    OutboxMessage.attempts,
                    OutboxMessage.last_error,
                )
                .where(condition)
                .order_by(OutboxMessage.due_at, OutboxMessage.id)
                .limit(limit)
            )
        ]
        resolver = TargetResolver(session, cache)
        for row in rows:
            resolver.resolve(row.target)
    return rows, resolver


def recover_uncertain(
    database: Database, *, now: datetime, notifiers: Sequence[Notifier]
) -> list[Delivery]:
    """Settle rows left "sending" by a process that died mid-send."""
    rows, resolver = _load(database, OutboxMessage.status == SENDING, 10_000)
    out = []
    for row in rows:
        resolved = resolver.resolve(row.target)
        notifier = route(resolved.target, notifiers)
        answer = notifier.already_delivered(row.key) if notifier is not None else None
        text = Reply.from_dict(row.payload).text
        if answer is True:
            _set(
                database,
                row.id,
                expect=SENDING,
                status=DELIVERED,
                delivered_at=now,
                platform=notifier.platform if notifier else None,
                last_error="confirmed delivered after a restart",
            )
            out.append(
                Delivery(
                    row.key,
                    row.kind,
                    resolved.target.display,
                    "delivered",
                    text,
                    row.attempts,
                    "confirmed after a restart",
                    notifier.platform if notifier else None,
                )
            )
        else:
            _set(
                database,
                row.id,
                expect=SENDING,
                status=PENDING,
                next_attempt_at=None,
                last_error=UNCERTAIN if answer is None else "not delivered before a restart",
            )
    return out


class _Writer:
    """The row updates of a delivery pass, on one connection kept for the pass (no pool
    checkout and ping per push). A send's outcome is committed together with the next claim,
    one transaction per push instead of two; `flush` commits whatever is left. A crash
    before that commit leaves the row "sending", settled by the next pass like any
    interrupted send."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._later: list[tuple[int, dict[str, Any]]] = []
        self._conn: Any = None

    def _connection(self) -> Any:
        if self._conn is None:
            self._conn = self.database.engine.connect()
        return self._conn

    def later(self, row_id: int, **values: Any) -> None:
        self._later.append((row_id, values))

    def now(self, row_id: int, *, expect: str | None = None, **values: Any) -> bool:
        conn = self._connection()
        with conn.begin():
            self._write_later(conn)
            statement = update(_OUTBOX).where(_OUTBOX.c.id == row_id)
            if expect is not None:
                statement = statement.where(_OUTBOX.c.status == expect)
            return bool(conn.execute(statement.values(**values)).rowcount == 1)

    def flush(self) -> None:
        if self._later:
            conn = self._connection()
            with conn.begin():
                self._write_later(conn)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _write_later(self, conn: Any) -> None:
        for row_id, values in self._later:
            conn.execute(update(_OUTBOX).where(_OUTBOX.c.id == row_id).values(**values))
        self._later.clear()


def deliver_due(
    database: Database,
    *,
    now: datetime,
    notifiers: Sequence[Notifier],
    lease: Lease | None = None,
    limit: int | None = None,
) -> list[Delivery]:
    """Send every push due at `now` (and not waiting for a retry); returns what happened."""
    out = recover_uncertain(database, now=now, notifiers=notifiers)
    done = 0
    seen: set[int] = set()
    due = (
        (OutboxMessage.status == PENDING)
        & (OutboxMessage.due_at <= now)
        & or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
    )
    writer = _Writer(database)
    targets: dict[str, ResolvedTarget] = {}
    try:
        while limit is None or done < limit:
            writer.flush()
            rows, resolver = _load(
                database, due, BATCH if limit is None else min(BATCH, limit - done), targets
            )
            rows = [row for row in rows if row.id not in seen]  # handled rows leave `due`
            if not rows:
                break
            for row in rows:
                if lease is not None and not lease.renew_if_due():
                    log.warning("job lease lost: delivery stops")
                    return out
                seen.add(row.id)
                result = _deliver_one(writer, row, resolver, now=now, notifiers=notifiers)
                if result is not None:
                    out.append(result)
                    done += 1
    finally:
        writer.close()
        tell_creators(database, out, now=now)  # a channel the bot cannot reach: say so
    return out


def _deliver_one(
    writer: _Writer,
    row: _Row,
    resolver: TargetResolver,
    *,
    now: datetime,
    notifiers: Sequence[Notifier],
) -> Delivery | None:
    resolved = resolver.resolve(row.target)
    target = resolved.target
    reply = Reply.from_dict(row.payload)

    def outcome(
        status: str,
        reason: str | None = None,
        *,
        attempts: int = row.attempts,
        platform: str | None = None,
        duplicate: bool = False,
        next_at: datetime | None = None,
    ) -> Delivery:
        return Delivery(
            row.key,
            row.kind,
            target.display,
            status,
            reply.text,
            attempts,
            reason,
            platform,
            duplicate,
            next_at,
        )

    if not resolved.exists:
        reason = "the user is no longer active"
        if not writer.now(row.id, expect=PENDING, status=SKIPPED, last_error=reason):
            return None
        return outcome("skipped", reason)
    decision = decide(resolved.preference, row.kind, now, resolved.zone)
    if decision.action == "skip":
        if not writer.now(row.id, expect=PENDING, status=SKIPPED, last_error=decision.reason):
            return None
        return outcome("skipped", decision.reason)
    if decision.action == "defer":
        if not writer.now(row.id, expect=PENDING, next_attempt_at=decision.until):
            return None
        return outcome("deferred", decision.reason, next_at=decision.until)
    notifier = route(target, notifiers)
    if notifier is None:
        reason = f"no configured platform can reach {target.display}"
        if not writer.now(row.id, expect=PENDING, status=FAILED, last_error=reason):
            return None
        return outcome("failed", reason)

    duplicate = row.last_error == UNCERTAIN
    if (row.last_error or "").startswith(TIMED_OUT + ":"):
        answer = notifier.already_delivered(row.key)
        if answer is True:
            reason = "confirmed delivered after a timeout"
            if not writer.now(
                row.id,
                expect=PENDING,
                status=DELIVERED,
                delivered_at=now,
                platform=notifier.platform,
                last_error=reason,
            ):
                return None
            return outcome("delivered", reason, platform=notifier.platform)
        duplicate = answer is None
    attempts = row.attempts + 1
    if not writer.now(
        row.id, expect=PENDING, status=SENDING, attempts=attempts, platform=notifier.platform
    ):
        return None  # somebody else claimed it
    try:
        notifier.send(target, reply, key=row.key)
    except PermanentDeliveryError as exc:
        writer.later(row.id, status=FAILED, last_error=f"permanent: {exc}"[:2000])
        return outcome("failed", f"permanent: {exc}", attempts=attempts, platform=notifier.platform)
    except Exception as exc:  # noqa: BLE001 - anything else is worth another try
        retry_after = exc.retry_after if isinstance(exc, TemporaryDeliveryError) else None
        error = (
            f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, TemporaryDeliveryError)
            else f"{TIMED_OUT}: {exc}"
            if isinstance(exc, UncertainDeliveryError)
            else f"temporary: {exc}"
        )
        if not isinstance(exc, TemporaryDeliveryError):
            log.exception("notifier %s raised an unexpected error", notifier.platform)
        if attempts >= MAX_ATTEMPTS:
            reason = f"gave up after {attempts} attempts: {error}"
            writer.later(row.id, status=FAILED, last_error=reason[:2000])
            return outcome("failed", reason, attempts=attempts, platform=notifier.platform)
        next_at = now + backoff(attempts, retry_after)
        writer.later(row.id, status=PENDING, next_attempt_at=next_at, last_error=error[:2000])
        return outcome(
            "retry",
            f"{error}; next try {iso_minute(next_at)}",
            attempts=attempts,
            platform=notifier.platform,
            next_at=next_at,
        )
    flag = RESENT_AFTER_TIMEOUT if (row.last_error or "").startswith(TIMED_OUT) else UNCERTAIN
    writer.later(row.id, status=DELIVERED, delivered_at=now, last_error=flag if duplicate else None)
    return outcome("delivered", attempts=attempts, platform=notifier.platform, duplicate=duplicate)
