"""Customer-name search objects that live beside the models but are not models.

Migrations 0009 and later create them: on PostgreSQL a GIN trigram index per name column
(its operator class cannot be described portably in the models), on SQLite an FTS5 trigram
table (a virtual table plus its shadow tables) and a vocabulary view of it; 0011 adds, on
PostgreSQL, a B-tree per name column under the "C" collation (byte order, as SQLite
compares) and moves the trigram indexes onto the keys padded with a space each side; 0012
adds, on PostgreSQL, the words of every key and their vocabulary (kept by triggers), and 0013
the same on SQLite, with an FTS5 trigram table over the vocabulary and its term counts. The
models/migrations comparison leaves exactly these out, through `outside_models`.
"""

from __future__ import annotations

CUSTOMER_TRGM_INDEX = "ix_customers_name_key_trgm"
ALIAS_TRGM_INDEX = "ix_customer_aliases_alias_key_trgm"
CUSTOMER_PADDED_INDEX = "ix_customers_padded_key_trgm"
ALIAS_PADDED_INDEX = "ix_customer_aliases_padded_key_trgm"
CUSTOMER_BYTES_INDEX = "ix_customers_name_key_bytes"
ALIAS_BYTES_INDEX = "ix_customer_aliases_alias_key_bytes"
WORDS_TABLE = "customer_name_words"
VOCAB_TABLE = "customer_name_vocab"
VOCAB_SEARCH_TABLE = "customer_name_vocab_search"
VOCAB_TERMS = "customer_name_vocab_terms"
SEARCH_TABLE = "customer_name_search"
SEARCH_TERMS = "customer_name_search_terms"

_FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")
NAME_SEARCH_TABLES = frozenset(
    {
        SEARCH_TABLE,
        SEARCH_TERMS,
        *(
            f"{table}_{shadow}"
            for table in (SEARCH_TABLE, VOCAB_SEARCH_TABLE)
            for shadow in _FTS5_SHADOWS
        ),
        VOCAB_SEARCH_TABLE,
        VOCAB_TERMS,
        WORDS_TABLE,
        VOCAB_TABLE,
    }
)
NAME_SEARCH_INDEXES = frozenset(
    {
        CUSTOMER_TRGM_INDEX,
        ALIAS_TRGM_INDEX,
        CUSTOMER_PADDED_INDEX,
        ALIAS_PADDED_INDEX,
        CUSTOMER_BYTES_INDEX,
        ALIAS_BYTES_INDEX,
        f"ix_{WORDS_TABLE}_word",
        f"ix_{WORDS_TABLE}_customer",
        f"ix_{WORDS_TABLE}_alias",
        f"{VOCAB_TABLE}_pkey",
        f"ix_{VOCAB_TABLE}_trgm",
    }
)


def is_name_search_object(name: str | None, type_: str) -> bool:
    """True for a reflected table or index that belongs to the name search."""
    if type_ == "table":
        return name in NAME_SEARCH_TABLES
    if type_ == "index":
        return name in NAME_SEARCH_INDEXES
    return False
