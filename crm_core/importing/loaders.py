"""One loader per kind: a row's cells (by field name) in, one record created, updated,
merged or skipped out. Each raises RowError for a bad cell; the runner runs rows under
savepoints (blocks of rows, replayed one row per savepoint when a row fails after writing),
so a row is written whole or not at all.

The rules every loader follows:
- a row whose external_id is known updates that record, and only the cells it fills: the
  same file imported twice changes nothing, and an empty cell never erases a value;
- otherwise a likely duplicate (same email / phone / name, close name) is merged into the
  existing record (its empty fields filled), skipped, or created anyway, per --on-duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, func, or_, select

from crm_core.importing.context import ImportContext, Row, RowError, table_of
from crm_core.importing.duplicates import DuplicateIndex
from crm_core.models import (
    Contact,
    Customer,
    CustomerAlias,
    Deal,
    DealStageChange,
    Interaction,
    Lead,
    User,
)
from crm_core.models.enums import (
    CLOSED_STAGES,
    InteractionKind,
    LeadStatus,
    Lifecycle,
    Role,
    Stage,
)
from crm_core.names import name_key
from crm_core.services.deals import CURRENCY_CODES


@dataclass(frozen=True)
class Outcome:
    status: str  # created | updated | merged | unchanged | skipped
    record_id: int | None = None


def _differences(before: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and before.get(k) != v}


def _fill_empty(before: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and before.get(k) in (None, "")}


def _row(ctx: ImportContext, table: Table, record_id: int) -> dict[str, Any]:
    found = ctx.session.connection().execute(select(table).where(table.c.id == record_id)).one()
    return dict(found._mapping)


def _by_external(
    ctx: ImportContext, table: Table, external_id: str | None
) -> dict[str, Any] | None:
    if not external_id:
        return None
    if not ctx.had_rows(table):
        seen = ctx.seen_external.get((table.name, external_id))
        return _row(ctx, table, seen) if seen is not None else None
    found = (
        ctx.session.connection()
        .execute(select(table).where(table.c.external_id == external_id).limit(1))
        .first()
    )
    return dict(found._mapping) if found is not None else None


def _apply(
    ctx: ImportContext,
    table: Table,
    entity: str,
    before: dict[str, Any],
    changes: dict[str, Any],
    status: str,
) -> Outcome:
    if not changes:
        return Outcome("unchanged", before["id"])
    ctx.update(
        table, before["id"], before, changes, action=f"{entity}.import", entity_type=table.name
    )
    return Outcome(status, before["id"])


def _on_duplicate(
    ctx: ImportContext,
    table: Table,
    entity: str,
    existing_id: int,
    reason: str,
    values: dict[str, Any],
    create: Callable[[], Outcome],
) -> Outcome:
    mode = ctx.options.on_duplicate
    if mode == "skip":
        ctx.duplicate(existing_id, reason, "skipped")
        return Outcome("skipped", existing_id)
    if mode == "new":
        outcome = create()
        ctx.duplicate(existing_id, reason, f"created anyway as {outcome.record_id}")
        return outcome
    before = _row(ctx, table, existing_id)
    outcome = _apply(ctx, table, entity, before, _fill_empty(before, values), "merged")
    ctx.duplicate(existing_id, reason, "merged" if outcome.status == "merged" else "unchanged")
    return outcome


# ---- users -------------------------------------------------------------------------------
def load_user(ctx: ImportContext, row: Row) -> Outcome:
    table = table_of(User)
    email = ctx.email(row)
    display = ctx.person_name(row, "display_name")
    name = ctx.text(row, "name", 80)
    if not name:
        base = (email.split("@")[0] if email else display) or ""
        name = "".join(ch if ch.isalnum() else "." for ch in base.lower()).strip(".") or None
    if not name:
        raise RowError("name", "", "a user needs a name, a display name or an email")
    name = name.lower()
    values: dict[str, Any] = {
        "display_name": display,
        "email": email,
        "role": ctx.choice(row, "role", Role),
        "team": (ctx.text(row, "team", 60) or "").lower() or None,
        "region": ctx.text(row, "region", 60),
    }
    existing = ctx.session.connection().execute(select(table).where(table.c.name == name)).first()
    if existing is None and email:
        existing = (
            ctx.session.connection().execute(select(table).where(table.c.email == email)).first()
        )
    if existing is not None:
        before = dict(existing._mapping)
        return _apply(ctx, table, "user", before, _differences(before, values), "updated")
    values.update(
        name=name,
        display_name=display or name,
        role=values["role"] or "rep",
        capacity=50,
        active=True,
        created_at=ctx.options.now,
    )
    uid = ctx.insert(table, values, action="user.create", entity_type="users")
    ctx.remember_user(uid, name, values["display_name"], email)
    return Outcome("created", uid)


# ---- customers ---------------------------------------------------------------------------
def customer_index(ctx: ImportContext) -> DuplicateIndex:
    if ctx.customer_index is None:
        index = DuplicateIndex(region=ctx.options.phone_region)
        rows = ctx.session.execute(
            select(Customer.id, Customer.name, Customer.email, Customer.phone)
        )
        for cid, name, email, phone in rows:
            index.add(cid, name=name, email=email, phone=phone)
        ctx.customer_index = index
    return ctx.customer_index


def load_customer(ctx: ImportContext, row: Row) -> Outcome:
    table = table_of(Customer)
    name = ctx.text(row, "name")
    if not name:
        raise RowError("name", "", "a customer needs a name")
    if not name_key(name):
        raise RowError("name", name, "a customer name needs letters or digits")
    aliases = [a.strip() for a in (row.get("aliases") or "").replace("|", ";").split(";")]
    aliases = [a for a in aliases if a]
    values: dict[str, Any] = {
        "industry": ctx.text(row, "industry", 80),
        "region": ctx.text(row, "region", 60),
        "owner_id": ctx.user_ref(row, "owner"),
        "lifecycle": ctx.choice(row, "lifecycle", Lifecycle),
        "email": ctx.email(row),
        "phone": ctx.phone(row),
        "website": ctx.text(row, "website"),
        "external_id": ctx.text(row, "external_id", 120),
    }
    created_at = ctx.datetime(row, "created_at")
    if created_at is not None:
        values["created_at"] = created_at
    known = _by_external(ctx, table, values["external_id"])
    index = customer_index(ctx)
    if known is not None:
        if name != known["name"]:
            values.update(name=name, name_key=name_key(name))
        outcome = _apply(ctx, table, "customer", known, _differences(known, values), "updated")
        _add_aliases(ctx, known["id"], aliases)
        return outcome

    def create() -> Outcome:
        row_values = {k: v for k, v in values.items() if v is not None}
        cid = ctx.create_customer(name, **row_values)
        _add_aliases(ctx, cid, aliases)
        return Outcome("created", cid)

    match = index.find(name=name, email=values["email"], phone=values["phone"])
    if match is None:
        return create()
    outcome = _on_duplicate(ctx, table, "customer", match.id, match.reason, values, create)
    if outcome.status in ("merged", "unchanged") and ctx.options.on_duplicate == "merge":
        if _add_aliases(ctx, match.id, [name, *aliases]) and outcome.status == "unchanged":
            outcome = Outcome("merged", match.id)
    return outcome


def _add_aliases(ctx: ImportContext, customer_id: int, aliases: list[str]) -> int:
    """Names the customer is not yet known by become aliases; returns how many."""
    if not aliases:
        return 0
    conn = ctx.session.connection()
    own = conn.execute(select(Customer.name_key).where(Customer.id == customer_id)).scalar_one()
    taken = set(
        conn.execute(
            select(CustomerAlias.alias_key).where(CustomerAlias.customer_id == customer_id)
        ).scalars()
    )
    added = 0
    for alias in aliases:
        key = name_key(alias) if alias else ""
        if not key or key == own or key in taken:
            continue
        if len(alias) > 200:
            raise RowError("aliases", alias, "an alias is longer than 200 characters")
        ctx.insert(
            table_of(CustomerAlias),
            {"customer_id": customer_id, "alias": alias, "alias_key": key},
            action="customer.alias",
            entity_type="customer_aliases",
        )
        taken.add(key)
        added += 1
        ctx.customer_keys().setdefault(key, customer_id)
    return added


# ---- contacts ----------------------------------------------------------------------------
def load_contact(ctx: ImportContext, row: Row) -> Outcome:
    table = table_of(Contact)
    name = ctx.person_name(row, "name")
    if not name:
        raise RowError("name", "", "a contact needs a name")
    values: dict[str, Any] = {
        "name": name,
        "title": ctx.text(row, "title", 120),
        "email": ctx.email(row),
        "phone": ctx.phone(row),
        "external_id": ctx.text(row, "external_id", 120),
    }
    customer_id = ctx.customer_ref(row, "customer")
    known = _by_external(ctx, table, values["external_id"])
    if known is not None:
        if customer_id is not None:
            values["customer_id"] = customer_id
        return _apply(ctx, table, "contact", known, _differences(known, values), "updated")
    if customer_id is None:
        raise RowError("customer", "", "a contact needs the customer they work at")
    conn = ctx.session.connection()
    email_key = (values["email"] or "").lower()
    # Same name at the same customer is the same person unless their emails say otherwise.
    same_name = and_(table.c.customer_id == customer_id, table.c.name == name)
    if values["email"]:
        same_name = and_(
            same_name, or_(table.c.email.is_(None), func.lower(table.c.email) == email_key)
        )
    clauses = [same_name]
    if values["email"]:
        clauses.append(func.lower(table.c.email) == email_key)
    existing = None
    reason = ""
    for clause, why in zip(clauses, ("same name at this customer", "same email"), strict=False):
        existing = conn.execute(select(table.c.id).where(clause).limit(1)).scalar()
        if existing is not None:
            reason = why
            break

    def create() -> Outcome:
        row_values = {k: v for k, v in values.items() if v is not None}
        row_values.update(customer_id=customer_id, created_at=ctx.options.now)
        return Outcome(
            "created",
            ctx.insert(table, row_values, action="contact.create", entity_type="contacts"),
        )

    if existing is None:
        return create()
    return _on_duplicate(ctx, table, "contact", existing, reason, values, create)


# ---- leads -------------------------------------------------------------------------------
def load_lead(ctx: ImportContext, row: Row) -> Outcome:
    table = table_of(Lead)
    company = ctx.text(row, "company")
    values: dict[str, Any] = {
        "contact_name": ctx.person_name(row, "contact"),
        "company": company,
        "company_key": name_key(company) if company else None,
        "email": ctx.email(row),
        "phone": ctx.phone(row),
        "source": ctx.text(row, "source", 60),
        "status": ctx.choice(row, "status", LeadStatus),
        "owner_id": ctx.user_ref(row, "owner"),
        "region": ctx.text(row, "region", 60),
        "external_id": ctx.text(row, "external_id", 120),
    }
    if not (values["contact_name"] or company or values["email"] or values["phone"]):
        raise RowError("contact", "", "a lead needs a name, a company, an email or a phone")
    created_at = ctx.datetime(row, "created_at")
    if created_at is not None:
        values["created_at"] = created_at
    known = _by_external(ctx, table, values["external_id"])
    if known is not None:
        return _apply(ctx, table, "lead", known, _differences(known, values), "updated")
    conn = ctx.session.connection()
    existing, reason = None, ""
    if values["email"]:
        existing = conn.execute(
            select(table.c.id).where(func.lower(table.c.email) == values["email"].lower()).limit(1)
        ).scalar()
        reason = "same email"
    if existing is None and values["phone"]:
        existing = conn.execute(
            select(table.c.id).where(table.c.phone == values["phone"]).limit(1)
        ).scalar()
        reason = "same phone"

    def create() -> Outcome:
        row_values = {k: v for k, v in values.items() if v is not None}
        row_values.setdefault("status", LeadStatus.NEW.value)
        row_values.setdefault("created_at", ctx.options.now)
        if row_values.get("owner_id"):
            row_values["assigned_at"] = row_values["created_at"]
        return Outcome(
            "created", ctx.insert(table, row_values, action="lead.create", entity_type="leads")
        )

    if existing is None:
        return create()
    return _on_duplicate(ctx, table, "lead", existing, reason, values, create)


# ---- deals -------------------------------------------------------------------------------
def load_deal(ctx: ImportContext, row: Row) -> Outcome:
    table = table_of(Deal)
    parsed = ctx.amount(row, "amount")
    currency_cell = ctx.text(row, "currency", 10)
    currency = (currency_cell or (parsed[1] if parsed else None) or "").upper() or None
    if currency is not None and currency not in CURRENCY_CODES:
        raise RowError("currency", currency_cell or row.get("amount", ""), "unknown currency")
    stage = ctx.choice(row, "stage", Stage)
    close_date = ctx.date(row, "close_date")
    closed_at = ctx.datetime(row, "closed_at")
    values: dict[str, Any] = {
        "name": ctx.text(row, "name"),
        "amount": parsed[0] if parsed else None,
        "currency": currency,
        "stage": stage,
        "probability": ctx.probability(row, "probability"),
        "close_date": close_date,
        "owner_id": ctx.user_ref(row, "owner"),
        "closed_at": closed_at,
        "reason": ctx.text(row, "reason"),
        "external_id": ctx.text(row, "external_id", 120),
    }
    created_at = ctx.datetime(row, "created_at")
    known = _by_external(ctx, table, values["external_id"])
    customer_cell = row.get("customer", "").strip()
    if known is None and not customer_cell:
        raise RowError("customer", "", "a deal needs a customer")
    customer_id = ctx.customer_ref(row, "customer", create=True) if customer_cell else None
    if known is not None:
        if customer_id is not None:
            values["customer_id"] = customer_id
        changes = _differences(known, values)
        outcome = _apply(ctx, table, "deal", known, changes, "updated")
        if "stage" in changes:
            _stage_change(ctx, known["id"], known["stage"], changes["stage"])
        return outcome
    if values["amount"] is None:
        raise RowError("amount", "", "a deal needs an amount")
    assert customer_id is not None
    name = values["name"] or f"{customer_cell} deal"
    # Only a deal the row names can be a duplicate: many deals are called "<Customer> deal".
    existing = (
        ctx.session.connection()
        .execute(
            select(table.c.id)
            .where(table.c.customer_id == customer_id, table.c.name == name)
            .limit(1)
        )
        .scalar()
        if values["name"]
        else None
    )

    def create() -> Outcome:
        now = ctx.options.now
        row_values = {k: v for k, v in values.items() if v is not None}
        row_values.update(customer_id=customer_id, name=name)
        row_values.setdefault("currency", "USD")
        row_values.setdefault("stage", Stage.PROSPECTING.value)
        row_values["created_at"] = created_at or now
        row_values["updated_at"] = now
        row_values["last_activity_at"] = created_at or now
        if row_values["stage"] in CLOSED_STAGES and "closed_at" not in row_values:
            row_values["closed_at"] = now
        deal_id = ctx.insert(table, row_values, action="deal.create", entity_type="deals")
        _stage_change(ctx, deal_id, None, row_values["stage"], created_at or now)
        return Outcome("created", deal_id)

    if existing is None:
        return create()
    return _on_duplicate(ctx, table, "deal", existing, "same name at this customer", values, create)


def _stage_change(
    ctx: ImportContext, deal_id: int, from_stage: str | None, to_stage: str, at: Any = None
) -> None:
    ctx.write(
        table_of(DealStageChange).insert(),
        {
            "deal_id": deal_id,
            "from_stage": from_stage,
            "to_stage": to_stage,
            "changed_at": at or ctx.options.now,
            "changed_by": ctx.actor.user_id,
        },
    )


# ---- interactions ------------------------------------------------------------------------
def load_interaction(ctx: ImportContext, row: Row) -> Outcome:
    table = table_of(Interaction)
    values: dict[str, Any] = {
        "kind": ctx.choice(row, "kind", InteractionKind),
        "summary": ctx.long_text(row, "summary"),
        "occurred_at": ctx.datetime(row, "occurred_at"),
        "user_id": ctx.user_ref(row, "user"),
        "external_id": ctx.text(row, "external_id", 120),
    }
    if values["occurred_at"] is not None and values["occurred_at"] > ctx.options.now:
        raise RowError("occurred_at", row["occurred_at"], "an interaction cannot be in the future")
    customer_id = ctx.customer_ref(row, "customer")
    contact = ctx.text(row, "contact", 120)
    contacts = _contact_ids(ctx, customer_id, contact) if contact and customer_id else []
    if contacts:
        values["contact_id"] = contacts[0]
    known = _by_external(ctx, table, values["external_id"])
    if known is not None:
        if known["contact_id"] in contacts:  # two contacts of one name: keep the one it has
            values["contact_id"] = known["contact_id"]
        if customer_id is not None:
            values["customer_id"] = customer_id
        return _apply(ctx, table, "interaction", known, _differences(known, values), "updated")
    if customer_id is None:
        raise RowError("customer", "", "an interaction needs a customer")
    if values["occurred_at"] is None:
        raise RowError("occurred_at", "", "an interaction needs a date")
    if values["external_id"] is None or ctx.had_rows(table):
        existing = (
            ctx.session.connection()
            .execute(
                select(table.c.id)
                .where(
                    table.c.customer_id == customer_id,
                    table.c.occurred_at == values["occurred_at"],
                    table.c.kind == (values["kind"] or InteractionKind.NOTE.value),
                    table.c.summary == (values["summary"] or ""),
                    # Two records the other system told apart are not duplicates.
                    or_(
                        table.c.external_id.is_(None),
                        table.c.external_id == values["external_id"],
                    ),
                )
                .limit(1)
            )
            .scalar()
        )
    else:
        existing = None

    def create() -> Outcome:
        row_values = {k: v for k, v in values.items() if v is not None}
        row_values.setdefault("kind", InteractionKind.NOTE.value)
        row_values.setdefault("summary", "")
        row_values.update(customer_id=customer_id, created_at=ctx.options.now)
        return Outcome(
            "created",
            ctx.insert(table, row_values, action="interaction.create", entity_type="interactions"),
        )

    if existing is None:
        return create()
    return _on_duplicate(
        ctx, table, "interaction", existing, "same time, kind and summary", values, create
    )


def _contact_ids(ctx: ImportContext, customer_id: int, name: str) -> list[int]:
    """Contacts of that name at the customer, oldest first (usually one)."""
    found = ctx.contact_ids.get((customer_id, name.lower()))
    if found is not None:
        return found
    found = list(
        ctx.session.connection()
        .execute(
            select(Contact.id)
            .where(Contact.customer_id == customer_id, Contact.name == name)
            .order_by(Contact.id)
        )
        .scalars()
    )
    if not found:
        raise RowError("contact", name, "no such contact at this customer")
    ctx.contact_ids[(customer_id, name.lower())] = found
    return found


LOADERS: dict[str, Callable[[ImportContext, Row], Outcome]] = {
    "users": load_user,
    "customers": load_customer,
    "contacts": load_contact,
    "leads": load_lead,
    "deals": load_deal,
    "interactions": load_interaction,
}
