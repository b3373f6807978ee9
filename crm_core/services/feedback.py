"""Collaborative CRM: a customer's request or complaint routed to the team that can act."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, ValidationError
from crm_core.models import Feedback
from crm_core.models.enums import FeedbackStatus
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.validation import clean_choice, clean_text

TEAM_RE = re.compile(r"^[a-z][a-z0-9 _-]{1,59}$")


def clean_team(team: str) -> str:
    value = " ".join((team or "").lower().split())
    if not TEAM_RE.match(value):
        raise ValidationError(f"{team!r} is not a team name", field="team")
    return value


@atomic
def log_feedback(
    *, session: Session, actor: Actor, team: str, text: str, customer_id: int | None = None
) -> Feedback:
    item = Feedback(
        customer_id=customer_id,
        team=clean_team(team),
        text=clean_text(text, field="feedback", allow_empty=False),
        created_by=actor.user_id,
    )
    session.add(item)
    session.flush()
    record(session, actor, "feedback.create", item, after=snapshot(item))
    return item


def list_feedback(
    session: Session,
    *,
    team: str | None = None,
    status: str | None = None,
    customer_id: int | None = None,
    limit: int = 50,
) -> list[Feedback]:
    """Newest first, narrowed to a team, a status and/or one customer."""
    query = select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(limit)
    if customer_id is not None:
        query = query.where(Feedback.customer_id == customer_id)
    if team:
        query = query.where(Feedback.team == clean_team(team))
    if status:
        query = query.where(
            Feedback.status == clean_choice(status, FeedbackStatus, field="status").value
        )
    return list(session.scalars(query))


@atomic
def set_feedback_status(
    *, session: Session, actor: Actor, feedback_id: int, status: str
) -> Feedback:
    item = session.get(Feedback, feedback_id)
    if item is None:
        raise NotFound(f"no feedback #{feedback_id}")
    before = snapshot(item)
    item.status = clean_choice(status, FeedbackStatus, field="status").value
    session.flush()
    record(session, actor, "feedback.status", item, before=before, after=snapshot(item))
    return item
