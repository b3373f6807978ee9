"""In-memory index of customer names and aliases for fast fuzzy resolution.

Scanning 100,000 names with rapidfuzz per message is fast enough (a few ms), but reading them
from the database each time is not; the index is built once per process and database and
rebuilt when a cheap fingerprint (counts, max ids, last update, all index-only reads) changes,
so names added or renamed by another process are seen on the next lookup.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    customers = session.execute(
        select(func.count(Customer.id), func.max(Customer.id), func.max(Customer.updated_at))
    ).one()
    aliases = session.execute(select(func.count(CustomerAlias.id), func.max(CustomerAlias.id))).one()
    return (*customers, *aliases)


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
    for key, cid in zip(index.keys, index.ids, strict=True):
        index.by_key.setdefault(key, set()).add(cid)
    index.sorted_keys = sorted(index.by_key)
    return index


def name_index(session: Session) -> NameIndex:
    bind = session.get_bind()
    engine = bind.engine if hasattr(bind, "engine") else bind
    cache_key = engine.url.render_as_string(hide_password=False)
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
