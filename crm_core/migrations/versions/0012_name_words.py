"""the words of every name, and their vocabulary, for misspelled names (PostgreSQL)

PostgreSQL only; SQLite keeps its FTS5 pieces (0009).

At a million customers the pieces search of 0011 asks the trigram index for substrings that
a tenth of all names share ("north", "international"): a GIN index answers LIKE with a bitmap
of every row that has the piece's trigrams, LIMIT or not, so a misspelled name cost 126 ms at
the median and 310 ms at p99. A name is made of words, and a typo is inside one of them:

- `customer_name_words` holds each word of each name and alias key with whose it is
  (B-tree on the word in byte order): the customers with a given word are an index range;
- `customer_name_vocab` holds each distinct word once, with a trigram index: a misspelled
  word finds the words it is close to among thousands of words, not millions of names.

Both are kept by triggers in the writing transaction (a name added, renamed, merged away or
deleted is right for the next query of that transaction). The vocabulary only grows: a word
no name has any more finds no customer. Its words are unique (ON CONFLICT DO NOTHING, in word
order): a check without the constraint was planned once, on the empty table, as a scan, and
grew with the vocabulary; two writers adding the same new word wait for each other briefly,
and the rare deadlock of two such writers is retried as any other (crm_core.retry).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here; crm_core.models.name_search names the same objects.
WORDS = "customer_name_words"
VOCAB = "customer_name_vocab"

_WORDS_OF = "SELECT DISTINCT w FROM unnest(string_to_array({key}, ' ')) AS w WHERE w <> ''"

_FUNCTIONS = {
    "crm_customer_name_words": f"""
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.name_key IS NOT DISTINCT FROM OLD.name_key THEN
      RETURN NEW;
    END IF;
    DELETE FROM {WORDS} WHERE customer_id = OLD.id AND alias_id IS NULL;
  END IF;
  INSERT INTO {WORDS} (word, customer_id, alias_id)
    SELECT w, NEW.id, NULL::integer FROM ({_WORDS_OF.format(key="NEW.name_key")}) AS t;
  INSERT INTO {VOCAB} (word)
    SELECT w FROM ({_WORDS_OF.format(key="NEW.name_key")}) AS t ORDER BY w
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END""",
    "crm_alias_name_words": f"""
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.alias_key IS NOT DISTINCT FROM OLD.alias_key
       AND NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id THEN
      RETURN NEW;
    END IF;
    DELETE FROM {WORDS} WHERE alias_id = OLD.id;
  END IF;
  INSERT INTO {WORDS} (word, customer_id, alias_id)
    SELECT w, NEW.customer_id, NEW.id FROM ({_WORDS_OF.format(key="NEW.alias_key")}) AS t;
  INSERT INTO {VOCAB} (word)
    SELECT w FROM ({_WORDS_OF.format(key="NEW.alias_key")}) AS t ORDER BY w
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END""",
}
_TRIGGERS = (
    ("trg_customer_name_words", "customers", "name_key", "crm_customer_name_words"),
    ("trg_alias_name_words", "customer_aliases", "alias_key, customer_id", "crm_alias_name_words"),
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
    op.execute(
        f"CREATE TABLE {WORDS} (word text NOT NULL, "
        "customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE, "
        "alias_id integer REFERENCES customer_aliases (id) ON DELETE CASCADE)"
    )
    op.execute(f"CREATE TABLE {VOCAB} (word text PRIMARY KEY)")
    op.execute(
        f"INSERT INTO {WORDS} (word, customer_id, alias_id) SELECT DISTINCT w, c.id, "
        "NULL::integer FROM customers c, unnest(string_to_array(c.name_key, ' ')) AS w "
        "WHERE w <> ''"
    )
    op.execute(
        f"INSERT INTO {WORDS} (word, customer_id, alias_id) SELECT DISTINCT w, a.customer_id, "
        "a.id FROM customer_aliases a, unnest(string_to_array(a.alias_key, ' ')) AS w "
        "WHERE w <> ''"
    )
    op.execute(f"INSERT INTO {VOCAB} (word) SELECT DISTINCT word FROM {WORDS}")
    op.execute(
        f'CREATE INDEX ix_{WORDS}_word ON {WORDS} (word COLLATE "C", customer_id) '
        "INCLUDE (alias_id)"
    )
    op.execute(f"CREATE INDEX ix_{WORDS}_customer ON {WORDS} (customer_id)")
    op.execute(f"CREATE INDEX ix_{WORDS}_alias ON {WORDS} (alias_id)")
    ops = f'"{_trgm_schema(bind)}".gin_trgm_ops'
    op.execute(f"CREATE INDEX ix_{VOCAB}_trgm ON {VOCAB} USING gin (word {ops})")
    for name, body in _FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn${body}$fn$")
    for trigger, table, columns, function in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    op.execute(f"ANALYZE {WORDS}")  # (VACUUM cannot run in the migration's transaction;
    op.execute(f"ANALYZE {VOCAB}")  # autovacuum sets the visibility map for index-only scans)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for trigger, table, _columns, _function in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for name in _FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute(f"DROP TABLE IF EXISTS {WORDS}")
    op.execute(f"DROP TABLE IF EXISTS {VOCAB}")
