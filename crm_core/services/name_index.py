"""Customer-name look-ups answered by the database's own indexes (migrations 0009 to 0013).

No process holds a copy of the names: an exact key and a whole-word prefix are B-tree reads
in byte order (PostgreSQL: under the "C" collation). A misspelled name is looked up by its
words (`_by_words`): the names that have its rarer words, a typed word no name has standing
for its closest vocabulary words by trigram similarity (PostgreSQL: pg_trgm; SQLite: an FTS5
trigram table over the words, scored as pg_trgm scores). When that finds nothing, the
trigram index is asked for the keys that contain pieces of the typed key as substrings
(SQLite: FTS5 `trigram` MATCH; PostgreSQL: pg_trgm GIN under LIKE). Either way
`crm_core.services.customers` scores the candidates with rapidfuzz. Keys are indexed with a
space each side, so two-letter names have trigrams too. Every search table is kept by
triggers in the writing transaction, so a name added or renamed is found by the next query
of that same transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from crm_core.models import CustomerAlias
from crm_core.models.name_search import (
    SEARCH_TABLE,
    VOCAB_SEARCH_TABLE,
    VOCAB_TABLE,
    VOCAB_TERMS,
    WORDS_TABLE,
)
from crm_core.names import LEGAL_SUFFIXES, name_key

# Candidates handed to rapidfuzz per table (names, aliases) for a misspelled name.
SIMILAR_LIMIT = 100
# SQLite: the typed key is cut into pieces of about this many characters (at most
# PIECES_MAX), each matched as a substring.
PIECE_LENGTH = 5
PIECES_MAX = 6
# A piece found in more keys than this is too common to say anything alone.
PIECE_CAP = 300
# When every piece is common or missed: this many trigrams of the missed pieces are tried.
FALLBACK_TRIGRAMS = 12
# The gazetteer feed: whole-word prefixes looked up per message, and n-gram length.
FEED_MAX_WORDS = 6
FEED_MAX_NGRAMS = 300
FEED_MAX_PREFIXES = 12


@dataclass(frozen=True)
class NameHit:
    """One indexed key (a customer's name or one of its aliases) and whose it is."""

    customer_id: int
    name: str
    key: str
    is_alias: bool


def lookup(
    session: Session,
    keys: Iterable[str] = (),
    prefixes: Iterable[str] = (),
    prefix_limit: int = 2,
) -> list[NameHit]:
    """In one statement: every name or alias whose key is one of `keys`, and for each of
    `prefixes` the first `prefix_limit` keys (per table, in byte order) that start with it
    and a space. Each is a B-tree read: the keys are compared as bytes, which SQLite does
    anyway and PostgreSQL does under the "C" collation its 0011 indexes are built with
    (the database's own collation orders keys otherwise, and its planner would answer `=`
    from the trigram index, a hundred times slower). One fixed text per engine
    (`_PG_LOOKUP`, `_SQLITE_LOOKUP`), so it is compiled once per process."""
    keys, prefixes = list(dict.fromkeys(keys)), list(dict.fromkeys(prefixes))
    if not keys and not prefixes:
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    params: dict[str, object] = (
        {"keys": keys, "prefixes": prefixes, "n": prefix_limit}
        if postgres
        else {"keys": json.dumps(keys), "prefixes": json.dumps(prefixes), "n": prefix_limit}
    )
    rows = session.execute(_PG_LOOKUP if postgres else _SQLITE_LOOKUP, params).all()
    return [NameHit(int(cid), name, key, bool(alias)) for cid, name, key, alias in rows]


# PostgreSQL: the same look-up as one statement whose text never changes (the keys and the
# prefixes are arrays), so it is compiled once per process and prepared once per connection
# (psycopg prepares a statement it has run a few times): built per message, the union of
# a few dozen parts cost more to compile and plan than to run (feed p99 21 ms at 1M names).
_PG_KEY = 'COLLATE "C"'
_PG_LOOKUP = text(
    f"""
SELECT c.id, c.name, c.name_key, false FROM customers c
 WHERE c.name_key {_PG_KEY} = ANY(CAST(:keys AS text[]))
UNION ALL
SELECT c.id, c.name, a.alias_key, true FROM customer_aliases a
  JOIN customers c ON c.id = a.customer_id
 WHERE a.alias_key {_PG_KEY} = ANY(CAST(:keys AS text[]))
UNION ALL
SELECT h.* FROM unnest(CAST(:prefixes AS text[])) AS q(p) CROSS JOIN LATERAL (
  SELECT c.id, c.name, c.name_key, false FROM customers c
   WHERE c.name_key {_PG_KEY} >= q.p || ' ' AND c.name_key {_PG_KEY} < q.p || '!'
   ORDER BY c.name_key {_PG_KEY} LIMIT :n) AS h
UNION ALL
SELECT h.* FROM unnest(CAST(:prefixes AS text[])) AS q(p) CROSS JOIN LATERAL (
  SELECT c.id, c.name, a.alias_key, true FROM customer_aliases a
    JOIN customers c ON c.id = a.customer_id
   WHERE a.alias_key {_PG_KEY} >= q.p || ' ' AND a.alias_key {_PG_KEY} < q.p || '!'
   ORDER BY a.alias_key {_PG_KEY} LIMIT :n) AS h
"""
)

# SQLite: the same, its arrays JSON text read by json_each. It has no LATERAL: each prefix's
# first keys are a correlated subquery (ORDER BY the key, LIMIT n: a B-tree range read), whose
# row ids the outer query then fetches. One text, so the sqlite3 module's statement cache
# prepares it once per connection; built per call in as many shapes as there are key and
# prefix counts, each shape cost a 30 ms first compile in every process (misspelled-name p99
# 21 ms at 1M names).
_SQLITE_LOOKUP = text(
    """
SELECT c.id, c.name, c.name_key, 0 FROM customers c
 WHERE c.name_key IN (SELECT value FROM json_each(:keys))
UNION ALL
SELECT c.id, c.name, a.alias_key, 1 FROM customer_aliases a
  JOIN customers c ON c.id = a.customer_id
 WHERE a.alias_key IN (SELECT value FROM json_each(:keys))
UNION ALL
SELECT c.id, c.name, c.name_key, 0 FROM json_each(:prefixes) AS q
  JOIN customers c ON c.id IN (
   SELECT f.id FROM customers f
    WHERE f.name_key >= q.value || ' ' AND f.name_key < q.value || '!'
    ORDER BY f.name_key LIMIT :n)
UNION ALL
SELECT c.id, c.name, a.alias_key, 1 FROM json_each(:prefixes) AS q
  JOIN customer_aliases a ON a.id IN (
   SELECT f.id FROM customer_aliases f
    WHERE f.alias_key >= q.value || ' ' AND f.alias_key < q.value || '!'
    ORDER BY f.alias_key LIMIT :n)
  JOIN customers c ON c.id = a.customer_id
"""
)


def similar(session: Session, key: str, limit: int = SIMILAR_LIMIT) -> list[NameHit]:
    """At most a few hundred keys (unordered) that may be the misspelled `key`: the
    candidates rapidfuzz ranks. The words search (`_by_words`, migrations 0012 and 0013); when
    it finds nothing (a typo that moved a space: "vista ban keast"), the pieces search
    (`_candidates`). The same steps on both engines, so the same candidates."""
    if len(key) < 2:
        return []  # one character: only an exact key can score as close as a typo needs
    hits = _by_words(session, key)
    if hits:
        return hits
    if session.get_bind().dialect.name == "postgresql":
        found = _candidates(_pieces(key), limit, lambda queries: _pg_containing(session, queries))
        return [hit for hit in found.values() if hit is not None]
    return _similar_sqlite(session, key, limit)


_PG_PIECE_ROWS = {
    # (which table, the row's own id, the customer, its name, the key) of keys padded with
    # a space each side that contain every piece; on the indexes of migration 0011
    False: "SELECT {q} AS q, false AS alias, c.id AS row_id, c.id, c.name, c.name_key AS key "
    "FROM customers c WHERE {where} LIMIT {n}",
    True: "SELECT {q}, true, a.id, c.id, c.name, a.alias_key FROM customer_aliases a "
    "JOIN customers c ON c.id = a.customer_id WHERE {where} LIMIT {n}",
}
_PG_PADDED = {False: "(' ' || c.name_key || ' ')", True: "(' ' || a.alias_key || ' ')"}


# The words search (`_by_words`): the closest vocabulary words taken for a typed word no name
# has, and of them how many make the whole keys tried when every word is common.
WORD_MATCHES = 3
KEY_GUESSES = 2
# pg_trgm's default similarity threshold, which SQLite's closest words are held to as well.
WORD_SIMILARITY = 0.3
# SQLite: vocabulary words sharing trigrams with a typed word, best first by FTS5's rank,
# that are scored for similarity; when the word's trigrams are in more words than
# VOCAB_SCAN together, words with two of its RARE_GRAMS rarest trigrams are asked for (a typo
# changes at most three trigrams, so the intended word has at least two of five).
VOCAB_CANDIDATES = 64
VOCAB_SCAN = 3000
RARE_GRAMS = 5
_TRGM_SCHEMAS: dict[str, str] = {}  # per database: where pg_trgm lives (never changes an answer)


def _trgm_schema(session: Session) -> str:
    from crm_core.db import engine_key

    where = engine_key(session)
    schema = _TRGM_SCHEMAS.get(where)
    if schema is None:
        schema = str(
            session.scalar(
                text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                    "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
                )
            )
        )
        _TRGM_SCHEMAS[where] = schema
    return schema


