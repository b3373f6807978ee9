"""A merge is undone from its own audit row: everything goes back where it was."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.models import AuditEntry, Contact, Customer, CustomerAlias, Deal, Interaction
from crm_core.services import customers
from crm_core.services.merge import merge_customers
from crm_core.services.unmerge import undo_merge
from tests.factories import Factory


def _count(
    session: Session, model: type[Interaction] | type[Deal] | type[Contact], cid: int
) -> int:
    return session.scalar(select(func.count(model.id)).where(model.customer_id == cid)) or 0


def test_undo_puts_every_row_and_name_back(session: Session, make: Factory) -> None:
    keep = make.customer("Northwind Traders")
    dup = make.customer("North Wind Trading", aliases=["NWT"])
    dup_id = dup.id
    customers.add_contact(session=session, actor=make.system, customer_id=dup.id, name="Priya Shah")
    make.touch(dup, days_ago=2)
    make.touch(keep, days_ago=1)
    make.deal(dup, 1000)
    merge_customers(session=session, actor=make.system, keep=keep.id, drop=dup.id)
    assert session.get(Customer, dup_id) is None
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "customer.merge")).one()

    back = undo_merge(session=session, actor=make.system, entry=entry)

    assert back.id == dup_id and back.name == "North Wind Trading"
    assert _count(session, Interaction, dup_id) == 1 and _count(session, Interaction, keep.id) == 1
    assert _count(session, Deal, dup_id) == 1 and _count(session, Deal, keep.id) == 0
    assert _count(session, Contact, dup_id) == 1
    aliases = dict(session.execute(select(CustomerAlias.alias, CustomerAlias.customer_id)).all())
    assert aliases == {"NWT": dup_id}
    assert customers.resolve_customer(session, "north wind trading").customer_id == dup_id
    assert customers.resolve_customer(session, "northwind traders").customer_id == keep.id
    assert session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "customer.unmerge")
    ).one()
