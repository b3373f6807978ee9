"""Campaigns: lists as tasks and a channel summary at the start, stragglers reminded at the
later steps, results counted from logged interactions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.models import CampaignMember, Task
from crm_core.services import campaigns, interactions
from jobs.campaigns import sweep_campaigns
from jobs.reminders import sweep_due_tasks
from tests.factories import Factory
from tests.jobs.helpers import outbox


def test_a_campaign_from_start_to_results(session: Session, make: Factory, now: datetime) -> None:
    alex = make.user("alex", display_name="Alex")
    dana = make.user("dana", display_name="Dana")
    boss = make.user("boss", role="manager")
    customers = {}
    for name, owner in (("Acme Corp", alex), ("Globex", alex), ("Initech", dana)):
        customers[name] = make.customer(name, owner_id=owner.id)
        make.touch(customers[name], days_ago=5)
    start = now + timedelta(hours=1)
    campaign = campaigns.create_campaign(
        session=session,
        actor=make.actor(boss),
        name="Winter check-in",
        segment="potential",
        channel="phone",
        starts_at=start,
        notify_channel="#sales",
        now=now,
    )
    assert sweep_campaigns(session, now=now) == 0  # not yet
    assert sweep_campaigns(session, now=start) == 3  # two owners' lists + the summary
    assert sweep_campaigns(session, now=start + timedelta(minutes=5)) == 0
    assert campaign.status == "running"
    rows = {r.target: r for r in outbox(session, "campaign")}
    assert rows[f"user:{alex.id}"].payload["text"] == (
        'Campaign "Winter check-in" starts: call 2 customers by Wed 25 Nov. They are in your tasks.'
    )
    assert "- Acme Corp\n- Globex" in rows[f"user:{alex.id}"].payload["sections"][0]["text"]
    summary = rows["channel:#sales"].payload
    assert summary["text"] == (
        'Campaign "Winter check-in" (potential, by phone) started: 3 customers for 2 owners.'
    )
    assert summary["sections"][0]["rows"] == [["Owner", "Customers"], ["Alex", "2"], ["Dana", "1"]]
    tasks = list(session.scalars(select(Task).where(Task.campaign_id == campaign.id)))
    assert sorted(t.text for t in tasks) == [
        "Call Acme Corp (Winter check-in)",
        "Call Globex (Winter check-in)",
        "Call Initech (Winter check-in)",
    ]
    # Campaign tasks are the campaign job's business: no ping per customer when they fall due.
    assert sweep_due_tasks(session, now=start + timedelta(days=2)) == 0

    # Alex calls Acme; Initech books a meeting with Dana.
    interactions.log_interaction(
        session=session,
        actor=make.actor(alex),
        customer_id=customers["Acme Corp"].id,
        kind="call",
        occurred_at=start + timedelta(days=1),
        now=start + timedelta(days=1),
    )
    interactions.log_interaction(
        session=session,
        actor=make.actor(dana),
        customer_id=customers["Initech"].id,
        kind="meeting",
        occurred_at=start + timedelta(days=1, hours=2),
        now=start + timedelta(days=1, hours=2),
    )
    step1 = start + timedelta(days=2)
    assert sweep_campaigns(session, now=step1 - timedelta(minutes=1)) == 0
    assert sweep_campaigns(session, now=step1) == 1  # only Alex has a straggler (Globex)
    straggler = outbox(session, "campaign")[-1]
    assert straggler.target == f"user:{alex.id}"
    assert straggler.payload["text"] == 'Campaign "Winter check-in": 1 customer still to call.'
    assert straggler.payload["sections"][0]["text"] == "- Globex"
    done = {
        t.text: t.status
        for t in session.scalars(
            select(Task)
            .where(Task.campaign_id == campaign.id)
            .execution_options(populate_existing=True)
        )
    }
    assert done["Call Acme Corp (Winter check-in)"] == "done"
    assert done["Call Globex (Winter check-in)"] == "open"

    end = start + timedelta(days=7)
    assert sweep_campaigns(session, now=end) == 2  # step 2 for Alex, then the results
    results = outbox(session, "campaign")[-1]
    assert results.target == "channel:#sales"
    assert results.payload["text"] == (
        'Campaign "Winter check-in" results: contacted 2 of 3 (67%), responded 1 (33%).'
    )
    assert campaign.status == "done"
    members = {
        m.customer_id: m
        for m in session.scalars(
            select(CampaignMember)
            .where(CampaignMember.campaign_id == campaign.id)
            .execution_options(populate_existing=True)
        )
    }
    assert members[customers["Initech"].id].responded_at is not None
    assert members[customers["Acme Corp"].id].responded_at is None
    assert sweep_campaigns(session, now=end + timedelta(days=1)) == 0
