"""the words of every name, and their vocabulary, for misspelled names (SQLite)

0012 gave PostgreSQL a words search; SQLite kept its FTS5 pieces (0009), and at a million
customers a misspelled name cost 22 ms at the median and 71 ms at p99 there: the pieces that
a tenth of all names share ("north", "international") are read as long doclists before the
cap applies. This gives SQLite the same two tables as 0012, kept by triggers in the writing
transaction, so both engines answer a typo the same way:

- `customer_name_words`: each word of each name and alias key with whose it is (an index on
  the word, covering the customer and alias);
- `customer_name_vocab`: each distinct word once, and `customer_name_vocab_search`, an FTS5
  trigram table over those words padded with a space each side (pg_trgm's role): a
  misspelled word finds the words that share its trigrams among thousands of words, not
  millions of names; `customer_name_vocab_terms` (fts5vocab) says how many words have each
  trigram, so a word of common trigrams is asked for pairs of its rarer ones instead.

A trigger cannot call Python or hold a common table expression, so a key is split into its
words by `json_each` over the key written as a JSON array: a key is words of `\\w` characters
joined by single spaces (crm_core.names.name_key), which never hold a quote or a backslash.
The vocabulary only grows (a word no name has any more finds no customer); a word is added
unless present (NOT EXISTS, an index read here; not INSERT OR IGNORE, whose policy an outer
statement's ON CONFLICT would replace).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here; crm_core.models.name_search names the same objects.
WORDS = "customer_name_words"
VOCAB = "customer_name_vocab"
VOCAB_SEARCH = "customer_name_vocab_search"
VOCAB_TERMS = "customer_name_vocab_terms"


def _words_of(key: str) -> str:
    """The rows (column `value`) of the distinct non-empty words of a key expression."""
    return (
        f"(SELECT DISTINCT value FROM json_each('[\"' || replace({key}, ' ', '\",\"') || '\"]') "
        "WHERE value <> '')"
    )


def _add_words(key: str, customer: str, alias: str) -> str:
    return f"""
            INSERT INTO {WORDS} (word, customer_id, alias_id)
                SELECT value, {customer}, {alias} FROM {_words_of(key)};
            INSERT INTO {VOCAB} (word)
                SELECT value FROM {_words_of(key)}
                WHERE NOT EXISTS (SELECT 1 FROM {VOCAB} v WHERE v.word = value) ORDER BY value;"""


_TRIGGERS = {
    "customers_name_words_insert": f"""
        CREATE TRIGGER customers_name_words_insert AFTER INSERT ON customers BEGIN
            {_add_words("new.name_key", "new.id", "NULL")}
        END""",
    "customers_name_words_update": f"""
        CREATE TRIGGER customers_name_words_update AFTER UPDATE OF name_key ON customers
        WHEN new.name_key IS NOT old.name_key BEGIN
            DELETE FROM {WORDS} WHERE customer_id = old.id AND alias_id IS NULL;
            {_add_words("new.name_key", "new.id", "NULL")}
        END""",
    "aliases_name_words_insert": f"""
        CREATE TRIGGER aliases_name_words_insert AFTER INSERT ON customer_aliases BEGIN
            {_add_words("new.alias_key", "new.customer_id", "new.id")}
        END""",
    "aliases_name_words_update": f"""
        CREATE TRIGGER aliases_name_words_update
        AFTER UPDATE OF alias_key, customer_id ON customer_aliases
        WHEN new.alias_key IS NOT old.alias_key OR new.customer_id IS NOT old.customer_id BEGIN
            DELETE FROM {WORDS} WHERE alias_id = old.id;
            {_add_words("new.alias_key", "new.customer_id", "new.id")}
        END""",
    "vocab_search_insert": f"""
        CREATE TRIGGER vocab_search_insert AFTER INSERT ON {VOCAB} BEGIN
            INSERT INTO {VOCAB_SEARCH} (rowid, word) VALUES (new.rowid, ' ' || new.word || ' ');
        END""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Deleted with their customer or alias (crm_core.db turns foreign keys on for SQLite).
    op.execute(
        f"CREATE TABLE {WORDS} (word TEXT NOT NULL, "
        "customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE, "
        "alias_id INTEGER REFERENCES customer_aliases (id) ON DELETE CASCADE)"
    )
    op.execute(f"CREATE TABLE {VOCAB} (word TEXT NOT NULL UNIQUE)")
    op.execute(
        f"CREATE VIRTUAL TABLE {VOCAB_SEARCH} USING fts5(word, content='', tokenize='trigram')"
    )
    op.execute(f"CREATE VIRTUAL TABLE {VOCAB_TERMS} USING fts5vocab({VOCAB_SEARCH}, 'row')")
    op.execute(
        f"INSERT INTO {WORDS} (word, customer_id, alias_id) SELECT DISTINCT j.value, c.id, NULL "
        "FROM customers c, json_each('[\"' || replace(c.name_key, ' ', '\",\"') || '\"]') j "
        "WHERE j.value <> ''"
    )
    op.execute(
        f"INSERT INTO {WORDS} (word, customer_id, alias_id) SELECT DISTINCT j.value, "
        "a.customer_id, a.id FROM customer_aliases a, "
        "json_each('[\"' || replace(a.alias_key, ' ', '\",\"') || '\"]') j WHERE j.value <> ''"
    )
    op.execute(f"INSERT INTO {VOCAB} (word) SELECT DISTINCT word FROM {WORDS} ORDER BY word")
    op.execute(
        f"INSERT INTO {VOCAB_SEARCH} (rowid, word) SELECT rowid, ' ' || word || ' ' FROM {VOCAB}"
    )
    op.execute(f"CREATE INDEX ix_{WORDS}_word ON {WORDS} (word, customer_id, alias_id)")
    op.execute(f"CREATE INDEX ix_{WORDS}_customer ON {WORDS} (customer_id)")
    op.execute(f"CREATE INDEX ix_{WORDS}_alias ON {WORDS} (alias_id)")
    for statement in _TRIGGERS.values():
        op.execute(statement)
    op.execute(f"ANALYZE {WORDS}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE IF EXISTS {VOCAB_TERMS}")
    op.execute(f"DROP TABLE IF EXISTS {VOCAB_SEARCH}")
    op.execute(f"DROP TABLE IF EXISTS {VOCAB}")
    op.execute(f"DROP TABLE IF EXISTS {WORDS}")
