"""Housekeeping: tables that would only grow are trimmed on the scheduler's clock.

It runs as a sweep so that it shares the lease (one process trims), the clock (tests and
`crmbot jobs run-once --now` drive it) and the error containment of every other job. It
queues no push, so it reports 0 to the runner, and logs what it removed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from crm_core.services.conversations import purge_expired

log = logging.getLogger(__name__)


def sweep_housekeeping(session: Session, *, now: datetime) -> int:
    """Delete expired conversation questions; enqueues nothing."""
    purged = purge_expired(session, now=now)
    if purged:
        log.info("housekeeping: %d expired conversation question(s) removed", purged)
    return 0
