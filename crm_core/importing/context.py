"""What one import run knows and writes: the options, look-up tables of users and
customers built once (and kept up to date as rows add records), the report, and the writes
themselves, issued as plain INSERT/UPDATE statements with their audit rows (queued, written
in the same transaction), so a million rows do not become a million ORM objects."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.importing.duplicates import DuplicateIndex
from crm_core.importing.mapping import Mapping
from crm_core.importing.values import (
    CellError,
    clean_email,
    clean_phone,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_probability,
)
from crm_core.models import AuditEntry, Customer, CustomerAlias, User
from crm_core.names import name_key
from crm_core.services.audit import jsonable
from crm_core.services.context import Actor
from crm_core.services.customers import resolve_customer

ON_DUPLICATE = ("merge", "skip", "new")
AUDIT_BATCH = 1000


def table_of(model: type[Any]) -> Table:
    """A model's Table (typed as such: the ORM declares `__table__` as a FromClause)."""
    table: Table = model.__table__
    return table


class RowError(Exception):
    """One bad cell (or a row that cannot be placed); the row is rolled back and reported."""

    def __init__(self, field: str | None, value: str, why: str) -> None:
        super().__init__(why)
        self.field = field
        self.value = value
        self.why = why


@dataclass(frozen=True)
class ImportOptions:
    kind: str
    now: datetime
    tz: tzinfo
    mapping: Mapping = field(default_factory=Mapping)
    dry_run: bool = False
    owner: str | None = None
    on_duplicate: str = "merge"
    strict: bool = False
    date_order: str | None = None
    create_users: bool = False
    phone_region: str | None = "US"
    source: str = "import"


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    value: str
    why: str


@dataclass(frozen=True)
class DuplicateNote:
    row: int
    existing_id: int
    reason: str
    action: str  # merged | skipped | created anyway


@dataclass
class ImportReport:
    kind: str
    file: str
    encoding: str = ""
    delimiter: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # field -> header
    positions: dict[str, int] = field(default_factory=dict)  # field -> column
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[RowProblem] = field(default_factory=list)
    duplicates: list[DuplicateNote] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


Row = dict[str, str]


