"""Alert rules: create, list, delete, and evaluate with fire-on-crossing semantics.

A rule fires when its condition becomes true, stays quiet while it stays true, and re-arms
once it has been false again: `last_state` remembers the previous evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, PermissionDenied, ValidationError
from crm_core.models import AlertRule, User
from crm_core.models.base import utcnow
from crm_core.models.enums import Metric, Role
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.services.metrics import evaluate_metric
from crm_core.services.tasks import _channel
from crm_core.validation import clean_amount, clean_choice

COMPARATORS = ("<", ">")


@atomic
def create_alert(
    *,
    session: Session,
    actor: Actor,
    metric: str,
    comparator: str,
    threshold: object,
    target_user_id: int | None = None,
    target_channel: str | None = None,
    scope_owner_id: int | None = None,
    scope_team: str | None = None,
) -> AlertRule:
    if comparator not in COMPARATORS:
        raise ValidationError("comparator must be < or >", field="comparator")
    if target_user_id is None and target_channel is None:
        target_user_id = actor.user_id
    rule = AlertRule(
        metric=clean_choice(metric, Metric, field="metric").value,
        comparator=comparator,
        threshold=clean_amount(threshold, field="threshold"),
        created_by=actor.user_id,
        scope_owner_id=scope_owner_id,
        scope_team=scope_team.lower() if scope_team else None,
        target_user_id=target_user_id,
        target_channel=_channel(target_channel),
    )
    session.add(rule)
    session.flush()
    record(session, actor, "alert.create", rule, after=snapshot(rule))
    return rule


def list_alerts(
    session: Session, *, created_by: int | None = None, active_only: bool = True
) -> list[AlertRule]:
    query = select(AlertRule).order_by(AlertRule.id)
    if created_by is not None:
        query = query.where(AlertRule.created_by == created_by)
    if active_only:
        query = query.where(AlertRule.active.is_(True))
    return list(session.scalars(query))


@atomic
def delete_alert(*, session: Session, actor: Actor, rule_id: int) -> AlertRule:
    rule = session.get(AlertRule, rule_id)
    if rule is None or not rule.active:
        raise NotFound(f"no alert #{rule_id}")
    if actor.user_id is not None and rule.created_by not in (None, actor.user_id):
        user = session.get(User, actor.user_id)
        if user is None or user.role == Role.REP.value:
            raise PermissionDenied(f"alert #{rule.id} was set by someone else")
    before = snapshot(rule)
    rule.active = False
    session.flush()
    record(session, actor, "alert.delete", rule, before=before, after=snapshot(rule))
    return rule


@dataclass(frozen=True)
class AlertEvaluation:
    rule: AlertRule
    value: Decimal
    condition: bool
    fired: bool  # the condition has just become true


def condition_holds(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    return value < threshold if comparator == "<" else value > threshold


def evaluate_alert(
    session: Session, rule: AlertRule, *, now: datetime | None = None
) -> AlertEvaluation:
    """Evaluate and remember the state (not audited: it is bookkeeping, not a user's write)."""
    now = now or utcnow()
    value = evaluate_metric(
        session, rule.metric, owner_id=rule.scope_owner_id, team=rule.scope_team, now=now
    )
    holds = condition_holds(value, rule.comparator, Decimal(rule.threshold))
    fired = holds and not rule.last_state
    rule.last_state = holds
    rule.last_value = value
    rule.last_evaluated_at = now
    if fired:
        rule.last_fired_at = now
    session.flush()
    return AlertEvaluation(rule, value, holds, fired)