def _words_in_bytes(session: Session) -> str:
    """The words column as its index orders it: bytes (PostgreSQL's is under "C")."""
    return f"word {_PG_KEY}" if session.get_bind().dialect.name == "postgresql" else "word"


def _by_words(session: Session, key: str) -> list[NameHit]:
    """A misspelled name by its words. The typo is in one word, so the name has the others as
    typed: a typed word in the vocabulary is itself; one that is not is its closest vocabulary
    words (trigram similarity over the distinct words, not the names). The names with the
    words of the two rarest typed words (each at most PIECE_CAP names) are the candidates;
    when every word is common ("star retail internatonal"), the whole keys the closest words
    make."""
    words = list(dict.fromkeys(w for w in key.split() if w))
    if not words:
        return []
    known = set(
        session.scalars(
            text(f"SELECT word FROM {VOCAB_TABLE} WHERE word IN :words").bindparams(
                bindparam("words", expanding=True)
            ),
            {"words": words},
        )
    )
    closest: dict[int, list[str]] = {i: [w] for i, w in enumerate(words) if w in known}
    unknown = {i: w for i, w in enumerate(words) if w not in known}
    if unknown:
        for i, matches in _closest_words(session, unknown).items():
            closest.setdefault(i, []).extend(matches)
    if not closest:
        return []
    counts = _word_counts(session, sorted({w for ws in closest.values() for w in ws}))
    rare = sorted(
        (ws for ws in closest.values() if all(counts[w] <= PIECE_CAP for w in ws)),
        key=lambda ws: sum(counts[w] for w in ws),
    )
    if not rare:
        guesses = [""]
        for i in sorted(closest):
            guesses = [f"{g} {w}".strip() for g in guesses for w in closest[i][:KEY_GUESSES]]
        return lookup(session, keys=guesses[:64])
    chosen = sorted({w for ws in rare[:2] for w in ws})
    refs = {
        (int(cid), None if alias is None else int(alias))
        for cid, alias in session.execute(
            text(
                f"SELECT customer_id, alias_id FROM {WORDS_TABLE} "
                f"WHERE {_words_in_bytes(session)} IN :words"
            ).bindparams(bindparam("words", expanding=True)),
            {"words": chosen},
        )
    }
    return _hits_of(session, refs)


