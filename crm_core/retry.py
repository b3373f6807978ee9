"""Which database failures are worth running a whole transaction again.

Concurrent writers may collide without anyone being wrong: PostgreSQL aborts one side of a
deadlock (40P01) or of a serialization conflict (40001); two first messages from one new
person race on a unique index (23505 / SQLite's "UNIQUE constraint failed"); SQLite gives up
waiting for the write lock ("database is locked"). Run again, the loser sees the winner's
committed rows and succeeds. Re-running is safe only because each platform request is
recorded once (crm_core.services.handled): a retry of work that did commit finds its answer.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

log = logging.getLogger(__name__)

T = TypeVar("T")

ATTEMPTS = 6  # the first try and five more
BASE_DELAY = 0.02  # seconds; doubled each retry, with full jitter
MAX_DELAY = 1.0

RETRY_SQLSTATES = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available
    "23505",  # unique_violation: a race on first contact or on the request key
}
SQLITE_TRANSIENT = ("database is locked", "database table is locked", "database is busy")


def is_transient(exc: BaseException) -> bool:
    """True for failures that another run of the same transaction can get past."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return str(sqlstate) in RETRY_SQLSTATES
    message = str(orig).lower()
    if isinstance(exc, OperationalError):
        return any(text in message for text in SQLITE_TRANSIENT)
    if isinstance(exc, IntegrityError):
        return "unique constraint failed" in message
    return False


def delay(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait before attempt `attempt + 1`: full jitter on a doubling ceiling, so
    writers that collided once do not collide again in step."""
    ceiling = min(BASE_DELAY * (2 ** (attempt - 1)), MAX_DELAY)
    return (rng or random).uniform(0, ceiling)


def run(
    work: Callable[[], T],
    *,
    attempts: int = ATTEMPTS,
    what: str = "transaction",
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`work()` (one whole transaction), again after a transient failure, at most `attempts`
    times; the last failure is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as exc:
            if attempt >= attempts or not is_transient(exc):
                raise
            wait = delay(attempt)
            log.info(
                "%s hit %s (attempt %d of %d); retrying in %.0f ms",
                what,
                type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__,
                attempt,
                attempts,
                wait * 1000,
            )
            sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
