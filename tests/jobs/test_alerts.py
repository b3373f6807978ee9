"""Alert rules on the schedule and after writes: fire on crossing, quiet while true, again
after clearing; every metric and scope."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypedDict

import pytest
from sqlalchemy.orm import Session

from crm_core.database import Database
from crm_core.services import alerts, deals
from jobs.alerts import evaluate_after_write, sweep_alerts
from tests.factories import Factory
from tests.jobs.helpers import outbox, texts


class Scope(TypedDict, total=False):
    """Whose figures a metric is about: one owner, one team, or (empty) everybody."""

    owner_id: int
    team: str


def test_fires_on_crossing_stays_quiet_then_fires_again_after_clearing(
    session: Session, make: Factory, now: datetime
) -> None:
    morgan = make.user("morgan", role="manager", team="east")
    alex = make.user("alex", team="east", display_name="Alex")
    acme = make.customer("Acme Corp", owner_id=alex.id)
    rule = alerts.create_alert(
        session=session,
        actor=make.actor(morgan),
        metric="pipeline",
        comparator=">",
        threshold=10000,
        scope_team="east",
    )
    assert sweep_alerts(session, now=now) == 0  # nothing open: 0 is not above 10,000
    deal = make.deal(acme, 15000, owner_id=alex.id)
    assert sweep_alerts(session, now=now + timedelta(minutes=5)) == 1
    assert sweep_alerts(session, now=now + timedelta(minutes=10)) == 0  # still true: quiet
    deals.update_deal(
        session=session,
        actor=make.actor(alex),
        deal_id=deal.id,
        stage="lost",
        now=now + timedelta(minutes=12),
    )
    assert sweep_alerts(session, now=now + timedelta(minutes=15)) == 0  # cleared
    assert rule.last_state is False
    make.deal(acme, 20000, owner_id=alex.id)
    assert sweep_alerts(session, now=now + timedelta(minutes=20)) == 1  # crossed again
    rows = outbox(session, "alert")
    assert [r.target for r in rows] == [f"user:{morgan.id}"] * 2
    assert rows[0].payload["text"] == (
        "Alert: open pipeline for team east is above $10,000: now $15,000."
    )
    assert rows[1].payload["text"].endswith("now $20,000.")
    assert rows[0].idempotency_key != rows[1].idempotency_key


def test_evaluated_after_the_writes_that_move_them_for_the_scope_only(
    session: Session, make: Factory, now: datetime
) -> None:
    alex = make.user("alex", team="east", display_name="Alex")
    west = make.user("wes", team="west")
    acme = make.customer("Acme Corp", owner_id=alex.id)
    mine = alerts.create_alert(
        session=session,
        actor=make.actor(alex),
        metric="deal_amount",
        comparator=">",
        threshold=50000,
        scope_owner_id=alex.id,
        target_channel="#east",
    )
    theirs = alerts.create_alert(
        session=session,
        actor=make.actor(west),
        metric="deal_amount",
        comparator=">",
        threshold=50000,
        scope_owner_id=west.id,
    )
    make.deal(acme, 80000, owner_id=alex.id)
    assert evaluate_after_write(session, now=now, owner_ids=[alex.id]) == 1
    assert theirs.last_evaluated_at is None and mine.last_evaluated_at == now
    [row] = outbox(session, "alert")
    assert row.target == "channel:#east"
    assert row.payload["text"] == "Alert: largest open deal for Alex is above $50,000: now $80,000."
    assert evaluate_after_write(session, now=now, owner_ids=[alex.id]) == 0


def test_every_metric_and_scope(session: Session, make: Factory, now: datetime) -> None:
    boss = make.user("boss", role="manager", team="east")
    alex = make.user("alex", team="east")
    acme = make.customer("Acme Corp", owner_id=alex.id)
    make.deal(
        acme,
        30000,
        owner_id=alex.id,
        stage="negotiation",
        probability="0.5",
        close_date=now.date() + timedelta(days=10),
        now=now - timedelta(days=20),
    )
    make.won(make.customer("Globex", owner_id=alex.id), 40000, days_ago=3, owner=alex)
    cases = [
        ("pipeline", ">", 25000),
        ("forecast", ">", 50000),
        ("won", "<", 50000),
        ("stale_days", ">", 15),
        ("deal_amount", "<", 35000),
    ]
    for metric, comparator, threshold in cases:
        for scope in ({"scope_owner_id": alex.id}, {"scope_team": "east"}, {}):
            alerts.create_alert(
                session=session,
                actor=make.actor(boss),
                metric=metric,
                comparator=comparator,
                threshold=threshold,
                **scope,
            )
    assert sweep_alerts(session, now=now) == 15
    fired = texts(session, "alert")
    assert "Alert: open pipeline for alex is above $25,000: now $30,000." in fired
    assert "Alert: forecast for the quarter for team east is above $50,000: now $55,000." in fired
    assert "Alert: won this quarter for everybody is below $50,000: now $40,000." in fired
    assert (
        "Alert: days since activity on the stalest open deal for alex is above 15 days: "
        "now 20 days."
    ) in fired
    assert sweep_alerts(session, now=now + timedelta(minutes=5)) == 0


def test_a_sweep_that_dies_half_way_leaves_nothing_and_the_rerun_fires_once(
    database: Database,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import jobs.alerts
    from crm_core.models import AlertRule
    from jobs.runner import run_sweep

    with database.transaction() as session:
        factory = Factory(session, now)
        alex = factory.user("alex")
        alerts.create_alert(
            session=session,
            actor=factory.actor(alex),
            metric="pipeline",
            comparator="<",
            threshold=1000,
        )

    def crash(*args: object, **kwargs: object) -> int:
        raise RuntimeError("killed between the state change and the push")

    monkeypatch.setattr(jobs.alerts, "enqueue", crash)
    with pytest.raises(RuntimeError):
        run_sweep(database, "alerts", now=now)
    with database.transaction() as session:
        assert session.query(AlertRule).one().last_state is False  # rolled back with the push
        assert outbox(session) == []
    monkeypatch.undo()
    assert run_sweep(database, "alerts", now=now) == 1
    assert run_sweep(database, "alerts", now=now + timedelta(minutes=5)) == 0
    with database.transaction() as session:
        assert len(outbox(session, "alert")) == 1


def test_the_sweeps_snapshot_agrees_with_evaluate_metric_for_every_metric_and_scope(
    session: Session, make: Factory, now: datetime
) -> None:
    from crm_core.services.metrics import evaluate_metric
    from jobs.metric_snapshot import MetricSnapshot

    east = [make.user(f"e{i}", team="east") for i in range(2)]
    west = make.user("w0", team="west")
    idle = make.user("idle", team="north")
    for i, owner in enumerate([*east, west, None]):
        customer = make.customer(f"Customer {i}", owner_id=owner.id if owner else None)
        make.deal(
            customer,
            1000 * (i + 1) + 0.25,
            owner_id=owner.id if owner else None,
            stage=["proposal", "negotiation", "qualification", "prospecting"][i],
            close_date=now.date() + timedelta(days=5 * i),
            now=now - timedelta(days=3 * i + 1),
        )
        make.won(
            make.customer(f"Won {i}", owner_id=owner.id if owner else None),
            500 * (i + 1),
            days_ago=i + 1,
            owner=owner,
        )
    snapshot = MetricSnapshot.load(session, now=now)
    scopes: list[Scope] = [{"owner_id": u.id} for u in [*east, west, idle]]
    scopes += [
        {"team": "east"},
        {"team": "West"},
        {"team": "north"},
        {"team": "nobody"},
        {},
    ]
    for metric in ("pipeline", "forecast", "won", "stale_days", "deal_amount"):
        for scope in scopes:
            expected = evaluate_metric(session, metric, now=now, **scope)
            assert snapshot.value(metric, **scope) == expected, (metric, scope)
    assert snapshot.value("pipeline") > 0 and snapshot.value("stale_days") == 10
