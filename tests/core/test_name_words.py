"""The words search for misspelled names (migrations 0012 on PostgreSQL, 0013 on SQLite): the
words of every name and alias and their vocabulary, kept by triggers in the writing
transaction, and the candidates a typo in one word leads to, the same on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from crm_core.models import Customer
from crm_core.names import name_key
from crm_core.services import customers, merge, name_index
from tests.factories import Factory


def _words_of(session: Session, customer_id: int) -> set[tuple[str, bool]]:
    rows = session.execute(
        text("SELECT word, alias_id IS NOT NULL FROM customer_name_words WHERE customer_id = :c"),
        {"c": customer_id},
    )
    return {(word, bool(alias)) for word, alias in rows}


def _by_words(session: Session, typed: str) -> set[int]:
    return {hit.customer_id for hit in name_index._by_words(session, name_key(typed))}


def test_triggers_keep_the_words_of_names_and_aliases(session: Session, make: Factory) -> None:
    acme = make.customer("Kestrel Brewing West", aliases=["KBW"])
    assert _words_of(session, acme.id) == {
        ("kestrel", False), ("brewing", False), ("west", False), ("kbw", True),
    }  # fmt: skip
    acme.name, acme.name_key = "Osprey Freight", name_key("Osprey Freight")
    session.flush()
    assert _words_of(session, acme.id) == {("osprey", False), ("freight", False), ("kbw", True)}
    assert session.scalar(text("SELECT count(*) FROM customer_name_vocab WHERE word = 'osprey'"))

    other = make.customer("Osprey Freightways")
    merge.merge_customers(session=session, actor=make.system, keep=acme.id, drop=other.id)
    session.flush()
    assert _words_of(session, other.id) == set()  # the dropped record's words went with it
    session.execute(delete(Customer).where(Customer.id == acme.id))
    session.expire_all()
    assert _words_of(session, acme.id) == set()


def test_a_typo_in_one_word_is_found_by_the_others(session: Session, make: Factory) -> None:
    for place in ("North", "South", "East", "West"):
        for trade in ("Freight", "Brewing", "Capital"):
            make.customer(f"{place} {trade}")
    vertex = make.customer("Vertexhill Brewing West")
    umig = make.customer("Union Motors", aliases=["Umigworks Motor Group"])
    assert vertex.id in _by_words(session, "Vertexhil Brewing West")  # the typo in the rare word
    assert vertex.id in _by_words(session, "Vertexhill Brewng West")  # or beside it
    assert umig.id in _by_words(session, "Umigwroks Motor Group")  # an alias's words
    found = customers.resolve_customer(session, "Vertexhill Brewng Wset")
    assert (found.customer_id, found.how) == (vertex.id, "fuzzy")


def test_when_every_word_is_common_the_whole_keys_are_tried(
    session: Session, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(name_index, "PIECE_CAP", 2)  # every word below is in 3 names or more
    for place in ("North", "South", "East"):
        for trade in ("Freight", "Brewing", "Capital"):
            make.customer(f"{place} {trade}")
    south_brewing = session.query(Customer).filter_by(name="South Brewing").one()
    assert _by_words(session, "South Brewnig") == {south_brewing.id}


def test_a_typo_that_moves_a_space_is_still_found(session: Session, make: Factory) -> None:
    """ "Vistamoor Ban Keast": two words are no longer the name's, the first still is."""
    bank = make.customer("Vistamoor Bank East")
    make.customer("Vistamoor Bank")
    assert bank.id in {h.customer_id for h in name_index.similar(session, "vistamoor ban keast")}
    assert name_index._by_words(session, "qqqzzz xxxyyy") == []
    assert name_index.similar(session, "qqqzzz xxxyyy") == []


def test_a_word_of_common_trigrams_is_asked_for_pairs_of_its_rarer_ones(
    session: Session, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's closest words: past VOCAB_SCAN words sharing its trigrams, the query asks for
    two of the rarest five together; the intended word still has two of them."""
    monkeypatch.setattr(name_index, "VOCAB_SCAN", 0)
    for word in ("Vertex", "Vertical", "Overtexture", "Hillvert"):
        make.customer(f"{word} Brewing")
    vertex = make.customer("Vertexhill Brewing West")
    closest = name_index._closest_words(session, {0: "vertexhil", 1: "brewnig"})
    assert closest[0][0] == "vertexhill" and closest[1][0] == "brewing"
    assert vertex.id in _by_words(session, "Vertxehill Brewing")
    assert name_index._closest_words(session, {0: "qqqzzz"}) == {}


@pytest.mark.parametrize(
    ("a", "b"),
    [("vertexhil", "vertexhill"), ("brewnig", "brewing"), ("ab", "abc"), ("362453", "h362453"),
     ("kestrel", "osprey"), ("zeta", "zeta")],
)  # fmt: skip
def test_the_similarity_is_pg_trgms(session: Session, a: str, b: str) -> None:
    """SQLite scores the closest words as pg_trgm does, so both engines pick the same ones."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("pg_trgm's own similarity() is PostgreSQL's to compare with")
    schema = name_index._trgm_schema(session)
    theirs = session.scalar(text(f'SELECT "{schema}".similarity(:a, :b)'), {"a": a, "b": b})
    assert name_index.trigram_similarity(a, b) == pytest.approx(theirs, abs=1e-6)


def test_two_letters_swapped_are_swapped_back(session: Session, make: Factory) -> None:
    """A swap changes three trigrams of a short word, too many for trigram similarity: the
    swapped-back word is looked up among the vocabulary as it is."""
    aurora = make.customer("Aurora Water East")
    for place in ("North", "South", "West"):
        make.customer(f"Delta Water {place}")
    assert name_index._closest_words(session, {0: "aruora"}) == {0: ["aurora"]}
    found = customers.resolve_customer(session, "Aruora Water East")
    assert (found.customer_id, found.how) == (aurora.id, "fuzzy")