def _closest_words(session: Session, unknown: dict[int, str]) -> dict[int, list[str]]:
    """For each typed word no name has (by its place in the key), the WORD_MATCHES vocabulary
    words most similar to it, at least WORD_SIMILARITY alike, most similar first; for a word
    with none, the vocabulary words it is with two letters swapped back."""
    found = _closest_by_trigrams(session, unknown)
    missed = {i: w for i, w in unknown.items() if i not in found}
    if missed:
        found.update(_transposed(session, missed))
    return found


def _transposed(session: Session, words: dict[int, str]) -> dict[int, list[str]]:
    """Typed words no vocabulary word is trigram-alike to, read with two neighbouring letters
    swapped back ("aruora" -> "aurora"): a swap changes three trigrams of a short word, which
    leaves it under the similarity threshold, yet it is the commonest typo there is."""
    variants: dict[str, list[int]] = {}
    for i, word in words.items():
        for k in range(len(word) - 1):
            if word[k] != word[k + 1]:
                variants.setdefault(word[:k] + word[k + 1] + word[k] + word[k + 2 :], []).append(i)
    if not variants:
        return {}
    found: dict[int, list[str]] = {}
    for word in sorted(
        session.scalars(
            text(f"SELECT word FROM {VOCAB_TABLE} WHERE word IN :words").bindparams(
                bindparam("words", expanding=True)
            ),
            {"words": sorted(variants)},
        )
    ):
        for i in variants[word]:
            if len(found.setdefault(i, [])) < WORD_MATCHES:
                found[i].append(word)
    return found


