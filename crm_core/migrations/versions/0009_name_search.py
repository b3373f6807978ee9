"""name search: a trigram index over customer names and aliases

PostgreSQL: the pg_trgm extension and a GIN trigram index on `customers.name_key` and
`customer_aliases.alias_key`, so a fuzzy lookup asks the index for a few dozen candidates
instead of every process holding every name. SQLite: an FTS5 table with the trigram
tokenizer over the same keys (padded with a space each side, so two-letter names have
trigrams too), kept in step by triggers in the same transaction as each write.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration must not change when the code does); crm_core.models.name_search
# names the same objects for the queries and for the models/migrations comparison.
CUSTOMER_TRGM_INDEX = "ix_customers_name_key_trgm"
ALIAS_TRGM_INDEX = "ix_customer_aliases_alias_key_trgm"
SEARCH_TABLE = "customer_name_search"
SEARCH_TERMS = "customer_name_search_terms"

_PG_EXTENSION_HELP = (
    "crmbot needs the PostgreSQL extension pg_trgm for customer-name search, and this "
    "database user may not create it. An admin must run, in this database: "
    "CREATE EXTENSION pg_trgm;  then run `crmbot db upgrade` again."
)

# Rows of the SQLite search table: a customer's name at rowid 2*id, an alias at 2*id+1.
_SQLITE_TRIGGERS = {
    "customers_name_search_insert": f"""
        CREATE TRIGGER customers_name_search_insert AFTER INSERT ON customers BEGIN
            INSERT INTO {SEARCH_TABLE}(rowid, key, customer_id)
            VALUES (2 * new.id, ' ' || new.name_key || ' ', new.id);
        END""",
    "customers_name_search_update": f"""
        CREATE TRIGGER customers_name_search_update AFTER UPDATE OF name_key ON customers
        BEGIN
            DELETE FROM {SEARCH_TABLE} WHERE rowid = 2 * old.id;
            INSERT INTO {SEARCH_TABLE}(rowid, key, customer_id)
            VALUES (2 * new.id, ' ' || new.name_key || ' ', new.id);
        END""",
    "customers_name_search_delete": f"""
        CREATE TRIGGER customers_name_search_delete AFTER DELETE ON customers BEGIN
            DELETE FROM {SEARCH_TABLE} WHERE rowid = 2 * old.id;
        END""",
    "aliases_name_search_insert": f"""
        CREATE TRIGGER aliases_name_search_insert AFTER INSERT ON customer_aliases BEGIN
            INSERT INTO {SEARCH_TABLE}(rowid, key, customer_id)
            VALUES (2 * new.id + 1, ' ' || new.alias_key || ' ', new.customer_id);
        END""",
    "aliases_name_search_update": f"""
        CREATE TRIGGER aliases_name_search_update
        AFTER UPDATE OF alias_key, customer_id ON customer_aliases BEGIN
            DELETE FROM {SEARCH_TABLE} WHERE rowid = 2 * old.id + 1;
            INSERT INTO {SEARCH_TABLE}(rowid, key, customer_id)
            VALUES (2 * new.id + 1, ' ' || new.alias_key || ' ', new.customer_id);
        END""",
    "aliases_name_search_delete": f"""
        CREATE TRIGGER aliases_name_search_delete AFTER DELETE ON customer_aliases BEGIN
            DELETE FROM {SEARCH_TABLE} WHERE rowid = 2 * old.id + 1;
        END""",
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _upgrade_postgresql(bind)
    elif bind.dialect.name == "sqlite":
        _upgrade_sqlite()


def _upgrade_postgresql(bind: sa.Connection) -> None:
    present = bind.scalar(sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"))
    if not present:
        try:
            with bind.begin_nested():
                # In `public` when there is one, not in whatever schema crmbot's tables are
                # in: the extension is one per database, and dropping a schema drops it.
                has_public = bind.scalar(
                    sa.text("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'")
                )
                schema = "SCHEMA public" if has_public else ""
                op.execute(f"CREATE EXTENSION IF NOT EXISTS pg_trgm {schema}")
        except sa.exc.DBAPIError as error:
            raise RuntimeError(_PG_EXTENSION_HELP) from error
    # The operator class lives in the schema the extension was created in (often public,
    # while crmbot's tables may be in another schema on the search path).
    ops_schema = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
    )
    for index, table, column in (
        (CUSTOMER_TRGM_INDEX, "customers", "name_key"),
        (ALIAS_TRGM_INDEX, "customer_aliases", "alias_key"),
    ):
        op.execute(
            f'CREATE INDEX {index} ON {table} USING gin ({column} "{ops_schema}".gin_trgm_ops)'
        )


def _upgrade_sqlite() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
        "key, customer_id UNINDEXED, tokenize = 'trigram')"
    )
    op.execute(f"CREATE VIRTUAL TABLE {SEARCH_TERMS} USING fts5vocab({SEARCH_TABLE}, 'row')")
    op.execute(
        f"INSERT INTO {SEARCH_TABLE}(rowid, key, customer_id) "
        "SELECT 2 * id, ' ' || name_key || ' ', id FROM customers"
    )
    op.execute(
        f"INSERT INTO {SEARCH_TABLE}(rowid, key, customer_id) "
        "SELECT 2 * id + 1, ' ' || alias_key || ' ', customer_id FROM customer_aliases"
    )
    for statement in _SQLITE_TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {ALIAS_TRGM_INDEX}")
        op.execute(f"DROP INDEX IF EXISTS {CUSTOMER_TRGM_INDEX}")
        # The extension stays: other databases' objects may use it, and dropping it needs
        # the same rights as creating it.
    elif bind.dialect.name == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {SEARCH_TERMS}")
        op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
