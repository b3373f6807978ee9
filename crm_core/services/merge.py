"""Merging two customer records that are one company: every interaction, contact, deal,
lead, task, feedback and campaign membership moves to the record kept; the dropped one's
names become aliases of the kept one (so a rep typing the old name still finds it); the
kept record's empty fields are filled from the dropped one.

The audit row holds everything undo needs: the dropped record as it was (with its aliases),
the kept record's fields before and after, and the ids of every row moved or removed.
`crmbot customers merge` and the chat intent merge_customers both call this service.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import (
    CampaignMember,
    Contact,
    Customer,
    CustomerAlias,
    Deal,
    Feedback,
    Interaction,
    Lead,
    Task,
)
from crm_core.names import name_key
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.services.customers import get_customer

# Related rows, by the name the audit record gives them.
MOVED: tuple[tuple[str, Any], ...] = (
    ("interactions", Interaction),
    ("contacts", Contact),
    ("deals", Deal),
    ("leads", Lead),
    ("tasks", Task),
    ("feedback", Feedback),
)
# Fields of the kept record that the dropped one may fill when they are empty.
FILLED = ("owner_id", "region", "industry", "website", "email", "phone", "external_id")


@atomic
def merge_customers(*, session: Session, actor: Actor, keep: int, drop: int) -> Customer:
    """Fold customer `drop` into customer `keep`; returns the kept customer."""
    if keep == drop:
        raise ValidationError("cannot merge a customer into itself")
    kept = get_customer(session, keep)
    dropped = get_customer(session, drop)
    dropped_before = snapshot(dropped)
    dropped_aliases = [a.alias for a in dropped.aliases]
    kept_before = snapshot(kept)

    moved: dict[str, list[int]] = {}
    for label, model in MOVED:
        ids = list(session.scalars(select(model.id).where(model.customer_id == dropped.id)))
        if ids:
            session.execute(
                update(model).where(model.id.in_(ids)).values(customer_id=kept.id),
                execution_options={"synchronize_session": False},
            )
        moved[label] = ids

    # A campaign both were in keeps one membership (the kept record's).
    kept_campaigns = set(
        session.scalars(
            select(CampaignMember.campaign_id).where(CampaignMember.customer_id == kept.id)
        )
    )
    members = session.execute(
        select(CampaignMember.id, CampaignMember.campaign_id).where(
            CampaignMember.customer_id == dropped.id
        )
    ).all()
    removed_members = [
        snapshot(session.get_one(CampaignMember, mid))
        for mid, campaign in members
        if campaign in kept_campaigns
    ]
    moved_members = [mid for mid, campaign in members if campaign not in kept_campaigns]
    if removed_members:
        session.execute(
            delete(CampaignMember).where(CampaignMember.id.in_([m["id"] for m in removed_members])),
            execution_options={"synchronize_session": False},
        )
    if moved_members:
        session.execute(
            update(CampaignMember)
            .where(CampaignMember.id.in_(moved_members))
            .values(customer_id=kept.id),
            execution_options={"synchronize_session": False},
        )
    moved["campaign_members"] = moved_members

    known = {a.alias_key for a in kept.aliases} | {kept.name_key}
    added_aliases: list[str] = []
    for alias in [dropped.name, *dropped_aliases]:
        key = name_key(alias)
        if key and key not in known:
            kept.aliases.append(CustomerAlias(alias=alias, alias_key=key))
            known.add(key)
            added_aliases.append(alias)
    for name in FILLED:
        if getattr(kept, name) in (None, "") and getattr(dropped, name) not in (None, ""):
            value = getattr(dropped, name)
            if name == "external_id":
                dropped.external_id = None  # one external id names one record
                session.flush()
            setattr(kept, name, value)
    if kept.lifecycle == "prospect" and dropped.lifecycle != "prospect":
        kept.lifecycle = dropped.lifecycle
    session.flush()
    kept_after = snapshot(kept)
    session.expire_all()
    session.delete(session.get_one(Customer, dropped.id))
    session.flush()
    changed = {k for k in kept_after if kept_after[k] != kept_before.get(k)} - {"updated_at"}
    record(
        session,
        actor,
        "customer.merge",
        entity_type="customers",
        entity_id=kept.id,
        before={
            "dropped": dropped_before,
            "dropped_aliases": dropped_aliases,
            "kept": {k: kept_before[k] for k in changed},
        },
        after={
            "kept": {k: kept_after[k] for k in changed},
            "aliases_added": added_aliases,
            "moved": moved,
            "campaign_members_removed": removed_members,
        },
    )
    return session.get_one(Customer, kept.id)