class ImportContext:
    def __init__(self, session: Session, actor: Actor, options: ImportOptions) -> None:
        self.session = session
        self.actor = actor
        self.options = options
        self.report: ImportReport | None = None
        self.audit_queue: list[dict[str, Any]] = []
        self._users: dict[str, int] | None = None
        self._customers: dict[str, int] | None = None
        self.customer_index: DuplicateIndex | None = None
        self.row_number = 0
        self.pending_audit: list[dict[str, Any]] = []
        self.contact_ids: dict[tuple[int, str], list[int]] = {}
        # External ids this run wrote, for tables that were empty before it: a first import
        # of a million rows then never asks the database whether an id is already there.
        self.seen_external: dict[tuple[str, str], int] = {}
        self._had_rows: dict[str, bool] = {}
        self._inserts: dict[str, Any] = {}
        # The row's savepoint, opened at its first write (most bad rows fail on a cell before
        # writing anything, and need none).
        self._savepoint: Any = None
        self.block_mode = False
        self.row_wrote = False
        self._block: Any = None
        self._block_audit: list[dict[str, Any]] = []
        self._block_external: list[tuple[str, str]] = []
        self._block_cached = False
        # Keys this row put in the look-up tables; forgotten if the row is rolled back.
        self._row_external: list[tuple[str, str]] = []
        self._row_cached = False

    def had_rows(self, table: Table) -> bool:
        """Did the table hold any row when the run started? If not, nothing this run meets
        there can be a duplicate of anything but this run's own rows, and the look-ups of
        external ids and duplicates are answered from memory."""
        if table.name not in self._had_rows:
            found = self.session.connection().execute(select(table.c.id).limit(1))
            self._had_rows[table.name] = found.first() is not None
        return self._had_rows[table.name]

    # ---- cells -------------------------------------------------------------------------
    def text(self, row: Row, name: str, max_len: int = 200) -> str | None:
        value = " ".join(row.get(name, "").split())
        if not value:
            return None
        if len(value) > max_len:
            raise RowError(name, value, f"longer than {max_len} characters")
        return value

    def long_text(self, row: Row, name: str, max_len: int = 4000) -> str | None:
        value = row.get(name, "").strip()
        if len(value) > max_len:
            raise RowError(name, value[:80], f"longer than {max_len} characters")
        return value or None

    def _cell(self, row: Row, name: str, parse: Any) -> Any:
        value = row.get(name, "").strip()
        if not value:
            return None
        try:
            return parse(value)
        except CellError as exc:
            raise RowError(name, value, str(exc)) from exc

    def date(self, row: Row, name: str) -> date | None:
        result: date | None = self._cell(
            row, name, lambda v: parse_date(v, order=self.options.date_order)
        )
        return result

    def datetime(self, row: Row, name: str) -> datetime | None:
        result: datetime | None = self._cell(
            row,
            name,
            lambda v: parse_datetime(v, tz=self.options.tz, order=self.options.date_order),
        )
        return result

    def amount(self, row: Row, name: str) -> tuple[Decimal, str | None] | None:
        result = self._cell(row, name, parse_amount)
        if result is None:
            return None
        amount, currency = result
        if amount < 0:
            raise RowError(name, row[name], "amount cannot be negative")
        if amount > Decimal("999999999999.99"):
            raise RowError(name, row[name], "amount is too large")
        return amount.quantize(Decimal("0.01")), currency

    def probability(self, row: Row, name: str) -> Decimal | None:
        result: Decimal | None = self._cell(row, name, parse_probability)
        return result

    def email(self, row: Row, name: str = "email") -> str | None:
        result: str | None = self._cell(row, name, clean_email)
        return result

    def phone(self, row: Row, name: str = "phone") -> str | None:
        result: str | None = self._cell(
            row, name, lambda v: clean_phone(v, region=self.options.phone_region)
        )
        return result

    def choice(self, row: Row, name: str, choices: Any, default: str | None = None) -> str | None:
        value = row.get(name, "").strip()
        if not value:
            return default
        mapped = self.options.mapping.values.map(name, value)
        allowed = {c.value for c in choices}
        if mapped not in allowed:
            raise RowError(
                name,
                value,
                f"unknown {name}: use one of {', '.join(sorted(allowed))} "
                f"or map it (--value {name}:{value}=...)",
            )
        return mapped

    def person_name(self, row: Row, name: str, max_len: int = 120) -> str | None:
        """A name column, else "First Last" from split columns."""
        whole = self.text(row, name, max_len)
        if whole:
            return whole
        parts = [self.text(row, "first_name", 60), self.text(row, "last_name", 60)]
        joined = " ".join(p for p in parts if p)
        return joined or None

    # ---- people ------------------------------------------------------------------------
    def users(self) -> dict[str, int]:
        if self._users is None:
            self._users = {}
            rows = self.session.execute(select(User.id, User.name, User.display_name, User.email))
            for uid, name, display, email in rows:
                for key in (name, display, email):
                    if key:
                        self._users.setdefault(key.strip().lower(), uid)
        return self._users

    def remember_user(self, uid: int, *keys: str | None) -> None:
        for key in keys:
            if key:
                self.users().setdefault(key.strip().lower(), uid)

    def user_ref(self, row: Row, name: str, *, default: bool = True) -> int | None:
        """A user by handle, display name or email; --owner when the cell is empty; with
        --create-users an unknown one is created (handle from the email or the name)."""
        value = row.get(name, "").strip()
        if not value:
            if default and self.options.owner:
                found = self.users().get(self.options.owner.strip().lower())
                if found is None:
                    raise RowError(name, self.options.owner, "--owner names no user")
                return found
            return None
        found = self.users().get(value.lower().lstrip("@"))
        if found is not None:
            return found
        if not self.options.create_users:
            raise RowError(name, value, "no such user (add them first, or use --create-users)")
        return self.create_user_for(value, name)

    def create_user_for(self, value: str, column: str) -> int:
        email = None
        if "@" in value:
            try:
                email = clean_email(value)
            except CellError as exc:
                raise RowError(column, value, str(exc)) from exc
            base = email.split("@")[0]
            display = " ".join(w.capitalize() for w in re.split(r"[._-]+", base) if w)
        else:
            base, display = value, value
        handle = re.sub(r"[^a-z0-9]+", ".", base.lower()).strip(".")[:70] or "user"
        taken = set(self.session.scalars(select(User.name).where(User.name.like(f"{handle}%"))))
        candidate, n = handle, 1
        while candidate in taken:
            n += 1
            candidate = f"{handle}{n}"
        values = {
            "name": candidate,
            "display_name": display[:120] or candidate,
            "email": email,
            "role": "rep",
            "capacity": 50,
            "active": True,
            "created_at": self.options.now,
        }
        uid = self.insert(table_of(User), values, action="user.create", entity_type="users")
        self.remember_user(uid, candidate, display, email, value)
        return uid

    # ---- customers ---------------------------------------------------------------------
    def customer_keys(self) -> dict[str, int]:
        if self._customers is None:
            self._customers = {}
            for cid, key in self.session.execute(select(Customer.id, Customer.name_key)):
                self._customers.setdefault(key, cid)
            for cid, key in self.session.execute(
                select(CustomerAlias.customer_id, CustomerAlias.alias_key)
            ):
                self._customers.setdefault(key, cid)
        return self._customers

    def customer_ref(self, row: Row, name: str, *, create: bool = False) -> int | None:
        """Exact name or alias first (this file's new customers included), then the chat's
        fuzzy resolution; an ambiguous name is an error, never a guess."""
        value = self.text(row, name)
        if not value:
            return None
        key = name_key(value)
        if not key:
            raise RowError(name, value, "a customer name needs letters or digits")
        found = self.customer_keys().get(key)
        if found is not None:
            return found
        try:
            resolution = resolve_customer(self.session, value)
        except ValidationError as exc:
            raise RowError(name, value, str(exc)) from exc
        if resolution.customer_id is not None:
            return resolution.customer_id
        if create and not resolution.candidates:
            return self.create_customer(value)
        if resolution.candidates:
            names = ", ".join(c.name for c in resolution.candidates[:3])
            raise RowError(name, value, f"which customer? could be {names}")
        raise RowError(name, value, "no such customer")

    def create_customer(self, name: str, **values: Any) -> int:
        key = name_key(name)
        row = {
            "name": name,
            "name_key": key,
            "lifecycle": "prospect",
            "created_at": self.options.now,
            "updated_at": self.options.now,
            **values,
        }
        cid = self.insert(
            table_of(Customer), row, action="customer.create", entity_type="customers"
        )
        self.customer_keys().setdefault(key, cid)
        if self.customer_index is not None:
            self.customer_index.add(cid, name=name, email=row.get("email"), phone=row.get("phone"))
        return cid

    # ---- writes ------------------------------------------------------------------------
    def insert(
        self, table: Table | Any, values: dict[str, Any], *, action: str, entity_type: str
    ) -> int:
        result = self.write(self._insert_statement(table), values)
        key = result.inserted_primary_key
        assert key is not None
        new_id = int(key[0])
        external = values.get("external_id")
        if external and "external_id" in table.c and not self.had_rows(table):
            self.seen_external[(table.name, external)] = new_id
            self._row_external.append((table.name, external))
        self._row_cached = True
        self.audit(action, entity_type, new_id, after=values)
        return new_id

    def update(
        self,
        table: Table | Any,
        record_id: int,
        before: dict[str, Any],
        changes: dict[str, Any],
        *,
        action: str,
        entity_type: str,
    ) -> None:
        if "updated_at" in table.c and "updated_at" not in changes:
            changes = {**changes, "updated_at": self.options.now}
        self.write(update(table).where(table.c.id == record_id).values(**changes))
        self.audit(
            action,
            entity_type,
            record_id,
            before={k: before.get(k) for k in changes},
            after=changes,
        )

    def audit(
        self,
        action: str,
        entity_type: str,
        entity_id: int | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        data: dict[str, Any] = {"import": self.options.source, "row": self.row_number}
        if before is not None:
            data["before"] = jsonable(before)
        if after is not None:
            data["after"] = jsonable(after)
        self.pending_audit.append(
            {
                "at": self.actor.at or self.options.now,
                "actor_id": self.actor.user_id,
                "actor_label": self.actor.label[:160],
                "source_platform": self.actor.platform,
                "source_message_id": self.actor.message_id,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "data": data,
            }
        )

    def _insert_statement(self, table: Table) -> Any:
        if table.name not in self._inserts:
            self._inserts[table.name] = insert(table)
        return self._inserts[table.name]

    def write(self, statement: Any, params: Any = None) -> Any:
        """Every write of a row goes through here. Rows run in blocks under one savepoint
        (a savepoint per row costs as much as the row's own insert); outside a block, the
        row opens its own savepoint at its first write."""
        connection = self.session.connection()
        if not self.block_mode and self._savepoint is None:
            self._savepoint = connection.begin_nested()
        self.row_wrote = True
        return connection.execute(statement, params)

    # ---- blocks: many rows under one savepoint ---------------------------------------------
    def begin_block(self) -> None:
        self.block_mode = True
        self._block = self.session.connection().begin_nested()

    def end_block(self) -> None:
        """Every row of the block stood (or failed before writing anything): keep them."""
        self._block.commit()
        self._block, self.block_mode = None, False
        self.audit_queue.extend(self._block_audit)
        self._block_audit = []
        self._block_external.clear()
        self._block_cached = False
        if len(self.audit_queue) >= AUDIT_BATCH:
            self.flush_audit()

    def abandon_block(self) -> None:
        """A row failed half-way: undo the whole block; the runner replays it row by row."""
        if self._block is not None and self._block.is_active:
            self._block.rollback()
        self._block, self.block_mode = None, False
        self._block_audit = []
        self.pending_audit.clear()
        for key in (*self._block_external, *self._row_external):
            self.seen_external.pop(key, None)
        self._block_external.clear()
        self._row_external.clear()
        if self._block_cached or self._row_cached:
            self._forget_caches()
        self._block_cached = self._row_cached = False
        self.row_wrote = False

    def row_done(self) -> None:
        """The row's writes stood: its audit rows join the queue."""
        if self._savepoint is not None:
            self._savepoint.commit()
            self._savepoint = None
        if self.block_mode:
            self._block_audit.extend(self.pending_audit)
            self._block_external.extend(self._row_external)
            self._block_cached = self._block_cached or self._row_cached
        else:
            self.audit_queue.extend(self.pending_audit)
        self.pending_audit.clear()
        self._row_external.clear()
        self._row_cached = False
        self.row_wrote = False
        if not self.block_mode and len(self.audit_queue) >= AUDIT_BATCH:
            self.flush_audit()

    def row_failed(self) -> None:
        """The row is rolled back (outside a block) or wrote nothing (inside one): forget
        what it added to the look-up tables (rare, so they are rebuilt on next use)."""
        if self._savepoint is not None:
            if self._savepoint.is_active:
                self._savepoint.rollback()
            self._savepoint = None
        self.pending_audit.clear()
        for key in self._row_external:
            self.seen_external.pop(key, None)
        self._row_external.clear()
        if self._row_cached:
            self._forget_caches()
            self._row_cached = False
        self.row_wrote = False

    def _forget_caches(self) -> None:
        self._users = None
        self._customers = None
        self.customer_index = None
        self.contact_ids.clear()

    def flush_audit(self) -> None:
        if self.audit_queue:
            self.session.connection().execute(insert(table_of(AuditEntry)), self.audit_queue)
            self.audit_queue = []

    def duplicate(self, existing_id: int, reason: str, action: str) -> None:
        if self.report is not None:
            self.report.duplicates.append(
                DuplicateNote(self.row_number, existing_id, reason, action)
            )

    def scalar_count(self, table: Table) -> int:
        return int(self.session.scalar(select(func.count()).select_from(table)) or 0)
