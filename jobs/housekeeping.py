"""Housekeeping: tables that would only grow are trimmed on the scheduler's clock.

It runs as a sweep so that it shares the lease (one process trims), the clock (tests and
`crmbot jobs run-once --now` drive it) and the error containment of every other job. It
queues no push, so it reports 0 to the runner, and logs what it removed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crm_core.services import handled
from crm_core.services.conversations import purge_expired

log = logging.getLogger(__name__)

# Platforms retry within minutes (Slack: three times within an hour; Telegram: until the
# offset is confirmed); a week covers a replay of a captured request as well.
HANDLED_KEPT = timedelta(days=7)


def sweep_housekeeping(session: Session, *, now: datetime) -> int:
    """Delete expired conversation questions and answers to requests old enough that no
    platform will deliver them again; enqueues nothing."""
    purged = purge_expired(session, now=now)
    if purged:
        log.info("housekeeping: %d expired conversation question(s) removed", purged)
    forgotten = handled.purge(session, before=now - HANDLED_KEPT)
    if forgotten:
        log.info("housekeeping: %d answered request(s) older than a week forgotten", forgotten)
    return 0
