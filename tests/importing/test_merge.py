"""The merge service: every related row moves, the old name becomes an alias, and the audit
row holds what undo needs."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import (
    AuditEntry,
    Campaign,
    CampaignMember,
    Contact,
    Customer,
    Deal,
    Feedback,
    Interaction,
    Lead,
    Task,
)
from crm_core.services.context import Actor
from crm_core.services.customers import resolve_customer
from crm_core.services.merge import merge_customers
from tests.factories import Factory


def test_merge_moves_every_related_row(
    session: Session, make: Factory, now: datetime, system: Actor
) -> None:
    rep = make.user("kim")
    keep = make.customer("Acme Corp")
    drop = make.customer("ACME Industries", aliases=["Acme Ind"], owner_id=rep.id)
    drop.email, drop.external_id = "info@acme.example", "hs-1"
    both = Campaign(name="Q4", segment="top", starts_at=now)
    only_drop = Campaign(name="Q1", segment="top", starts_at=now)
    session.add_all([both, only_drop])
    session.flush()
    session.add_all(
        [
            Contact(customer_id=drop.id, name="Avery"),
            Lead(customer_id=drop.id, company="ACME Industries"),
            Task(text="call back", due_at=now, customer_id=drop.id),
            Feedback(customer_id=drop.id, team="support", text="slow"),
            CampaignMember(campaign_id=both.id, customer_id=keep.id),
            CampaignMember(campaign_id=both.id, customer_id=drop.id),
            CampaignMember(campaign_id=only_drop.id, customer_id=drop.id),
        ]
    )
    make.deal(drop, 1000)
    make.touch(drop, days_ago=1)
    make.touch(keep, days_ago=2)
    session.flush()
    drop_id = drop.id

    kept = merge_customers(session=session, actor=system, keep=keep.id, drop=drop_id)

    assert session.get(Customer, drop_id) is None
    for model in (Interaction, Contact, Deal, Lead, Task, Feedback):
        owners = set(session.scalars(select(model.customer_id)))
        assert owners == {kept.id}, model.__name__
    assert len(session.scalars(select(Interaction)).all()) == 2
    members = session.execute(select(CampaignMember.campaign_id, CampaignMember.customer_id)).all()
    assert sorted(members) == sorted([(both.id, kept.id), (only_drop.id, kept.id)])
    # the kept record's empty fields are filled; the old names find it
    assert (kept.owner_id, kept.email, kept.external_id) == (
        rep.id,
        "info@acme.example",
        "hs-1",
    )
    assert sorted(a.alias for a in kept.aliases) == ["ACME Industries", "Acme Ind"]
    assert resolve_customer(session, "ACME Industries").customer_id == kept.id
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "customer.merge")).one()
    assert entry.entity_id == kept.id
    assert entry.data["before"]["dropped"]["id"] == drop_id
    assert entry.data["before"]["dropped"]["name"] == "ACME Industries"
    assert entry.data["before"]["dropped_aliases"] == ["Acme Ind"]
    assert entry.data["before"]["kept"]["owner_id"] is None
    assert entry.data["after"]["kept"]["owner_id"] == rep.id
    moved = entry.data["after"]["moved"]
    assert {k: len(v) for k, v in moved.items()} == {
        "interactions": 1,
        "contacts": 1,
        "deals": 1,
        "leads": 1,
        "tasks": 1,
        "feedback": 1,
        "campaign_members": 1,
    }
    assert len(entry.data["after"]["campaign_members_removed"]) == 1


def test_merge_refuses_itself_and_unknown_ids(
    session: Session, make: Factory, system: Actor
) -> None:
    acme = make.customer("Acme")
    with pytest.raises(ValidationError):
        merge_customers(session=session, actor=system, keep=acme.id, drop=acme.id)
    with pytest.raises(Exception, match="no customer"):
        merge_customers(session=session, actor=system, keep=acme.id, drop=acme.id + 999)
    assert session.get(Customer, acme.id) is not None


def test_duplicate_pairs() -> None:
    from crm_core.importing.duplicates import pairs

    rows = [
        (1, "Initech", None, None),
        (2, "Initech Ltd", None, None),
        (3, "Initec", None, None),
        (4, "Hooli", "a@hooli.example", None),
        (5, "Hooli Search", "A@hooli.example", None),
        (6, "Soylent", None, "+1 415 555 0199"),
        (7, "Soylent Foods", None, "(415) 555-0199"),
        (8, "Globex", None, None),
    ]
    found = {(a, b): reason for a, b, _, reason in pairs(rows, region="US")}
    assert found == {
        (1, 2): "same name",
        (4, 5): "same email",
        (6, 7): "same phone",
        (1, 3): "similar name",
        (2, 3): "similar name",
    }
