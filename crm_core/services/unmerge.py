"""Undoing a merge of two customer records, from the merge's own audit row.

`merge.merge_customers` records the dropped record as it was (with its aliases), the kept
record's changed fields, and the ids of every row it moved or removed; this puts all of it
back: the dropped customer returns with its id, its rows move back to it, the aliases the
merge added to the kept record go, and the kept record's fields are as they were.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import AuditEntry, CampaignMember, Customer, CustomerAlias
from crm_core.names import name_key
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, restore
from crm_core.services.context import Actor
from crm_core.services.customers import get_customer
from crm_core.services.merge import MOVED


@atomic
def undo_merge(*, session: Session, actor: Actor, entry: AuditEntry) -> Customer:
    """Reverse the merge recorded in `entry`; returns the customer brought back."""
    if entry.action != "customer.merge":
        raise ValidationError(f"audit entry #{entry.id} is not a merge")
    before: dict[str, Any] = entry.data.get("before") or {}
    after: dict[str, Any] = entry.data.get("after") or {}
    dropped_values = restore(Customer, before.get("dropped") or {})
    if "id" not in dropped_values:
        raise ValidationError(f"audit entry #{entry.id} does not hold the merged record")
    kept = get_customer(session, int(entry.entity_id or 0))
    # The kept record first gives back what the merge filled in (an external id may move).
    for field, value in restore(Customer, before.get("kept") or {}).items():
        setattr(kept, field, value)
    added = {name_key(a) for a in after.get("aliases_added") or []}
    session.execute(
        delete(CustomerAlias).where(
            CustomerAlias.customer_id == kept.id, CustomerAlias.alias_key.in_(added)
        )
    )
    session.flush()
    dropped = Customer(**dropped_values)
    session.add(dropped)
    session.flush()
    for alias in before.get("dropped_aliases") or []:
        session.add(CustomerAlias(customer_id=dropped.id, alias=alias, alias_key=name_key(alias)))
    moved: dict[str, list[int]] = after.get("moved") or {}
    for label, model in (*MOVED, ("campaign_members", CampaignMember)):
        ids = moved.get(label) or []
        if ids:
            session.execute(
                update(model).where(model.id.in_(ids)).values(customer_id=dropped.id),
                execution_options={"synchronize_session": False},
            )
    for member in after.get("campaign_members_removed") or []:
        session.add(CampaignMember(**restore(CampaignMember, member)))
    session.flush()
    session.expire_all()
    record(
        session,
        actor,
        "customer.unmerge",
        entity_type="customers",
        entity_id=dropped.id,
        before={"merge_entry": entry.id},
        after={"restored": dropped.id, "kept": kept.id},
    )
    return get_customer(session, dropped.id)
