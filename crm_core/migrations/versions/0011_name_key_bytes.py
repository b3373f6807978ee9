"""name keys in byte order: B-tree indexes on the name keys under the "C" collation

PostgreSQL only. A name key's exact and whole-word-prefix look-ups compare bytes, as SQLite
does: `name_key COLLATE "C" = ANY(...)` and `"key " <= name_key COLLATE "C" < "key!"`, read
in index order with a LIMIT. The database's own collation (en_US.UTF-8, say) orders keys
differently, so its B-tree cannot answer that range, and the planner, left with the trigram
GIN index of 0009 for `=` and `LIKE`, was 100-1000 times slower on these look-ups (about
14 ms for a message's n-grams at 100 k customers, against 0.1 ms). SQLite already compares
bytes; nothing changes there.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

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


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index, table, column in INDEXES:
        op.execute(f'CREATE INDEX {index} ON {table} ({column} COLLATE "C")')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
