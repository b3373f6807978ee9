"""Taking everything out: `crmbot export`. Each kind is written with the import's field
names, relations by name (the customer, the owner's handle), and an external id on every
row (the one it was imported with, else "crmbot-<id>"), so that export -> import into an
empty database -> export gives the same files.

Rows are streamed in id order; only the names of related records are held in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.importing.headers import FIELDS, KINDS
from crm_core.models import (
    Contact,
    Customer,
    CustomerAlias,
    Deal,
    Interaction,
    Lead,
    User,
)
from crm_core.models.types import as_utc

FORMATS = ("csv", "jsonl")
BATCH = 5000


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = as_utc(value)
        assert aware is not None
        return aware.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _external(prefix: str, record_id: int, external_id: str | None) -> str:
    return external_id or f"crmbot-{prefix}-{record_id}"


class _Names:
    """Names of related records, loaded once per export."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._users: dict[int, str] | None = None
        self._customers: dict[int, str] | None = None
        self._contacts: dict[int, str] | None = None

    def user(self, uid: int | None) -> str | None:
        if uid is None:
            return None
        if self._users is None:
            self._users = dict(self.session.execute(select(User.id, User.name)).all())
        return self._users.get(uid)

    def customer(self, cid: int | None) -> str | None:
        if cid is None:
            return None
        if self._customers is None:
            rows = self.session.execute(select(Customer.id, Customer.name))
            self._customers = dict(rows.all())
        return self._customers.get(cid)

    def contact(self, cid: int | None) -> str | None:
        if cid is None:
            return None
        if self._contacts is None:
            rows = self.session.execute(select(Contact.id, Contact.name))
            self._contacts = dict(rows.all())
        return self._contacts.get(cid)


def _stream(session: Session, model: Any) -> Iterator[Any]:
    """Every row of a model in id order, a batch at a time (keyset pagination: constant
    memory and no long-lived cursor, on SQLite and PostgreSQL alike)."""
    last = 0
    while True:
        batch = session.scalars(
            select(model).where(model.id > last).order_by(model.id).limit(BATCH)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].id
        session.expunge_all()


def records(session: Session, kind: str) -> Iterator[dict[str, Any]]:
    """One dict per record, keys = FIELDS[kind], in id order."""
    names = _Names(session)
    if kind == "users":
        for user in _stream(session, User):
            yield {
                "name": user.name,
                "display_name": user.display_name,
                "email": user.email,
                "role": user.role,
                "team": user.team,
                "region": user.region,
                "manager": None,
            }
    elif kind == "customers":
        aliases: dict[int, list[str]] = {}
        for cid, alias in session.execute(
            select(CustomerAlias.customer_id, CustomerAlias.alias).order_by(CustomerAlias.id)
        ):
            aliases.setdefault(cid, []).append(alias)
        for customer in _stream(session, Customer):
            yield {
                "external_id": _external("customer", customer.id, customer.external_id),
                "name": customer.name,
                "aliases": "; ".join(aliases.get(customer.id, [])),
                "industry": customer.industry,
                "region": customer.region,
                "owner": names.user(customer.owner_id),
                "lifecycle": customer.lifecycle,
                "email": customer.email,
                "phone": customer.phone,
                "website": customer.website,
                "created_at": customer.created_at,
            }
    elif kind == "contacts":
        for contact in _stream(session, Contact):
            yield {
                "external_id": _external("contact", contact.id, contact.external_id),
                "customer": names.customer(contact.customer_id),
                "name": contact.name,
                "title": contact.title,
                "email": contact.email,
                "phone": contact.phone,
            }
    elif kind == "leads":
        for lead in _stream(session, Lead):
            yield {
                "external_id": _external("lead", lead.id, lead.external_id),
                "contact": lead.contact_name,
                "company": lead.company,
                "email": lead.email,
                "phone": lead.phone,
                "source": lead.source,
                "status": lead.status,
                "owner": names.user(lead.owner_id),
                "region": lead.region,
                "created_at": lead.created_at,
            }
    elif kind == "deals":
        for deal in _stream(session, Deal):
            yield {
                "external_id": _external("deal", deal.id, deal.external_id),
                "customer": names.customer(deal.customer_id),
                "name": deal.name,
                "amount": deal.amount,
                "currency": deal.currency,
                "stage": deal.stage,
                "probability": deal.probability,
                "close_date": deal.close_date,
                "owner": names.user(deal.owner_id),
                "created_at": deal.created_at,
                "closed_at": deal.closed_at,
                "reason": deal.reason,
            }
    elif kind == "interactions":
        for item in _stream(session, Interaction):
            yield {
                "external_id": _external("interaction", item.id, item.external_id),
                "customer": names.customer(item.customer_id),
                "contact": names.contact(item.contact_id),
                "kind": item.kind,
                "summary": item.summary,
                "occurred_at": item.occurred_at,
                "user": names.user(item.user_id),
            }
    else:
        raise ValueError(f"unknown kind {kind!r}")


def write(session: Session, kind: str, handle: IO[str], fmt: str = "csv") -> int:
    """Write one kind to an open text file; returns the number of records."""
    fields = FIELDS[kind]
    count = 0
    if fmt == "csv":
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fields)
        for record in records(session, kind):
            writer.writerow([_text(record[f]) for f in fields])
            count += 1
    elif fmt == "jsonl":
        for record in records(session, kind):
            values = {f: (None if record[f] is None else _text(record[f])) for f in fields}
            handle.write(json.dumps(values, ensure_ascii=False) + "\n")
            count += 1
    else:
        raise ValueError(f"unknown format {fmt!r}: use csv or jsonl")
    return count


def export(session: Session, kinds: list[str], folder: Path, fmt: str = "csv") -> dict[str, int]:
    """Each kind to FOLDER/KIND.FORMAT (UTF-8); returns records written per kind."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for kind in kinds:
        with (folder / f"{kind}.{fmt}").open("w", encoding="utf-8", newline="") as handle:
            counts[kind] = write(session, kind, handle, fmt)
    return counts


__all__ = ["FORMATS", "KINDS", "export", "records", "write"]
