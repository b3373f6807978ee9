from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import AuditEntry, Deal, DealStageChange, User
from crm_core.services import deals, reports
from tests.factories import DealFields, Factory

Q4 = (date(2026, 10, 1), date(2026, 12, 31))


class DealArgs(DealFields):
    """Everything make.deal takes after the customer: the amount and the optional fields."""

    amount: object


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"amount": -5}, "negative"),
        ({"amount": "lots"}, "not a number"),
        ({"amount": 10, "probability": 1.5}, "between 0 and 1"),
        ({"amount": 10, "stage": "closing"}, "unknown stage"),
        ({"amount": 10, "currency": "XYZ"}, "currency"),
        ({"amount": 10, "name": "n" * 300}, "longer than"),
    ],
)
def test_invalid_deals_are_refused_and_nothing_written(
    session: Session, make: Factory, kwargs: DealArgs, message: str
) -> None:
    acme = make.customer("Acme")
    audits = session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(ValidationError, match=message):
        make.deal(acme, **kwargs)
    assert session.scalar(select(func.count(Deal.id))) == 0
    assert session.scalar(select(func.count(DealStageChange.id))) == 0
    assert session.scalar(select(func.count(AuditEntry.id))) == audits


def test_stage_changes_are_recorded_and_won_closes(
    session: Session, make: Factory, now: datetime
) -> None:
    acme = make.customer("Acme")
    deal = make.deal(acme, 25_000, close_date=date(2026, 12, 15))
    deals.update_deal(
        session=session, actor=make.system, deal_id=deal.id, stage="negotiation", now=now
    )
    deals.update_deal(
        session=session,
        actor=make.system,
        deal_id=deal.id,
        stage="won",
        now=now + timedelta(days=1),
    )
    assert deal.stage == "won" and deal.closed_at == now + timedelta(days=1)
    assert deal.close_date == (now + timedelta(days=1)).date()
    assert [(h.from_stage, h.to_stage) for h in deal.history] == [
        (None, "prospecting"),
        ("prospecting", "negotiation"),
        ("negotiation", "won"),
    ]
    deals.update_deal(
        session=session,
        actor=make.system,
        deal_id=deal.id,
        stage="proposal",
        now=now + timedelta(days=2),
    )
    assert deal.closed_at is None  # reopened
    with pytest.raises(ValidationError, match="nothing to change"):
        deals.update_deal(session=session, actor=make.system, deal_id=deal.id, stage="proposal")


def _forecast_book(
    session: Session, make: Factory, now: datetime
) -> tuple[User, tuple[Deal, Deal, Deal, Deal, Deal, Deal]]:
    """Deals with a hand-computable forecast for Q4 2026 (now = 23 Nov 2026)."""
    acme = make.customer("Acme")
    rep = make.user("alex", display_name="Alex")
    # Closed long ago: prospecting's historical win rate comes from these (and E, F below).
    for i, outcome in enumerate(["won", "lost", "won", "lost"]):
        d = make.deal(acme, 1000, now=now - timedelta(days=300))
        if i == 2:
            deals.update_deal(
                session=session,
                actor=make.system,
                deal_id=d.id,
                stage="qualification",
                now=now - timedelta(days=250),
            )
        deals.update_deal(
            session=session,
            actor=make.system,
            deal_id=d.id,
            stage=outcome,
            now=now - timedelta(days=200),
        )
    a = make.deal(
        acme, 100_000, stage="negotiation", close_date=date(2026, 12, 15), owner_id=rep.id
    )
    b = make.deal(
        acme,
        50_000,
        stage="proposal",
        probability="0.9",
        close_date=date(2026, 11, 30),
        owner_id=rep.id,
    )
    c = make.deal(acme, 20_000, close_date=date(2026, 10, 20))  # prospecting, no owner
    e = make.deal(acme, 30_000, owner_id=rep.id, now=now - timedelta(days=20))
    deals.update_deal(
        session=session, actor=make.system, deal_id=e.id, stage="won", now=now - timedelta(days=10)
    )
    f = make.deal(acme, 40_000, now=now - timedelta(days=20))
    deals.update_deal(
        session=session, actor=make.system, deal_id=f.id, stage="lost", now=now - timedelta(days=10)
    )
    g = make.deal(acme, 80_000, stage="negotiation", close_date=date(2027, 2, 1))
    return rep, (a, b, c, e, f, g)