def _closest_by_trigrams(session: Session, unknown: dict[int, str]) -> dict[int, list[str]]:
    """pg_trgm's `%` and similarity order on PostgreSQL, `_closest_sqlite` on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        schema = _trgm_schema(session).replace('"', '""')
        sim = f'"{schema}".similarity(v.word, q.w)'
        found: dict[int, list[str]] = {}
        for i, word in session.execute(
            text(
                "SELECT i, word FROM (SELECT q.i, v.word, row_number() OVER (PARTITION BY "
                f"q.i ORDER BY {sim} DESC, v.word) AS r FROM unnest(CAST(:words AS text[]), "
                "CAST(:places AS integer[])) AS q(w, i) CROSS JOIN LATERAL (SELECT "
                f'word FROM {VOCAB_TABLE} WHERE word OPERATOR("{schema}".%) q.w) AS v) '
                "AS m WHERE r <= :n"
            ),
            {"words": list(unknown.values()), "places": list(unknown), "n": WORD_MATCHES},
        ):
            found.setdefault(int(i), []).append(word)
        return found
    return {i: m for i, word in unknown.items() if (m := _closest_sqlite(session, word))}


def _closest_sqlite(session: Session, word: str) -> list[str]:
    """pg_trgm's `%` on SQLite: the vocabulary words that share the most selective trigrams
    of the word (FTS5 trigram MATCH over the padded words, ranked by bm25), scored as pg_trgm
    scores them. Trigrams no word has are left out of the query."""
    grams = [g for g in _trigrams([f" {word} "]) if g.strip()]
    if not grams:
        return []
    docs: dict[str, int] = {
        str(term): int(doc)
        for term, doc in session.execute(
            text(f"SELECT term, doc FROM {VOCAB_TERMS} WHERE term IN :grams").bindparams(
                bindparam("grams", expanding=True)
            ),
            {"grams": grams},
        )
    }
    present = sorted((g for g in grams if docs.get(g)), key=lambda g: (docs[g], g))
    if not present:
        return []
    if sum(docs[g] for g in present) <= VOCAB_SCAN or len(present) < 3:
        query = " OR ".join(map(_quoted, present))
    else:
        pairs = combinations(present[:RARE_GRAMS], 2)
        query = " OR ".join(f"({_quoted(a)} AND {_quoted(b)})" for a, b in pairs)
    candidates = session.scalars(
        text(
            f"SELECT v.word FROM {VOCAB_SEARCH_TABLE} s JOIN {VOCAB_TABLE} v ON v.rowid = s.rowid "
            f"WHERE {VOCAB_SEARCH_TABLE} MATCH :q ORDER BY s.rank LIMIT :n"
        ),
        {"q": query, "n": VOCAB_CANDIDATES},
    ).all()
    scored = sorted(
        ((-s, w) for w in candidates if (s := trigram_similarity(word, w)) >= WORD_SIMILARITY),
    )
    return [w for _, w in scored[:WORD_MATCHES]]


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity of two words: shared trigrams over all trigrams, each word padded
    with two spaces before and one after."""
    first, second = _word_trigrams(a), _word_trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _word_trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _word_counts(session: Session, words: list[str]) -> dict[str, int]:
    """How many names and aliases have each word, counted only up to PIECE_CAP + 1."""
    column = _words_in_bytes(session)
    parts = [
        f"SELECT {i} AS i, (SELECT count(*) FROM (SELECT 1 FROM {WORDS_TABLE} "
        f"WHERE {column} = :w{i} LIMIT {PIECE_CAP + 1}) AS x) AS n"
        for i in range(len(words))
    ]
    rows = session.execute(
        text(" UNION ALL ".join(parts)), {f"w{i}": w for i, w in enumerate(words)}
    )
    counts = dict.fromkeys(words, 0)
    for i, n in rows:
        counts[words[int(i)]] = int(n)
    return counts


