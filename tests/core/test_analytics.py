"""Segments, campaigns, rep performance and feedback on hand-made data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import CampaignMember, Customer
from crm_core.services import campaigns, feedback, interactions, leads, performance, segments
from tests.factories import Factory


@pytest.fixture
def book(session: Session, make: Factory, now: datetime) -> dict[str, Customer]:
    """Six customers whose RFM scores are worked out in test_segments' comments."""
    made: dict[str, Customer] = {}
    plan = {  # name: (days ago of each interaction, won amount)
        "Big": ([10, 40, 80, 120, 160, 200], 100_000),
        "Chatty": ([5, 20, 35, 50, 65, 80, 95, 110, 125, 140, 155, 170], 0),
        "Quiet": ([300, 200, 120], 50_000),
        "Gone": ([300], 0),
        "Mid": ([50, 40], 20_000),
    }
    for name, (touches, won) in plan.items():
        customer = make.customer(name)
        customer.created_at = now - timedelta(days=400)
        for days in touches:
            make.touch(customer, days)
        if won:
            make.won(customer, won, days_ago=200)
        made[name] = customer
    made["Fresh"] = make.customer("Fresh")  # created just now, never contacted
    session.flush()
    return made


def _members(session: Session, segment: str, now: datetime) -> set[str]:
    return {r.name for r in segments.segment_customers(session, segment, now=now)}


def test_segments(session: Session, book: dict[str, Customer], now: datetime) -> None:
    # monetary among payers [20k, 50k, 100k] -> M 2, 4, 5; frequency [1, 2, 3, 6, 12] -> F 1..5
    assert _members(session, "top", now) == {"Big"}
    assert _members(session, "loyal", now) == {"Big", "Chatty"}
    assert _members(session, "at_risk", now) == {"Quiet"}
    assert _members(session, "dormant", now) == {"Gone"}
    assert _members(session, "potential", now) == {"Chatty"}
    assert _members(session, "new", now) == {"Fresh"}
    rows = {r.name: r for r in segments.rfm_table(session, now=now)}
    assert (rows["Big"].m, rows["Quiet"].m, rows["Mid"].m, rows["Chatty"].m) == (5, 4, 2, 0)
    assert (rows["Gone"].f, rows["Mid"].f, rows["Chatty"].f) == (1, 2, 5)
    assert rows["Fresh"].recency_days is None and rows["Fresh"].r == 0
    with pytest.raises(ValidationError, match="segment"):
        segments.segment_customers(session, "vip", now=now)


def test_former_customers_are_not_at_risk(
    session: Session, book: dict[str, Customer], now: datetime
) -> None:
    book["Quiet"].lifecycle = "former"
    session.flush()
    assert _members(session, "at_risk", now) == set()


def test_campaign_snapshots_members(
    session: Session, make: Factory, book: dict[str, Customer], now: datetime
) -> None:
    campaign = campaigns.create_campaign(
        session=session,
        actor=make.system,
        name="Win-back",
        segment="at_risk",
        channel="phone",
        starts_at=now + timedelta(days=3),
        now=now,
        notify_channel="#sales",
    )
    members = session.scalars(
        select(CampaignMember).where(CampaignMember.campaign_id == campaign.id)
    ).all()
    assert [(m.customer_id, m.monetary, m.recency_days) for m in members] == [
        (book["Quiet"].id, Decimal("50000.00"), 120)
    ]
    # the snapshot does not move when the customer does
    make.touch(book["Quiet"], 1)
    assert campaigns.member_count(session, campaign.id) == 1
    with pytest.raises(ValidationError, match="no customers"):
        campaigns.create_campaign(
            session=session,
            actor=make.system,
            name="Nobody",
            segment="top",
            now=now + timedelta(days=1000),
        )


def test_rep_performance_leaderboard(session: Session, make: Factory, now: datetime) -> None:
    alex, dana = make.user("alex", display_name="Alex"), make.user("dana", display_name="Dana")
    acme = make.customer("Acme")
    make.won(acme, 40_000, days_ago=5, owner=alex)
    make.won(acme, 10_000, days_ago=6, owner=dana)
    make.won(acme, 15_000, days_ago=7, owner=dana)
    lost = make.deal(acme, 9_000, owner_id=alex.id, now=now - timedelta(days=9))
    from crm_core.services import deals

    deals.update_deal(
        session=session,
        actor=make.system,
        deal_id=lost.id,
        stage="lost",
        now=now - timedelta(days=8),
    )
    for _ in range(3):
        make.touch(acme, 2, user=dana)
    lead = leads.create_lead(
        session=session,
        actor=make.system,
        company="Initech",
        owner_id=alex.id,
        now=now - timedelta(days=3),
    )
    leads.create_lead(
        session=session,
        actor=make.system,
        company="Hooli",
        owner_id=alex.id,
        now=now - timedelta(days=3),
    )
    leads.convert_lead(session=session, actor=make.system, lead_id=lead.id)
    board = performance.rep_performance(session, period=(date(2026, 11, 1), date(2026, 11, 30)))
    assert [(p.name, p.won_value, p.deals_won, p.deals_lost) for p in board] == [
        ("Alex", Decimal("40000.00"), 1, 1),
        ("Dana", Decimal("25000.00"), 2, 0),
    ]
    alex_row, dana_row = board
    assert alex_row.win_rate == 0.5 and dana_row.win_rate == 1.0
    assert (dana_row.activities, alex_row.activities) == (3, 0)
    assert (alex_row.leads, alex_row.leads_converted, alex_row.conversion_rate) == (2, 1, 0.5)
    october = performance.rep_performance(session, period=(date(2026, 10, 1), date(2026, 10, 31)))
    assert all(p.won_value == 0 for p in october)


def test_feedback_routed_to_a_team(session: Session, make: Factory) -> None:
    acme = make.customer("Acme")
    item = feedback.log_feedback(
        session=session, actor=make.system, team="Product", text="wants SSO", customer_id=acme.id
    )
    assert item.team == "product"
    assert [f.id for f in feedback.list_feedback(session, team="product")] == [item.id]
    feedback.set_feedback_status(
        session=session, actor=make.system, feedback_id=item.id, status="resolved"
    )
    assert feedback.list_feedback(session, team="product", status="open") == []
    for team, text in (("!!", "x"), ("support", " ")):
        with pytest.raises(ValidationError):
            feedback.log_feedback(session=session, actor=make.system, team=team, text=text)
    _ = interactions, func
