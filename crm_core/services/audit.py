"""Writing the audit trail. Every service write goes through `record` in the same
transaction as the change itself, so a change without its audit row cannot exist."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, TypeDecorator, inspect, select
from sqlalchemy.orm import Session

from crm_core.models import AuditEntry, Base
from crm_core.models.base import utcnow
from crm_core.services.context import Actor


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def from_jsonable(model: type[Base], field: str, raw: Any) -> Any:
    """The inverse of `jsonable` for one column: a value from an audit record back to the
    column's Python type, so undo can write it back as it was."""
    if raw is None:
        return None
    column_type = inspect(model).columns[field].type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(raw)
    if isinstance(column_type, Date):
        return date.fromisoformat(raw)
    if isinstance(column_type, Numeric):
        return Decimal(raw)
    return raw


def restore(model: type[Base], values: Mapping[str, Any]) -> dict[str, Any]:
    """Every value of a snapshot as the model's column types (unknown keys dropped)."""
    columns = inspect(model).columns
    return {k: from_jsonable(model, k, v) for k, v in values.items() if k in columns}


def snapshot(obj: Base, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Column values of a row, JSON-ready, for before/after records."""
    columns = [attr.key for attr in inspect(obj).mapper.column_attrs]
    return {k: jsonable(getattr(obj, k)) for k in columns if fields is None or k in fields}


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: Base | None = None,
    *,
    entity_type: str | None = None,
    entity_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> AuditEntry:
    if entity is not None:
        session.flush()
        entity_type = entity_type or entity.__tablename__
        entity_id = entity_id if entity_id is not None else getattr(entity, "id", None)
    data: dict[str, Any] = {}
    if before is not None:
        data["before"] = jsonable(before)
    if after is not None:
        data["after"] = jsonable(after)
    if extra:
        data.update(jsonable(extra))
    entry = AuditEntry(
        at=actor.at or utcnow(),
        actor_id=actor.user_id,
        actor_label=actor.label[:160],
        source_platform=actor.platform,
        source_message_id=actor.message_id,
        action=action,
        entity_type=entity_type or "unknown",
        entity_id=entity_id,
        data=data,
    )
    session.add(entry)
    return entry


def entries_for(session: Session, entity_type: str, entity_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
    )