def _hits_of(session: Session, refs: set[tuple[int, int | None]]) -> list[NameHit]:
    """The names (alias None) and aliases of these (customer, alias) word rows."""
    names = sorted({cid for cid, alias in refs if alias is None})
    aliases = sorted({alias for _, alias in refs if alias is not None})
    rows = session.execute(
        text(
            "SELECT c.id, c.name, c.name_key, false FROM customers c WHERE c.id IN :names "
            "UNION ALL SELECT c.id, c.name, a.alias_key, true FROM customer_aliases a "
            "JOIN customers c ON c.id = a.customer_id WHERE a.id IN :aliases"
        ).bindparams(bindparam("names", expanding=True), bindparam("aliases", expanding=True)),
        {"names": names, "aliases": aliases},
    ).all()
    return [NameHit(int(cid), name, k, bool(alias)) for cid, name, k, alias in rows]


Refs = dict[object, NameHit | None]  # a key's row (table and id), with its hit if known


def _candidates(
    pieces: list[str], limit: int, containing: Callable[[list[list[str]]], list[Refs]]
) -> Refs:
    """The keys that contain a selective piece of the typed key (one found in at most
    PIECE_CAP keys). When too few: the keys containing two of the common pieces; when none,
    and a piece was found nowhere (the typo is in it), the keys containing a common piece and
    one trigram of the missed pieces ("boreal labbs": " boreal" is in thousands of names,
    "labbs " in none, " boreal" and "lab" in a few). Each query stops after PIECE_CAP + 1
    rows, so the cost is bounded by the message, not by how many names share its letters;
    `containing` answers a list of queries (pieces that must all be in the key) at once."""
    found: Refs = {}
    common: list[str] = []
    missed: list[str] = []
    for piece, refs in zip(pieces, containing([[p] for p in pieces]), strict=True):
        if len(refs) > PIECE_CAP:
            common.append(piece)
        else:
            found.update(refs)
            missed += [] if refs else [piece]
    if len(found) < limit and len(common) > 1:
        for refs in containing([list(pair) for pair in combinations(common, 2)]):
            found.update(refs)
    if not found and common and missed:
        trigrams = [t for t in _trigrams(missed) if t.strip()][:FALLBACK_TRIGRAMS]
        for refs in containing([[c, t] for c in common[:2] for t in trigrams]):
            found.update(refs)
    return found


def _trigrams(pieces: list[str]) -> list[str]:
    return list(dict.fromkeys(p[i : i + 3] for p in pieces for i in range(len(p) - 2)))


def _pg_containing(session: Session, queries: list[list[str]]) -> list[Refs]:
    """For each query (pieces that must all be in the key), up to PIECE_CAP + 1 names and as
    many aliases whose padded key contains them, in one statement."""
    if not queries:
        return []
    params: dict[str, object] = {}
    parts = []
    for q, pieces in enumerate(queries):
        for alias, sql in _PG_PIECE_ROWS.items():
            likes = []
            for p, piece in enumerate(pieces):
                name = f"p{q}_{p}"
                params[name] = "%" + re.sub(r"([\\%_])", r"\\\1", piece) + "%"
                likes.append(f"{_PG_PADDED[alias]} LIKE :{name}")
            parts.append("(" + sql.format(q=q, where=" AND ".join(likes), n=PIECE_CAP + 1) + ")")
    rows = session.execute(text(" UNION ALL ".join(parts)), params).all()
    found: list[Refs] = [{} for _ in queries]
    for q, alias, row_id, cid, name, k in rows:
        found[q][(bool(alias), int(row_id))] = NameHit(int(cid), name, k, bool(alias))
    return found


