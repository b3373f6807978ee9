"""The database's name index (migration 0009) proposes the candidates resolution ranks:
typos, aliases, partial and short names, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm),
and what a transaction writes it finds in that same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, event
from sqlalchemy.orm import Session

from crm_core.models import Customer, CustomerAlias
from crm_core.names import name_key
from crm_core.services import customers, name_index
from tests.factories import Factory


def _crowd(make: Factory) -> None:
    """Names that share words and trigrams with the ones looked for, so the index has to
    choose rather than return everything."""
    for word in ("Brewing", "Freight", "Capital", "Security", "Networks"):
        for place in ("North", "South", "East", "West", "Global"):
            make.customer(f"{place} {word}")


def _candidate_ids(session: Session, key: str) -> set[int]:
    return {hit.customer_id for hit in name_index.similar(session, key)}


def test_index_candidates_include_typos_of_names_and_aliases(
    session: Session, make: Factory
) -> None:
    _crowd(make)
    vertex = make.customer("Vertex Brewing West GmbH")
    union = make.customer("Union Motors International Group", aliases=["UMIG Motorworks"])
    assert vertex.id in _candidate_ids(session, name_key("Vetrex Brewing West"))
    assert union.id in _candidate_ids(session, name_key("Union Motors Internatiional"))
    alias_hits = name_index.similar(session, name_key("UMIG Motorwroks"))
    assert any(h.customer_id == union.id and h.is_alias for h in alias_hits)
    assert _candidate_ids(session, name_key("Qqqzzzxxx")) == set()

    typo = customers.resolve_customer(session, "Vetrex Brewing West")
    assert (typo.customer_id, typo.how) == (vertex.id, "fuzzy")
    by_alias = customers.resolve_customer(session, "UMIG Motorwroks")
    assert (by_alias.customer_id, by_alias.how) == (union.id, "fuzzy")


def test_partial_and_short_names(session: Session, make: Factory) -> None:
    _crowd(make)
    apex_bank = make.customer("Apex Bank GmbH")
    apex_brewing = make.customer("Apex Brewing")
    ab = make.customer("AB Foods")
    make.customer("ABC")

    partial = customers.resolve_customer(session, "apex")
    assert partial.how == "ambiguous"
    assert {c.id for c in partial.candidates} == {apex_bank.id, apex_brewing.id}
    assert customers.resolve_customer(session, "apex bank").customer_id == apex_bank.id
    # two letters: a prefix, and the padded key still has trigrams for the fuzzy step
    assert customers.resolve_customer(session, "ab").customer_id == ab.id
    assert {h.customer_id for h in name_index.lookup(session, prefixes=["ab"])} == {ab.id}
    assert name_index.similar(session, "ab")  # "ab " and " ab" are indexed trigrams
    assert name_index.similar(session, "a") == []


def test_names_written_in_the_transaction_are_found_at_once(
    session: Session, make: Factory
) -> None:
    _crowd(make)
    hooli = make.customer("Hooli Technologies")
    assert customers.resolve_customer(session, "Hooli Technolgies").customer_id == hooli.id

    hooli.name, hooli.name_key = "Nucleus Systems", name_key("Nucleus Systems")
    session.flush()
    assert customers.resolve_customer(session, "Nucleus Systms").customer_id == hooli.id
    assert hooli.id not in _candidate_ids(session, name_key("Hooli Technolgies"))

    alias = CustomerAlias(alias="Pied Piper Labs", alias_key=name_key("Pied Piper Labs"))
    hooli.aliases.append(alias)
    session.flush()
    found = customers.resolve_customer(session, "Pied Pipr Labs")
    assert (found.customer_id, found.how) == (hooli.id, "fuzzy")
    assert customers.resolve_customer(session, "pied piper labs").how == "alias"

    session.execute(delete(CustomerAlias).where(CustomerAlias.id == alias.id))
    session.execute(delete(Customer).where(Customer.id == hooli.id))
    session.expire_all()
    assert not customers.resolve_customer(session, "Nucleus Systms").resolved
    assert not customers.resolve_customer(session, "Pied Pipr Labs").resolved


def test_gazetteer_feed_is_the_customers_a_message_names(session: Session, make: Factory) -> None:
    _crowd(make)
    acme = make.customer("Acme Corp, Inc.", aliases=["ACM"])
    wonka = make.customer("Wonka Industries")
    make.customer("Initech")

    fed = name_index.names_in_text(session, "log call with Acme, then email wonka about it")
    assert [cid for cid, _, _ in fed] == sorted([acme.id, wonka.id])
    assert (acme.id, "Acme Corp, Inc.", ["acm"]) in fed
    assert name_index.names_in_text(session, "what's overdue") == []


def test_one_statement_answers_keys_and_whole_word_prefixes(
    session: Session, make: Factory
) -> None:
    """A message's n-grams and its distinctive words are looked up together, each prefix
    giving its first keys in byte order (the same on both engines), names and aliases, in
    one statement of one text."""
    zeta = make.customer("Zeta Bank")
    zeta_a = make.customer("Zeta Analytics")
    make.customer("Zeta Zoo")
    make.customer("Zetamax")  # "zeta" + a space: a whole word, not "zetamax"
    nova = make.customer("Nova Labs", aliases=["Polaris Nova"])
    statements: list[str] = []
    listen = event.listens_for(session.get_bind(), "before_cursor_execute")

    @listen
    def count(*args: object) -> None:
        statements.append(str(args[2]))

    hits = name_index.lookup(session, keys=["nova labs", "nobody"], prefixes=["zeta", "polaris"])
    name_index.lookup(session, keys=["zeta zoo"], prefixes=["nova", "zeta", "acme"])
    event.remove(session.get_bind(), "before_cursor_execute", count)
    # one statement per look-up, whose text does not change with the number of keys and
    # prefixes: compiled once per process, prepared once per connection
    assert len(statements) == 2 and statements[0] == statements[1]
    found = {(h.customer_id, h.key, h.is_alias) for h in hits}
    assert found == {
        (nova.id, "nova labs", False),
        (zeta_a.id, "zeta analytics", False),  # "zeta a..." < "zeta b..." < "zeta z..."
        (zeta.id, "zeta bank", False),
        (nova.id, "polaris nova", True),
    }
    assert name_index.lookup(session) == []


def test_a_typo_beside_a_common_word_is_found(
    session: Session, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Boreal Labbs": the piece " boreal" is in more names than a piece may return and
    " labbs " in none; the common piece with a trigram of the missed one finds the name."""
    monkeypatch.setattr(name_index, "PIECE_CAP", 4)
    for word in ("Mining", "Foods", "Energy", "Textiles", "Motors", "Water"):
        make.customer(f"Boreal {word}")
    labs = make.customer("Boreal Labs")
    assert labs.id in _candidate_ids(session, name_key("Boreal Labbs"))
    found = customers.resolve_customer(session, "Boreal Labbs")
    assert (found.customer_id, found.how) == (labs.id, "fuzzy")
