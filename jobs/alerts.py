"""Alert rules, evaluated on the schedule and after the writes that can move them.

The fire-on-crossing memory is the rule's own `last_state` (crm_core.services.alerts): a rule
fires when its condition becomes true, not again while it stays true, and again after it has
cleared. The state change and the push are written in the same transaction, so a crash can
neither lose a firing nor push it twice.

The scheduled sweep computes every metric of every scope from one `MetricSnapshot` (four
grouped queries), which keeps "every rule" cheap on a large database; after a write, only the
rules whose scope covers the changed owners are evaluated, each (metric, scope) once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from chat.reply import Reply, Section
from crm_core.models import AlertRule, User
from crm_core.models.enums import Metric
from crm_core.services.alerts import condition_holds
from crm_core.services.metrics import evaluate_metric
from jobs import texts
from jobs.format import money
from jobs.metric_snapshot import MetricSnapshot
from jobs.outbox import Push, channel_target, enqueue, make_key, user_target

METRIC_LABELS = texts.METRIC_LABELS


def _show(metric: str, value: Decimal) -> str:
    return (
        texts.STALE_DAYS.format(n=int(value)) if metric == Metric.STALE_DAYS.value else money(value)
    )


def _scope(session: Session, rule: AlertRule) -> str:
    if rule.scope_owner_id is not None:
        user = session.get(User, rule.scope_owner_id)
        return user.display_name if user else texts.SCOPE_USER.format(id=rule.scope_owner_id)
    if rule.scope_team:
        return texts.SCOPE_TEAM.format(team=rule.scope_team)
    return texts.SCOPE_EVERYBODY


def evaluate_rules(
    session: Session,
    rules: Iterable[AlertRule],
    *,
    now: datetime,
    snapshot: MetricSnapshot | None = None,
) -> int:
    """Evaluate the rules at `now`, remember their state, enqueue a push for each one that has
    just crossed; returns how many fired. With a snapshot, values come from it; without,
    each distinct (metric, scope) is asked of the database once."""
    values: dict[tuple[str, int | None, str | None], Decimal] = {}
    pushes = []
    for rule in rules:
        scope = (rule.metric, rule.scope_owner_id, rule.scope_team)
        if scope not in values:
            values[scope] = (
                snapshot.value(rule.metric, owner_id=rule.scope_owner_id, team=rule.scope_team)
                if snapshot is not None
                else evaluate_metric(
                    session,
                    rule.metric,
                    owner_id=rule.scope_owner_id,
                    team=rule.scope_team,
                    now=now,
                )
            )
        value = values[scope]
        holds = condition_holds(value, rule.comparator, Decimal(rule.threshold))
        fired = holds and not rule.last_state
        rule.last_state, rule.last_value, rule.last_evaluated_at = holds, value, now
        if not fired:
            continue
        rule.last_fired_at = now
        target_user = rule.target_user_id or rule.created_by
        if rule.target_channel:
            target = channel_target(rule.target_channel)
        elif target_user is not None:
            target = user_target(target_user)
        else:
            continue  # nobody to tell; the state is still remembered
        word = texts.BELOW if rule.comparator == "<" else texts.ABOVE
        label = METRIC_LABELS.get(rule.metric, rule.metric)
        text = texts.ALERT_FIRED.format(
            metric=label,
            scope=_scope(session, rule),
            direction=word,
            threshold=_show(rule.metric, Decimal(rule.threshold)),
            now=_show(rule.metric, value),
        )
        reply = Reply(
            text,
            [
                Section(
                    fields=[
                        (texts.FIELD_RULE, f"#{rule.id}"),
                        (texts.FIELD_METRIC, rule.metric),
                        (
                            texts.FIELD_THRESHOLD,
                            f"{rule.comparator} {_show(rule.metric, Decimal(rule.threshold))}",
                        ),
                    ]
                )
            ],
        )
        pushes.append(Push(make_key("alert", f"rule-{rule.id}", now), "alert", target, reply, now))
    session.flush()
    enqueue(session, pushes, now=now)
    return len(pushes)


def sweep_alerts(session: Session, *, now: datetime) -> int:
    """Every active rule, on the schedule: all metrics of all scopes from one snapshot."""
    rules = list(
        session.scalars(select(AlertRule).where(AlertRule.active.is_(True)).order_by(AlertRule.id))
    )
    if not rules:
        return 0
    return evaluate_rules(session, rules, now=now, snapshot=MetricSnapshot.load(session, now=now))


def evaluate_after_write(
    session: Session, *, now: datetime, owner_ids: Iterable[int | None] | None = None
) -> int:
    """For the engine to call in the transaction of a write that can move a metric (a deal
    created, changed, won or lost; an interaction logged): re-evaluate the rules whose scope
    covers those owners (all rules when `owner_ids` is None). The push is sent by the next
    delivery pass."""
    query = select(AlertRule).where(AlertRule.active.is_(True)).order_by(AlertRule.id)
    if owner_ids is not None:
        ids = [i for i in owner_ids if i is not None]
        teams = list(
            session.scalars(select(User.team).where(User.id.in_(ids), User.team.is_not(None)))
        )
        query = query.where(
            or_(
                AlertRule.scope_owner_id.in_(ids),
                AlertRule.scope_team.in_(teams),
                (AlertRule.scope_owner_id.is_(None) & AlertRule.scope_team.is_(None)),
            )
        )
    return evaluate_rules(session, list(session.scalars(query)), now=now)