def _pieces(key: str) -> list[str]:
    """The padded key cut into pieces of about PIECE_LENGTH characters (a short key: its
    trigrams). One typo changes at most one or two of them, so the intended name contains the
    others intact; FTS5's trigram tokenizer matches a quoted piece as a
    substring, which a few index reads answer however many names share its letters."""
    padded = f" {key} "
    if len(padded) < 2 * PIECE_LENGTH:  # too short to cut: each of its trigrams
        return list(dict.fromkeys(padded[i : i + 3] for i in range(len(padded) - 2)))
    count = min(PIECES_MAX, len(padded) // PIECE_LENGTH)
    size = len(padded) / count
    return list(
        dict.fromkeys(padded[round(i * size) : round((i + 1) * size)] for i in range(count))
    )


def _similar_sqlite(session: Session, key: str, limit: int) -> list[NameHit]:
    """The pieces search (`_candidates`), each piece an FTS5 trigram MATCH; then the rows."""

    def containing(queries: list[list[str]]) -> list[Refs]:
        return [
            dict.fromkeys(_match_sqlite(session, " AND ".join(map(_quoted, pieces)), PIECE_CAP + 1))
            for pieces in queries
        ]

    rowids = _candidates(_pieces(key), limit, containing)
    if not rowids:
        return []
    rows = session.execute(
        text(
            f"SELECT s.customer_id, c.name, trim(s.key), s.rowid % 2 FROM {SEARCH_TABLE} s "
            "JOIN customers c ON c.id = s.customer_id WHERE s.rowid IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": sorted(rowid for rowid in rowids if isinstance(rowid, int))},
    ).all()
    return [NameHit(int(cid), name, k, bool(alias)) for cid, name, k, alias in rows]


def _quoted(piece: str) -> str:
    return '"' + piece.replace('"', '""') + '"'


def _match_sqlite(session: Session, query: str, limit: int) -> list[int]:
    return list(
        session.scalars(
            text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q LIMIT :n"),
            {"q": query, "n": limit},
        )
    )


# --------------------------------------------------------------------- gazetteer feed
_NOT_A_FIRST_WORD = frozenset(
    """the a an new big blue red green global first united general american national
    international north south east west best top my our one deal lead call email meeting
    with from about after before this that next last follow""".split()
)


def names_in_text(session: Session, message: str) -> list[tuple[int, str, list[str]]]:
    """The customers a message may name, for the parser's gazetteer: every customer whose
    name or alias key equals one of the message's word n-grams (up to six words), and up to
    two per distinctive word whose name starts with it ("acme" -> "Acme Bank"; two, so the
    gazetteer can tell a unique short form from a shared one). Bounded by the message, not
    by the number of customers. Each as (id, name, alias keys)."""
    words = message.split()
    keys: list[str] = []
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + FEED_MAX_WORDS) + 1):
            key = name_key(" ".join(words[start:end]))
            if key:
                keys.append(key)
    keys = list(dict.fromkeys(keys))[:FEED_MAX_NGRAMS]
    firsts = [
        k
        for k in dict.fromkeys(name_key(w) for w in words)
        if len(k) >= 4 and " " not in k and k not in _NOT_A_FIRST_WORD and k not in LEGAL_SUFFIXES
    ][:FEED_MAX_PREFIXES]
    found = {hit.customer_id: hit.name for hit in lookup(session, keys, firsts, prefix_limit=2)}
    return [(cid, name, aliases) for cid, name, aliases in _with_aliases(session, found)]


def _with_aliases(session: Session, names: dict[int, str]) -> Iterable[tuple[int, str, list[str]]]:
    aliases: dict[int, list[str]] = {}
    if names:
        for cid, key in session.execute(
            select(CustomerAlias.customer_id, CustomerAlias.alias_key).where(
                CustomerAlias.customer_id.in_(list(names))
            )
        ):
            aliases.setdefault(cid, []).append(key)
    for cid in sorted(names):
        yield cid, names[cid], aliases.get(cid, [])
