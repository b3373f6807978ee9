"""The delivery job: sends what the outbox holds, exactly once where the platform allows it.

A pass works in batches of due rows, each batch in a few statements and commits:
1. load and claim, in one transaction: up to BATCH due rows (`FOR UPDATE SKIP LOCKED` on
   PostgreSQL, so two passes at once never load the same row; SQLite's write lock does the
   same); preferences first: a muted kind (or anything but a digest for "digest only") is
   marked skipped with the reason, quiet hours move `next_attempt_at` to their end
   (deferred), a target no platform reaches is failed; these marks go out as one executemany;
   then the first window of the rest is claimed: status "sending" and attempts + 1, one
   `UPDATE ... WHERE id IN (...) AND status = 'pending' RETURNING` per platform. Committed
   *before* anything is sent.
2. per window: send each claimed row through its notifier (outside any transaction), then
   mark them all (delivered, back to pending with a back-off, or failed: one executemany)
   and claim the next window, in one commit.

A window is WINDOW pushes for a notifier that can tell afterwards whether a key reached the
platform (`confirms`: Slack, a console writing to a file), and one push for a notifier that
cannot (a terminal, Telegram): a crash loses the marks of a whole window, and only a notifier
that can be asked makes that harmless.

A process killed between claim and mark leaves rows "sending". The next pass that finds no
other pass alive (see `_Pass`) asks the notifier whether each key reached the platform: yes
-> delivered without resending; no -> sent again; cannot tell -> sent again and reported as a
possible duplicate. That last case is the one limit of "exactly once": a notifier that cannot
look a key up may repeat the single push that was in flight when the process died (its
windows are one push long).

A send that timed out after the request went out (UncertainDeliveryError) is the same case
without the crash: the row waits its back-off marked "uncertain after a timeout", and the next
attempt (claimed like any other) asks `already_delivered` before sending: yes -> delivered, no
resend; no -> sent; cannot tell -> sent and flagged as a possible duplicate.

Back-off for temporary failures: 30 s, 1, 2, 4, 8, 16, 32 min (capped at 1 h, or the
platform's retry-after when longer); the 8th failed attempt gives up and records the row as
failed with its last error. A permanent failure is recorded as failed at once. Nothing is
dropped silently: every outcome is a status and a reason in the row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, or_, select, text, update
from sqlalchemy.orm import Session

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
    confirms,
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
BATCH = 500  # due rows loaded (and locked) per transaction
WINDOW = 100  # pushes sent between two commits, for a notifier that `confirms`
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
    platform: str | None


_OUTBOX = cast(Table, OutboxMessage.__table__)
_COLUMNS = (
    _OUTBOX.c.id,
    _OUTBOX.c.idempotency_key,
    _OUTBOX.c.kind,
    _OUTBOX.c.target,
    _OUTBOX.c.payload,
    _OUTBOX.c.attempts,
    _OUTBOX.c.last_error,
    _OUTBOX.c.platform,
)


def _due(now: Any) -> Any:
    """Pending, due, and not waiting for a retry or the end of quiet hours."""
    return (
        (_OUTBOX.c.status == PENDING)
        & (_OUTBOX.c.due_at <= now)
        & or_(_OUTBOX.c.next_attempt_at.is_(None), _OUTBOX.c.next_attempt_at <= now)
    )


# Built once: a pass runs each of these with many rows, never compiles one per push.
_MARK = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("m_id"), _OUTBOX.c.status == bindparam("m_expect"))
    .values(
        status=bindparam("m_status"),
        attempts=bindparam("m_attempts"),
        platform=bindparam("m_platform"),
        next_attempt_at=bindparam("m_next"),
        last_error=bindparam("m_error"),
        delivered_at=bindparam("m_delivered"),
    )
)
_CLAIM = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("c_ids", expanding=True)), _due(bindparam("c_now")))
    .values(status=SENDING, attempts=_OUTBOX.c.attempts + 1, platform=bindparam("c_platform"))
    .returning(_OUTBOX.c.id, _OUTBOX.c.attempts, _OUTBOX.c.last_error)
)


# A one-push window on PostgreSQL: its mark and the next window's claim as one statement,
# run in autocommit: one round trip and one commit per push, still atomic.
_MARK_THEN_CLAIM = _CLAIM.add_cte(_MARK.returning(_OUTBOX.c.id).cte("marked"))


def _load(conn: Connection, condition: Any, limit: int) -> list[_Row]:
    """Up to `limit` rows, oldest due first; on PostgreSQL locked for this transaction and
    skipping rows another pass holds (SQLite renders no FOR UPDATE: its write lock, taken by
    BEGIN IMMEDIATE, keeps the other pass out instead)."""
    return [
        _Row(*r)
        for r in conn.execute(
            select(*_COLUMNS)
            .where(condition)
            .order_by(_OUTBOX.c.due_at, _OUTBOX.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ]


def _mark(
    row: _Row,
    status: str,
    *,
    expect: str,
    attempts: int | None = None,
    platform: str | None = None,
    next_at: datetime | None = None,
    error: str | None = None,
    delivered_at: datetime | None = None,
) -> dict[str, Any]:
    """The parameters of `_MARK` for one row: every column it sets, given in full, so that
    one statement serves every outcome."""
    return {
        "m_id": row.id,
        "m_expect": expect,
        "m_status": status,
        "m_attempts": row.attempts if attempts is None else attempts,
        "m_platform": platform if platform is not None else row.platform,
        "m_next": next_at,
        "m_error": error[:2000] if error is not None else None,
        "m_delivered": delivered_at,
    }


def _write(conn: Connection, marks: list[dict[str, Any]]) -> None:
    if marks:
        conn.execute(_MARK, marks)


# PostgreSQL advisory lock (class, schema) held by every live pass in shared mode; taken
# exclusively, briefly, by a pass that settles rows left "sending". A pass that dies loses its
# connection and with it the lock, so rows still "sending" while nobody holds it belong to a
# dead process. Keyed by schema: passes on other schemas of the same server are not ours.
_PASS_LOCK_CLASS = 0x0C7B
_SCHEMA = "hashtext(current_schema())"


class _Pass:
    """One delivery pass on one connection, kept for the pass (no pool checkout per batch).

    A pass settles rows left "sending" (asks the notifier, see `_recover`) only when it is
    the only pass alive: otherwise "sending" may mean "being sent right now" by the other one,
    and settling it would send it twice. On PostgreSQL that is the advisory lock above, so
    two passes at once are safe even without the job lease; on SQLite (one process on one
    machine) the job lease is what keeps a second pass away."""

    def __init__(self, database: Database, *, now: datetime, notifiers: Sequence[Notifier]):
        self.conn = database.engine.connect()
        self.now = now
        self.notifiers = notifiers
        self.postgres = database.engine.dialect.name == "postgresql"
        self.targets: dict[str, ResolvedTarget] = {}
        self._auto: Connection | None = None  # see commit_window

    def begin(self) -> bool:
        """Register as a live pass; True when no other pass is alive (so this one may
        settle what a dead one left "sending")."""
        if not self.postgres:
            return True
        with self.conn.begin():
            alone = bool(
                self.conn.scalar(
                    text(f"SELECT pg_try_advisory_lock(:c, {_SCHEMA})"), {"c": _PASS_LOCK_CLASS}
                )
            )
            if not alone:  # waits only while another pass is settling its leftovers
                self.conn.execute(
                    text(f"SELECT pg_advisory_lock_shared(:c, {_SCHEMA})"), {"c": _PASS_LOCK_CLASS}
                )
        return alone

    def settled(self) -> None:
        """Leftovers settled: from exclusive to shared, so other passes may start."""
        if self.postgres:
            with self.conn.begin():
                self.conn.execute(
                    text(f"SELECT pg_advisory_lock_shared(:c, {_SCHEMA})"), {"c": _PASS_LOCK_CLASS}
                )
                self.conn.execute(
                    text(f"SELECT pg_advisory_unlock(:c, {_SCHEMA})"), {"c": _PASS_LOCK_CLASS}
                )

    def close(self) -> None:
        """Unregister and give the connection back; a connection that cannot be told to
        unlock is closed for good (which unlocks)."""
        try:
            if self.postgres:
                with self.conn.begin():
                    self.conn.execute(text("SELECT pg_advisory_unlock_all()"))
        except Exception:  # noqa: BLE001 - a broken connection: drop it, the lock goes with it
            self.conn.invalidate()
        finally:
            self.conn.close()
            if self._auto is not None:
                self._auto.close()

    def resolve(self, targets: Iterable[str]) -> dict[str, ResolvedTarget]:
        """Targets resolved in the open transaction, cached for the whole pass (one query
        per person, not per push)."""
        with Session(bind=self.conn) as session:
            resolver = TargetResolver(session, self.targets)
            return {target: resolver.resolve(target) for target in targets}

    def commit_window(
        self, marks: list[dict[str, Any]], following: list[tuple[_Row, Notifier]]
    ) -> set[int]:
        """Record a window's outcomes and claim the next window's rows, in one commit;
        returns the ids claimed. The common case of a notifier that cannot be asked (one push
        a window) is one statement on PostgreSQL, instead of BEGIN, two UPDATEs and COMMIT."""
        platforms = {notifier.platform for _, notifier in following}
        if self.postgres and len(marks) == 1 and len(platforms) == 1:
            if self._auto is None:
                self._auto = self.conn.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT"
                )
            [platform] = platforms
            index = {row.id: row for row, _ in following}
            params = {**marks[0], "c_ids": list(index), "c_now": self.now, "c_platform": platform}
            claimed = self._claimed(self._auto.execute(_MARK_THEN_CLAIM, params), index, platform)
            self._auto.commit()  # a no-op in autocommit, ends SQLAlchemy's own transaction
            return claimed
        with self.conn.begin():
            _write(self.conn, marks)
            return self.claim(following) if following else set()

    @staticmethod
    def _claimed(result: Any, index: dict[int, _Row], platform: str) -> set[int]:
        """The rows a claim returned, updated with their new attempts and last error."""
        claimed: set[int] = set()
        for row_id, attempts, last_error in result:
            row = index[row_id]
            row.attempts, row.last_error, row.platform = attempts, last_error, platform
            claimed.add(row_id)
        return claimed

    def claim(self, rows: list[tuple[_Row, Notifier]]) -> set[int]:
        """Claim these rows (still due and pending) for sending; returns the ids claimed, the
        rows updated with their new attempts and last error."""
        by_platform: dict[str, list[_Row]] = {}
        for row, notifier in rows:
            by_platform.setdefault(notifier.platform, []).append(row)
        claimed: set[int] = set()
        for platform, group in by_platform.items():
            index = {row.id: row for row in group}
            result = self.conn.execute(
                _CLAIM,
                {"c_ids": list(index), "c_now": self.now, "c_platform": platform},
            )
            claimed |= self._claimed(result, index, platform)
        return claimed


@dataclass
class _Sendable:
    row: _Row
    resolved: ResolvedTarget
    notifier: Notifier
    reply: Reply


def _outcome(
    row: _Row,
    resolved: ResolvedTarget,
    reply: Reply,
    status: str,
    reason: str | None = None,
    *,
    attempts: int | None = None,
    platform: str | None = None,
    duplicate: bool = False,
    next_at: datetime | None = None,
) -> Delivery:
    return Delivery(
        row.key,
        row.kind,
        resolved.target.display,
        status,
        reply.text,
        row.attempts if attempts is None else attempts,
        reason,
        platform,
        duplicate,
        next_at,
    )


def recover_uncertain(
    database: Database, *, now: datetime, notifiers: Sequence[Notifier]
) -> list[Delivery]:
    """Settle rows left "sending" by a process that died mid-send (nothing, while another
    pass is alive)."""
    work = _Pass(database, now=now, notifiers=notifiers)
    try:
        return _recover(work) if work.begin() else []
    finally:
        work.close()


def _recover(work: _Pass) -> list[Delivery]:
    """Ask the notifier about each row left "sending": delivered -> marked so, not sent
    again; not delivered or cannot tell -> back to pending (the latter flagged, so that its
    resend is reported as a possible duplicate). The platforms are asked outside any
    transaction."""
    conn = work.conn
    with conn.begin():
        rows = _load(conn, _OUTBOX.c.status == SENDING, 10_000)
        targets = work.resolve({row.target for row in rows})
    out, marks = [], []
    for row in rows:
        resolved = targets[row.target]
        notifier = route(resolved.target, work.notifiers)
        answer = (
            notifier.already_delivered(row.key, resolved.target) if notifier is not None else None
        )
        platform = notifier.platform if notifier is not None else None
        if answer is True:
            marks.append(
                _mark(
                    row,
                    DELIVERED,
                    expect=SENDING,
                    platform=platform,
                    error="confirmed delivered after a restart",
                    delivered_at=work.now,
                )
            )
            out.append(
                _outcome(
                    row,
                    resolved,
                    Reply.from_dict(row.payload),
                    "delivered",
                    "confirmed after a restart",
                    platform=platform,
                )
            )
        else:
            error = UNCERTAIN if answer is None else "not delivered before a restart"
            marks.append(_mark(row, PENDING, expect=SENDING, error=error))
    if marks:
        with conn.begin():
            _write(conn, marks)
    return out


def deliver_due(
    database: Database,
    *,
    now: datetime,
    notifiers: Sequence[Notifier],
    lease: Lease | None = None,
    limit: int | None = None,
) -> list[Delivery]:
    """Send every push due at `now` (and not waiting for a retry); returns what happened.
    With a `lease`, nothing at all (not even settling leftovers) unless it is held."""
    if lease is not None and not lease.renew_if_due():
        return []
    work = _Pass(database, now=now, notifiers=notifiers)
    out: list[Delivery] = []
    done = 0
    seen: set[int] = set()
    try:
        if work.begin():
            out += _recover(work)
            work.settled()
        while limit is None or done < limit:
            if lease is not None and not lease.renew_if_due():
                log.warning("job lease lost: delivery stops")
                break
            size = BATCH if limit is None else min(BATCH, limit - done)
            batch = _batch(work, size, seen, lease)
            if batch is None:
                break
            out += batch.results
            done += len(batch.results)
            if batch.stopped:
                break
    finally:
        work.close()
        tell_creators(database, out, now=now)  # a channel the bot cannot reach: say so
    return out


@dataclass
class _BatchResult:
    results: list[Delivery]
    stopped: bool  # the lease was lost


def _batch(work: _Pass, size: int, seen: set[int], lease: Lease | None) -> _BatchResult | None:
    """One batch: load, decide and claim in one commit, then send window by window. None
    when nothing new is due."""
    conn = work.conn
    results: list[Delivery] = []
    with conn.begin():
        rows = [row for row in _load(conn, _due(work.now), size) if row.id not in seen]
        if not rows:
            return None  # handled rows leave `due`; seeing only those means we are done
        seen.update(row.id for row in rows)
        targets = work.resolve({row.target for row in rows})
        marks: list[dict[str, Any]] = []
        sendable: list[_Sendable] = []
        for row in rows:
            resolved = targets[row.target]
            reply = Reply.from_dict(row.payload)
            decided = _decide(row, resolved, reply, work)
            if isinstance(decided, _Sendable):
                sendable.append(decided)
            else:
                results.append(decided[0])
                marks.append(decided[1])
        _write(conn, marks)
        windows = _windows(sendable)
        claimed = work.claim([(s.row, s.notifier) for s in windows[0]]) if windows else set()
    for i, window in enumerate(windows):
        mine = [s for s in window if s.row.id in claimed]
        marks = []
        stopped = False
        for s in mine:
            if stopped or (lease is not None and not lease.renew_if_due()):
                if not stopped:
                    log.warning("job lease lost: delivery stops")
                stopped = True  # back to pending, unsent, for the next lease holder
                marks.append(
                    _mark(
                        s.row,
                        PENDING,
                        expect=SENDING,
                        attempts=s.row.attempts - 1,
                        error=s.row.last_error,
                    )
                )
                continue
            delivery, mark = _send(s, work.now)
            results.append(delivery)
            marks.append(mark)
        following = windows[i + 1] if i + 1 < len(windows) and not stopped else []
        claimed = work.commit_window(marks, [(s.row, s.notifier) for s in following])
        if stopped:
            return _BatchResult(results, True)
    return _BatchResult(results, False)


def _windows(sendable: list[_Sendable]) -> list[list[_Sendable]]:
    """Consecutive pushes grouped into the windows marked in one commit each: up to WINDOW
    for a notifier that `confirms`, one alone for a notifier that cannot be asked."""
    windows: list[list[_Sendable]] = []
    current: list[_Sendable] = []
    for s in sendable:
        if not confirms(s.notifier):
            if current:
                windows.append(current)
                current = []
            windows.append([s])
            continue
        current.append(s)
        if len(current) >= WINDOW:
            windows.append(current)
            current = []
    if current:
        windows.append(current)
    return windows


def _decide(
    row: _Row, resolved: ResolvedTarget, reply: Reply, work: _Pass
) -> _Sendable | tuple[Delivery, dict[str, Any]]:
    """What happens to a due row before any send: skipped (inactive user, muted), deferred
    (quiet hours), failed (no platform reaches it), or to be sent through its notifier."""
    now = work.now
    if not resolved.exists:
        reason = "the user is no longer active"
        return (
            _outcome(row, resolved, reply, "skipped", reason),
            _mark(row, SKIPPED, expect=PENDING, error=reason),
        )
    decision = decide(resolved.preference, row.kind, now, resolved.zone)
    if decision.action == "skip":
        return (
            _outcome(row, resolved, reply, "skipped", decision.reason),
            _mark(row, SKIPPED, expect=PENDING, error=decision.reason),
        )
    if decision.action == "defer":
        return (
            _outcome(row, resolved, reply, "deferred", decision.reason, next_at=decision.until),
            _mark(row, PENDING, expect=PENDING, next_at=decision.until, error=row.last_error),
        )
    notifier = route(resolved.target, work.notifiers)
    if notifier is None:
        reason = f"no configured platform can reach {resolved.target.display}"
        return (
            _outcome(row, resolved, reply, "failed", reason),
            _mark(row, FAILED, expect=PENDING, error=reason),
        )
    return _Sendable(row, resolved, notifier, reply)


def _send(s: _Sendable, now: datetime) -> tuple[Delivery, dict[str, Any]]:
    """Send one claimed row (its attempts already counted by the claim); returns what
    happened and the mark that records it."""
    row, notifier, platform = s.row, s.notifier, s.notifier.platform

    def result(status: str, reason: str | None = None, **kw: Any) -> Delivery:
        return _outcome(row, s.resolved, s.reply, status, reason, platform=platform, **kw)

    duplicate = row.last_error == UNCERTAIN
    if (row.last_error or "").startswith(TIMED_OUT + ":"):
        answer = notifier.already_delivered(row.key, s.resolved.target)
        if answer is True:  # no resend, and no attempt spent
            reason = "confirmed delivered after a timeout"
            before = row.attempts - 1
            return (
                result("delivered", reason, attempts=before),
                _mark(
                    row, DELIVERED, expect=SENDING, attempts=before, error=reason, delivered_at=now
                ),
            )
        duplicate = answer is None
    try:
        notifier.send(s.resolved.target, s.reply, key=row.key)
    except PermanentDeliveryError as exc:
        error = f"permanent: {exc}"
        return result("failed", error), _mark(row, FAILED, expect=SENDING, error=error)
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
            log.exception("notifier %s raised an unexpected error", platform)
        if row.attempts >= MAX_ATTEMPTS:
            reason = f"gave up after {row.attempts} attempts: {error}"
            return result("failed", reason), _mark(row, FAILED, expect=SENDING, error=reason)
        next_at = now + backoff(row.attempts, retry_after)
        return (
            result("retry", f"{error}; next try {iso_minute(next_at)}", next_at=next_at),
            _mark(row, PENDING, expect=SENDING, next_at=next_at, error=error),
        )
    flag = RESENT_AFTER_TIMEOUT if (row.last_error or "").startswith(TIMED_OUT) else UNCERTAIN
    return (
        result("delivered", duplicate=duplicate),
        _mark(row, DELIVERED, expect=SENDING, error=flag if duplicate else None, delivered_at=now),
    )
