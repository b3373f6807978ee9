"""Expired conversation questions are swept by the scheduler, live ones are kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flow import Pending, StateStore
from crm_core.database import Database
from crm_core.models import ConversationState
from jobs.housekeeping import sweep_housekeeping
from jobs.notifier import ConsoleNotifier
from jobs.runner import run_once


def _ask(session: Session, user_key: str, at: datetime) -> None:
    pending = Pending(intent="log_interaction", entities={}, awaiting="slot", slot="customer")
    StateStore(session, "console", "dm", user_key).save(pending, at)


def test_the_sweep_removes_only_expired_questions(session: Session, now: datetime) -> None:
    _ask(session, "old", now - timedelta(hours=2))
    _ask(session, "fresh", now - timedelta(minutes=1))
    assert sweep_housekeeping(session, now=now) == 0  # it queues no push
    left = session.scalars(select(ConversationState.user_key)).all()
    assert left == ["fresh"]


def test_run_once_sweeps_expired_questions(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        _ask(session, "old", now - timedelta(days=1))
    run_once(database, now=now, notifiers=[ConsoleNotifier()])
    with database.transaction() as session:
        assert session.scalars(select(ConversationState)).all() == []
