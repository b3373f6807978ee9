"""PostgreSQL's words search for misspelled names (migration 0012): the words of every name
and alias and their vocabulary, kept by triggers in the writing transaction, and the
candidates a typo in one word leads to."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from crm_core.models import Customer
from crm_core.names import name_key
from crm_core.services import customers, merge, name_index
from tests.factories import Factory


@pytest.fixture
def pg(session: Session) -> Session:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the words search is PostgreSQL's; SQLite searches FTS5 pieces")
    return session


def _words_of(session: Session, customer_id: int) -> set[tuple[str, bool]]:
    rows = session.execute(
        text("SELECT word, alias_id IS NOT NULL FROM customer_name_words WHERE customer_id = :c"),
        {"c": customer_id},
    )
    return {(word, bool(alias)) for word, alias in rows}


def _by_words(session: Session, typed: str) -> set[int]:
    return {hit.customer_id for hit in name_index._by_words(session, name_key(typed))}


def test_triggers_keep_the_words_of_names_and_aliases(pg: Session, make: Factory) -> None:
    acme = make.customer("Kestrel Brewing West", aliases=["KBW"])
    assert _words_of(pg, acme.id) == {
        ("kestrel", False), ("brewing", False), ("west", False), ("kbw", True),
    }  # fmt: skip
    acme.name, acme.name_key = "Osprey Freight", name_key("Osprey Freight")
    pg.flush()
    assert _words_of(pg, acme.id) == {("osprey", False), ("freight", False), ("kbw", True)}
    assert pg.scalar(text("SELECT count(*) FROM customer_name_vocab WHERE word = 'osprey'"))

    other = make.customer("Osprey Freightways")
    merge.merge_customers(session=pg, actor=make.system, keep=acme.id, drop=other.id)
    pg.flush()
    assert _words_of(pg, other.id) == set()  # the dropped record's words went with it
    pg.execute(delete(Customer).where(Customer.id == acme.id))
    pg.expire_all()
    assert _words_of(pg, acme.id) == set()


def test_a_typo_in_one_word_is_found_by_the_others(pg: Session, make: Factory) -> None:
    for place in ("North", "South", "East", "West"):
        for trade in ("Freight", "Brewing", "Capital"):
            make.customer(f"{place} {trade}")
    vertex = make.customer("Vertexhill Brewing West")
    umig = make.customer("Union Motors", aliases=["Umigworks Motor Group"])
    assert vertex.id in _by_words(pg, "Vertexhil Brewing West")  # the typo in the rare word
    assert vertex.id in _by_words(pg, "Vertexhill Brewng West")  # or beside it
    assert umig.id in _by_words(pg, "Umigwroks Motor Group")  # an alias's words
    found = customers.resolve_customer(pg, "Vertexhill Brewng Wset")
    assert (found.customer_id, found.how) == (vertex.id, "fuzzy")


def test_when_every_word_is_common_the_whole_keys_are_tried(
    pg: Session, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(name_index, "PIECE_CAP", 2)  # every word below is in 3 names or more
    for place in ("North", "South", "East"):
        for trade in ("Freight", "Brewing", "Capital"):
            make.customer(f"{place} {trade}")
    south_brewing = pg.query(Customer).filter_by(name="South Brewing").one()
    assert _by_words(pg, "South Brewnig") == {south_brewing.id}


def test_a_typo_that_moves_a_space_is_still_found(pg: Session, make: Factory) -> None:
    """ "Vistamoor Ban Keast": two words are no longer the name's, the first still is."""
    bank = make.customer("Vistamoor Bank East")
    make.customer("Vistamoor Bank")
    assert bank.id in {h.customer_id for h in name_index.similar(pg, "vistamoor ban keast")}
    assert name_index._by_words(pg, "qqqzzz xxxyyy") == []
    assert name_index.similar(pg, "qqqzzz xxxyyy") == []
