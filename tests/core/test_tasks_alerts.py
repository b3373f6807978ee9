from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, PermissionDenied, ValidationError
from crm_core.models import AlertRule, Task
from crm_core.periods import quarter_of
from crm_core.services import alerts, deals, metrics, tasks
from tests.factories import Factory


def test_tasks_list_overdue_complete_and_snooze(
    session: Session, make: Factory, now: datetime
) -> None:
    rep, other = make.user("alex"), make.user("dana")
    me = make.actor(rep)
    late = tasks.create_task(
        session=session, actor=me, text="call Acme", due_at=now - timedelta(hours=3)
    )
    soon = tasks.create_task(
        session=session, actor=me, text="send contract", due_at=now + timedelta(days=2)
    )
    later = tasks.create_task(
        session=session, actor=me, text="QBR prep", due_at=now + timedelta(days=20)
    )
    tasks.create_task(session=session, actor=make.actor(other), text="not mine", due_at=now)
    week = tasks.list_tasks(
        session, owner_ids=[rep.id], start=now, end=now + timedelta(days=7), now=now
    )
    assert [t.id for t in week] == [late.id, soon.id]  # overdue included, far future not
    assert [t.id for t in tasks.overdue_tasks(session, now=now, owner_ids=[rep.id])] == [late.id]
    tasks.complete_task(session=session, actor=me, task_id=late.id, now=now)
    assert late.status == "done" and late.completed_at == now
    with pytest.raises(ValidationError, match="done already"):
        tasks.complete_task(session=session, actor=me, task_id=late.id)
    tasks.snooze_task(session=session, actor=me, task_id=soon.id, delta=timedelta(days=1), now=now)
    assert soon.due_at == now + timedelta(days=3) and soon.snooze_count == 1
    with pytest.raises(PermissionDenied):
        tasks.complete_task(session=session, actor=make.actor(other), task_id=later.id)
    with pytest.raises(ValidationError, match="future"):
        tasks.snooze_task(
            session=session, actor=me, task_id=later.id, until=now - timedelta(days=1), now=now
        )


def test_task_targets_and_bad_input(session: Session, make: Factory, now: datetime) -> None:
    rep = make.user("alex")
    t = tasks.create_task(
        session=session, actor=make.actor(rep), text="standup", due_at=now, target_channel="#Sales"
    )
    assert t.target_channel == "#sales" and t.target_user_id is None
    for text, channel in (("x", "sales"), ("", None)):
        with pytest.raises(ValidationError):
            tasks.create_task(
                session=session,
                actor=make.actor(rep),
                due_at=now,
                text=text,
                target_channel=channel,
            )
    with pytest.raises(ValidationError, match="time zone"):
        tasks.create_task(
            session=session, actor=make.actor(rep), text="x", due_at=now.replace(tzinfo=None)
        )
    assert session.scalar(select(func.count(Task.id))) == 1


def test_alert_fires_on_crossing_not_while_true_and_rearms(
    session: Session, make: Factory, now: datetime
) -> None:
    acme = make.customer("Acme")
    rule = alerts.create_alert(
        session=session,
        actor=make.system,
        metric="pipeline",
        comparator="<",
        threshold="200k".replace("k", "000"),
        target_channel="#sales",
    )
    first = alerts.evaluate_alert(session, rule, now=now)
    assert (first.value, first.condition, first.fired) == (Decimal("0.00"), True, True)
    assert not alerts.evaluate_alert(session, rule, now=now).fired  # still true: quiet
    big = make.deal(acme, 250_000)
    cleared = alerts.evaluate_alert(session, rule, now=now)
    assert (cleared.condition, cleared.fired) == (False, False)
    deals.update_deal(session=session, actor=make.system, deal_id=big.id, stage="lost", now=now)
    again = alerts.evaluate_alert(session, rule, now=now)
    assert again.fired and rule.last_fired_at == now


def test_metrics(session: Session, make: Factory, now: datetime) -> None:
    rep = make.user("alex", team="east")
    acme = make.customer("Acme")
    make.deal(acme, 10_000, owner_id=rep.id, stage="negotiation", now=now - timedelta(days=20))
    make.deal(acme, 70_000, now=now - timedelta(days=3))
    make.won(acme, 5_000, days_ago=5, owner=rep)
    assert metrics.evaluate_metric(session, "pipeline", now=now) == Decimal("80000.00")
    assert metrics.evaluate_metric(session, "pipeline", team="east", now=now) == Decimal("10000.00")
    assert metrics.evaluate_metric(session, "deal_amount", now=now) == Decimal("70000.00")
    assert metrics.evaluate_metric(session, "won", owner_id=rep.id, now=now) == Decimal("5000.00")
    assert metrics.evaluate_metric(session, "stale_days", now=now) == 20
    assert metrics.evaluate_metric(session, "forecast", owner_id=rep.id, now=now) == Decimal(
        "5000.00"
    )
    assert quarter_of(now.date())[0].month == 10


def test_alert_validation_and_deletion(session: Session, make: Factory) -> None:
    owner, other = make.user("alex"), make.user("dana")
    with pytest.raises(ValidationError, match="metric"):
        alerts.create_alert(
            session=session, actor=make.actor(owner), metric="mood", comparator=">", threshold=1
        )
    with pytest.raises(ValidationError, match="comparator"):
        alerts.create_alert(
            session=session, actor=make.actor(owner), metric="won", comparator="=", threshold=1
        )
    rule = alerts.create_alert(
        session=session, actor=make.actor(owner), metric="won", comparator=">", threshold=1000
    )
    assert rule.target_user_id == owner.id
    assert [r.id for r in alerts.list_alerts(session, created_by=owner.id)] == [rule.id]
    with pytest.raises(PermissionDenied):
        alerts.delete_alert(session=session, actor=make.actor(other), rule_id=rule.id)
    alerts.delete_alert(session=session, actor=make.actor(owner), rule_id=rule.id)
    assert alerts.list_alerts(session) == []
    with pytest.raises(NotFound):
        alerts.delete_alert(session=session, actor=make.actor(owner), rule_id=rule.id)
    assert session.scalar(select(func.count(AlertRule.id))) == 1
