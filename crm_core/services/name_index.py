"""In-memory index of customer names and aliases for fast fuzzy resolution.

Scanning 100,000 names with rapidfuzz per message is fast enough (a few ms), but reading them
from the database each time is not; the index is built once per process and database and
rebuilt when a cheap fingerprint (max ids, last update: index-only reads) changes,
so names added or renamed by another process are seen on the next lookup.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from crm_core.db import engine_key
from crm_core.models import Customer, CustomerAlias

Fingerprint = tuple[object, ...]


@dataclass
class NameIndex:
    fingerprint: Fingerprint = ()
    keys: list[str] = field(default_factory=list)  # parallel to ids; aliases included
    ids: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    by_key: dict[str, set[int]] = field(default_factory=dict)
    sorted_keys: list[str] = field(default_factory=list)
    # Blocking for fuzzy search: positions (in keys) by whole word and by a word's first
    # three letters, so a typo is scored against a few hundred names, not all of them.
    by_word: dict[str, list[int]] = field(default_factory=dict)
    by_stem: dict[str, list[int]] = field(default_factory=dict)

    def fuzzy_pool(self, key: str) -> list[int]:
        """Positions of keys sharing a word, or a word's first three letters, with `key`."""
        pool: set[int] = set()
        for word in key.split():
            pool.update(self.by_word.get(word, ()))
            if len(word) >= 3:
                pool.update(self.by_stem.get(word[:3], ()))
        return sorted(pool)

    def prefix_ids(self, prefix: str, limit: int = 50) -> set[int]:
        """Customers with a name or alias whose key starts with `prefix` as whole words."""
        found: set[int] = set()
        start = bisect.bisect_left(self.sorted_keys, prefix)
        for key in self.sorted_keys[start:]:
            if not key.startswith(prefix):
                break
            if len(key) == len(prefix) or key[len(prefix)] == " ":
                found |= self.by_key[key]
                if len(found) >= limit:
                    break
        return found


_lock = threading.Lock()
_indexes: dict[str, NameIndex] = {}


def _fingerprint(session: Session) -> Fingerprint:
    """New customers raise max(id), renames raise max(updated_at), new aliases (also what a
    merge leaves) raise max(alias id). Each is its own query: SQLite answers a lone max() from
    the index in microseconds, but scans the table when aggregates are combined."""
    return tuple(
        session.scalar(select(aggregate))
        for aggregate in (
            func.max(Customer.id),
            func.max(Customer.updated_at),
            func.max(CustomerAlias.id),
            func.count(CustomerAlias.id),
        )
    )


def _build(session: Session, fingerprint: Fingerprint) -> NameIndex:
    index = NameIndex(fingerprint=fingerprint)
    rows = session.execute(select(Customer.id, Customer.name, Customer.name_key)).all()
    alias_rows = session.execute(select(CustomerAlias.customer_id, CustomerAlias.alias_key)).all()
    for cid, name, key in rows:
        index.names[cid] = name
        index.keys.append(key)
        index.ids.append(cid)
    for cid, key in alias_rows:
        index.keys.append(key)
        index.ids.append(cid)
    for position, (key, cid) in enumerate(zip(index.keys, index.ids, strict=True)):
        index.by_key.setdefault(key, set()).add(cid)
        for word in set(key.split()):
            index.by_word.setdefault(word, []).append(position)
            if len(word) >= 3:
                index.by_stem.setdefault(word[:3], []).append(position)
    index.sorted_keys = sorted(index.by_key)
    return index


_SESSION_KEY = "crmbot.name_index"


@event.listens_for(Session, "after_flush")
def _forget_on_customer_change(session: Session, _context: object) -> None:
    if any(
        isinstance(obj, Customer | CustomerAlias)
        for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info.pop(_SESSION_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_transaction_end(session: Session, transaction: object) -> None:
    if getattr(transaction, "parent", None) is None:
        session.info.pop(_SESSION_KEY, None)


def name_index(session: Session) -> NameIndex:
    """The index for this session's database, checked once per transaction (the check is a
    few index reads; a transaction that writes customers checks again)."""
    known = session.info.get(_SESSION_KEY)
    if known is not None:
        return known
    index = _current_index(session)
    session.info[_SESSION_KEY] = index
    return index


def _current_index(session: Session) -> NameIndex:
    cache_key = engine_key(session)
    fingerprint = _fingerprint(session)
    with _lock:
        index = _indexes.get(cache_key)
        if index is not None and index.fingerprint == fingerprint:
            return index
    index = _build(session, fingerprint)
    with _lock:
        _indexes[cache_key] = index
    return index


def clear() -> None:
    with _lock:
        _indexes.clear()