def test_forecast_arithmetic(session: Session, make: Factory, now: datetime) -> None:
    rep, _ = _forecast_book(session, make, now)
    fc = reports.forecast(session, period=Q4)
    # A: 100k x 0.7 (stage default) + B: 50k x 0.9 (deal's own) + C: 20k x 0.5 (prospecting's
    # historical win rate: 3 of 6 closed deals that passed through it were won) + E: 30k won.
    assert fc.weighted == Decimal("155000.00")
    assert fc.won == Decimal("30000.00")
    assert fc.open_amount == Decimal("170000.00")
    assert fc.open_weighted == Decimal("125000.00")
    assert fc.deals == 4
    mine = reports.forecast(session, period=Q4, owner_ids=[rep.id])
    assert mine.weighted == Decimal("145000.00")  # A + B + E
    assert [(o.owner, o.weighted) for o in fc.by_owner] == [
        ("Alex", Decimal("145000.00")),
        ("(unassigned)", Decimal("10000.00")),
    ]
    with pytest.raises(ValidationError, match="ends before"):
        reports.forecast(session, period=(Q4[1], Q4[0]))


def test_pipeline_report_groups(session: Session, make: Factory, now: datetime) -> None:
    _forecast_book(session, make, now)
    by_stage = reports.pipeline_report(session, group_by="stage")
    assert [(r.key, r.count, r.amount, r.weighted) for r in by_stage.rows] == [
        ("prospecting", 1, Decimal("20000.00"), Decimal("10000.00")),
        ("proposal", 1, Decimal("50000.00"), Decimal("45000.00")),
        ("negotiation", 2, Decimal("180000.00"), Decimal("126000.00")),
    ]
    assert by_stage.amount == Decimal("250000.00") and by_stage.count == 4
    in_q4 = reports.pipeline_report(session, group_by="month", period=Q4)
    assert [(r.key, r.amount) for r in in_q4.rows] == [
        ("2026-10", Decimal("20000.00")),
        ("2026-11", Decimal("50000.00")),
        ("2026-12", Decimal("100000.00")),
    ]
    by_owner = reports.pipeline_report(session, group_by="owner")
    assert {r.key: r.amount for r in by_owner.rows} == {
        "Alex": Decimal("150000.00"),
        "(unassigned)": Decimal("100000.00"),
    }
    with pytest.raises(ValidationError):
        reports.pipeline_report(session, group_by="colour")


def test_pipeline_by_region(session: Session, make: Factory) -> None:
    make.deal(make.customer("Berlin", region="EMEA"), 10)
    make.deal(make.customer("Tokyo", region="APAC"), 30)
    make.deal(make.customer("Nowhere"), 5)
    report = reports.pipeline_report(session, group_by="region")
    assert [(r.key, r.amount) for r in report.rows] == [
        ("APAC", Decimal("30.00")),
        ("EMEA", Decimal("10.00")),
        ("(none)", Decimal("5.00")),
    ]


def test_win_rates_follow_new_history_within_the_transaction(
    session: Session, make: Factory, now: datetime
) -> None:
    from crm_core.services import probability

    acme = make.customer("Acme")
    open_deal = make.deal(acme, 10_000, close_date=date(2026, 12, 1))  # prospecting, no default
    assert reports.forecast(session, period=Q4).weighted == 0  # no history: rate 0
    closed = make.deal(acme, 1, now=now - timedelta(days=300))
    deals.update_deal(
        session=session,
        actor=make.system,
        deal_id=closed.id,
        stage="won",
        now=now - timedelta(days=200),
    )
    assert probability.historical_win_rates(session)["prospecting"] == 1.0
    assert reports.forecast(session, period=Q4).weighted == Decimal("10000.00")
    assert open_deal.stage == "prospecting"
