"""Follow-up nudges: deals idle N days and leads not contacted M days after assignment, with
N and M per team, once per quiet spell."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crm_core.services import interactions, leads
from jobs.nudges import sweep_stale_deals, sweep_uncontacted_leads
from jobs.team_config import set_team_config
from tests.factories import Factory
from tests.jobs.helpers import outbox


def test_a_deal_idle_for_n_days_is_nudged_once_per_quiet_spell(
    session: Session, make: Factory, now: datetime
) -> None:
    alex = make.user("alex", team="east")
    acme = make.customer("Acme Corp", owner_id=alex.id)
    deal = make.deal(acme, 12000, owner_id=alex.id, stage="proposal", now=now - timedelta(days=14))
    # Default N = 14: due exactly now.
    assert sweep_stale_deals(session, now=now - timedelta(minutes=1)) == 0
    assert sweep_stale_deals(session, now=now) == 1
    assert sweep_stale_deals(session, now=now + timedelta(days=1)) == 0
    [row] = outbox(session, "stale_deal")
    assert row.target == f"user:{alex.id}"
    assert row.payload["text"] == (
        "Acme Corp deal ($12,000, proposal) has had no activity for 14 days. Time to follow up?"
    )
    assert row.payload["buttons"][0]["action"] == "log_call"
    assert row.payload["buttons"][0]["value"] == str(acme.id)
    # Activity starts a new spell: 14 days after the call, a second nudge.
    interactions.log_interaction(
        session=session,
        actor=make.actor(alex),
        customer_id=acme.id,
        kind="call",
        occurred_at=now + timedelta(days=2),
        now=now + timedelta(days=2),
    )
    assert sweep_stale_deals(session, now=now + timedelta(days=15)) == 0
    assert sweep_stale_deals(session, now=now + timedelta(days=16)) == 1
    assert len(outbox(session, "stale_deal")) == 2
    assert deal.id  # the deal itself is untouched by the sweep


def test_n_is_per_team_and_closed_deals_are_left_alone(
    session: Session, make: Factory, now: datetime
) -> None:
    east, west = make.user("east1", team="east"), make.user("west1", team="west")
    set_team_config(session, "west", stale_deal_days=5)
    for user in (east, west):
        customer = make.customer(f"Customer of {user.name}", owner_id=user.id)
        make.deal(customer, 1000, owner_id=user.id, now=now - timedelta(days=6))
    won = make.won(make.customer("Won Inc", owner_id=west.id), 5000, days_ago=6, owner=west)
    assert sweep_stale_deals(session, now=now) == 1
    [row] = outbox(session, "stale_deal")
    assert row.target == f"user:{west.id}" and "6 days" in row.payload["text"]
    assert str(won.id) not in row.idempotency_key


def test_a_lead_not_contacted_within_m_days_is_nudged(
    session: Session, make: Factory, now: datetime
) -> None:
    alex = make.user("alex", team="east")
    set_team_config(session, "east", lead_contact_days=3)
    lead = leads.create_lead(
        session=session,
        actor=make.system,
        contact_name="Jane Roe",
        company="Initech",
        phone="+1 555 0100",
        owner_id=alex.id,
        now=now - timedelta(days=3),
    )
    contacted = leads.create_lead(
        session=session,
        actor=make.system,
        contact_name="Joe Bloggs",
        owner_id=alex.id,
        now=now - timedelta(days=3),
    )
    leads.set_lead_status(
        session=session,
        actor=make.system,
        lead_id=contacted.id,
        status="contacted",
        now=now - timedelta(days=1),
    )
    leads.create_lead(session=session, actor=make.system, contact_name="Nobody's", now=now)
    assert sweep_uncontacted_leads(session, now=now - timedelta(hours=1)) == 0
    assert sweep_uncontacted_leads(session, now=now) == 1
    assert sweep_uncontacted_leads(session, now=now + timedelta(hours=5)) == 0
    [row] = outbox(session, "lead_nudge")
    assert row.target == f"user:{alex.id}"
    assert row.idempotency_key == f"lead_nudge:lead-{lead.id}:2026-11-23T10:00:00Z"
    assert row.payload["text"] == (
        "Lead Jane Roe (Initech) was assigned to you 3 days ago and is not contacted yet."
    )
