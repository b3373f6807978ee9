"""name keys in byte order, and trigram pieces of padded keys (PostgreSQL)

PostgreSQL only; SQLite already compares bytes and searches pieces (0009).

B-tree indexes on the name keys under the "C" collation: a key's exact and whole-word
prefix look-ups compare bytes, as on SQLite (`name_key COLLATE "C" IN (...)` and
`"key " <= name_key COLLATE "C" < "key!"` read in index order with a LIMIT). The
database's own collation (en_US.UTF-8, say) orders keys otherwise, so its B-tree cannot
answer that range, and the planner, left with the trigram index of 0009 for `=` and
`LIKE`, was 100 times slower (14 ms for a message's n-grams at 100 k customers, not 0.1).

A misspelled name is looked for as on SQLite: pieces of the key padded with a space each
side, each matched as a substring (`' ' || name_key || ' ' LIKE '%piece%'`), a few index
reads and at most a few hundred rows however common the piece. The trigram indexes of
0009 on the bare keys served pg_trgm's `%` similarity, whose cost grew with the names that
share a common word ("international" is in one name of ten: 10,000 rows rechecked at
100 k customers); the same indexes on the padded keys, which the pieces need (a piece may
start or end at the key's edge), replace them.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here; crm_core.models.name_search names the same indexes.
INDEXES = (
    ("ix_customers_name_key_bytes", "customers", "name_key"),
    ("ix_customer_aliases_alias_key_bytes", "customer_aliases", "alias_key"),
)


# (0009's index on the bare key, the padded one that replaces it, table, column)
PADDED = (
    ("ix_customers_name_key_trgm", "ix_customers_padded_key_trgm", "customers", "name_key"),
    (
        "ix_customer_aliases_alias_key_trgm",
        "ix_customer_aliases_padded_key_trgm",
        "customer_aliases",
        "alias_key",
    ),
)


def _trgm_schema(bind: sa.Connection) -> str:
    """Where 0009 put pg_trgm (its operator class is named with it)."""
    return str(
        bind.scalar(
            sa.text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
            )
        )
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for index, table, column in INDEXES:
        op.execute(f'CREATE INDEX {index} ON {table} ({column} COLLATE "C")')
    ops = f'"{_trgm_schema(bind)}".gin_trgm_ops'
    for bare, padded, table, column in PADDED:
        op.execute(f"CREATE INDEX {padded} ON {table} USING gin ((' ' || {column} || ' ') {ops})")
        op.execute(f"DROP INDEX IF EXISTS {bare}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    ops = f'"{_trgm_schema(bind)}".gin_trgm_ops'
    for bare, padded, table, column in PADDED:
        op.execute(f"CREATE INDEX {bare} ON {table} USING gin ({column} {ops})")
        op.execute(f"DROP INDEX IF EXISTS {padded}")
    for index, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
