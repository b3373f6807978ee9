"""Customers: create, alias, merge duplicates, and resolve a typed name to a record."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.addressing import is_addressed, without_address
from crm_core.errors import DuplicateError, NotFound, ValidationError
from crm_core.models import (
    Contact,
    Customer,
    CustomerAlias,
)
from crm_core.models.enums import Lifecycle
from crm_core.names import name_key
from crm_core.services import name_index as name_search
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.validation import clean_choice, clean_email, clean_name, clean_phone

# A fuzzy match is used on its own only when it is this good and clearly ahead of the next.
FUZZY_ACCEPT = 88.0
FUZZY_CANDIDATE = 70.0
FUZZY_MARGIN = 6.0
# A whole-word prefix shared by more customers than this is offered as a choice of the first.
PREFIX_LIMIT = 50


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """What a typed name resolved to. `customer_id` is None when it did not resolve to one
    record: then `candidates` holds the choices (empty when nothing came close)."""

    query: str
    customer_id: int | None = None
    name: str | None = None
    score: float = 0.0
    how: str = "none"  # exact | alias | prefix | fuzzy | none | ambiguous
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.customer_id is not None

    @property
    def is_exact(self) -> bool:
        return self.how in ("exact", "alias")


def _key_or_error(name: str) -> str:
    key = name_key(clean_name(name, field="customer name"))
    if not key:
        raise ValidationError(f"{name!r} has no letters or digits to match", field="customer")
    return key


def resolve_customer(session: Session, name: str, *, limit: int = 5) -> Resolution:
    """Exact name or alias first, then whole-word prefix ("acme" -> "Acme Corp, Inc."), then
    fuzzy: the database's trigram index proposes a few dozen candidates and rapidfuzz ranks
    them. Ties are returned as candidates, never guessed."""
    key = _key_or_error(name)
    # the exact key and the whole-word prefix in one statement
    found = name_search.lookup(session, keys=[key], prefixes=[key], prefix_limit=PREFIX_LIMIT)
    hits = [hit for hit in found if hit.key == key]
    names = {hit.customer_id: hit.name for hit in hits}
    if len(names) == 1:
        cid = hits[0].customer_id
        how = "alias" if all(hit.is_alias for hit in hits) else "exact"
        return Resolution(name, cid, names[cid], 100.0, how)
    if len(names) > 1:
        return _ambiguous(name, names, dict.fromkeys(names, 100.0), limit)

    prefixed = _first_ids([hit for hit in found if hit.key != key])
    if len(prefixed) == 1:
        cid, first = next(iter(prefixed.items()))
        return Resolution(name, cid, first, 95.0, "prefix")
    if len(prefixed) > 1:
        return _ambiguous(name, prefixed, dict.fromkeys(prefixed, 95.0), limit)

    candidates = name_search.similar(session, key)
    names = {hit.customer_id: hit.name for hit in candidates}
    scores = _fuzzy_scores(candidates, key, limit)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], names[item[0]]))
    if not ranked:
        return Resolution(name)
    best_id, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= FUZZY_ACCEPT and best - runner_up >= FUZZY_MARGIN:
        return Resolution(
            name,
            best_id,
            names[best_id],
            best,
            "fuzzy",
            [Candidate(cid, names[cid], s) for cid, s in ranked[:limit]],
        )
    return _ambiguous(name, names, dict(ranked), limit)


def _first_ids(hits: list[name_search.NameHit]) -> dict[int, str]:
    """Customers of whole-word prefix hits in key order, until PREFIX_LIMIT customers."""
    found: dict[int, str] = {}
    for hit in sorted(hits, key=lambda h: h.key):
        found.setdefault(hit.customer_id, hit.name)
        if len(found) >= PREFIX_LIMIT:
            break
    return found


def _fuzzy_scores(candidates: list[name_search.NameHit], key: str, limit: int) -> dict[int, float]:
    """Best score per customer, with plain edit-distance ratio over the index's candidates.
    (WRatio's partial matching rates short aliases like "ste" 90 against anything containing
    those letters.)"""
    scores: dict[int, float] = {}
    for _, score, found in process.extract(
        key,
        [hit.key for hit in candidates],
        scorer=fuzz.ratio,
        processor=None,
        limit=limit * 3,
        score_cutoff=FUZZY_CANDIDATE,
    ):
        cid = candidates[found].customer_id
        scores[cid] = max(scores.get(cid, 0.0), float(score))
    return scores


def _ambiguous(
    query: str, names: dict[int, str], scores: dict[int, float], limit: int
) -> Resolution:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], names[item[0]]))[:limit]
    return Resolution(
        query, how="ambiguous", candidates=[Candidate(cid, names[cid], s) for cid, s in ranked]
    )


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"no customer with id {customer_id}")
    return customer


def find_by_key(session: Session, name: str) -> Customer | None:
    key = name_key(name)
    direct = session.scalar(select(Customer).where(Customer.name_key == key).limit(1))
    if direct is not None:
        return direct
    alias = session.scalar(select(CustomerAlias).where(CustomerAlias.alias_key == key).limit(1))
    return alias.customer if alias else None


@atomic
def create_customer(
    *,
    session: Session,
    actor: Actor,
    name: str,
    owner_id: int | None = None,
    region: str | None = None,
    lifecycle: str = Lifecycle.PROSPECT,
    industry: str | None = None,
    aliases: list[str] | None = None,
) -> Customer:
    name = clean_name(name, field="customer name")
    key = _key_or_error(name)
    existing = find_by_key(session, name)
    if existing is not None:
        raise DuplicateError(f"customer {existing.name!r} exists already", existing)
    customer = Customer(
        name=name,
        name_key=key,
        owner_id=owner_id,
        region=region.strip() if region else None,
        lifecycle=clean_choice(lifecycle, Lifecycle, field="lifecycle").value,
        industry=industry,
    )
    for alias in aliases or []:
        alias = clean_name(alias, field="alias")
        customer.aliases.append(CustomerAlias(alias=alias, alias_key=name_key(alias)))
    session.add(customer)
    session.flush()
    record(session, actor, "customer.create", customer, after=snapshot(customer))
    return customer


@atomic
def add_alias(*, session: Session, actor: Actor, customer_id: int, alias: str) -> CustomerAlias:
    customer = get_customer(session, customer_id)
    alias = clean_name(alias, field="alias")
    key = _key_or_error(alias)
    other = find_by_key(session, alias)
    if other is not None and other.id != customer.id:
        raise DuplicateError(f"{alias!r} already names {other.name!r}", other)
    found = next((a for a in customer.aliases if a.alias_key == key), None)
    if found is not None or customer.name_key == key:
        raise DuplicateError(f"{customer.name!r} is already known as {alias!r}", customer)
    entry = CustomerAlias(alias=alias, alias_key=key)
    customer.aliases.append(entry)
    session.flush()
    record(session, actor, "customer.alias", customer, after={"alias": alias})
    return entry


@atomic
def add_contact(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    title: str | None = None,
) -> Contact:
    customer = get_customer(session, customer_id)
    # "Ms. Anna Kowalska" is saved as Anna Kowalska: the form of address is how she was
    # written to, not her name (find_contact reads it back either way)
    name = without_address(clean_name(name, field="contact name", max_len=120))
    email = clean_email(email)
    existing = find_contact(session, customer.id, name)
    if existing is not None or (
        email
        and session.scalar(
            select(Contact.id).where(Contact.customer_id == customer.id, Contact.email == email)
        )
    ):
        raise DuplicateError(f"{name} is already a contact at {customer.name}", existing)
    contact = Contact(
        customer_id=customer.id, name=name, email=email, phone=clean_phone(phone), title=title
    )
    session.add(contact)
    session.flush()
    record(session, actor, "contact.create", contact, after=snapshot(contact))
    return contact


def _person_key(name: str) -> str:
    """A person's name as contacts are compared: without its form of address, single-spaced,
    lower-case."""
    return " ".join(without_address(name).split()).lower()


def contacts_named(session: Session, name: str, limit: int = 5) -> list[Contact]:
    """Contacts of any customer whose whole name is `name` (any case, without its form of
    address): whom a person written alone ("met w/ Dale Kowalski") is with. One read of the
    lower(name) index of migration 0014."""
    wanted = _person_key(name)
    if " " not in wanted:  # a first or family name alone says too little across customers
        return []
    rows = session.scalars(
        select(Contact).where(func.lower(Contact.name) == wanted).order_by(Contact.id).limit(limit)
    )
    return list(rows)


def find_contact(session: Session, customer_id: int, name: str) -> Contact | None:
    """A contact at this customer by full name, or by first name when only one matches. A
    name with a form of address ("Mr. Goh", "Tanaka-san") is the person's family name, which
    may come first or last ("Goh Wei Ming", "Hiroshi Tanaka"): any one of the words of a
    single contact's name."""
    wanted = _person_key(name)
    contacts = session.scalars(select(Contact).where(Contact.customer_id == customer_id)).all()
    exact = [c for c in contacts if without_address(c.name).lower() == wanted]
    if exact:
        return exact[0]
    if not wanted or " " in wanted:
        return None
    if is_addressed(name):
        by_word = [c for c in contacts if wanted in without_address(c.name).lower().split()]
        if len(by_word) == 1:
            return by_word[0]
    first = [c for c in contacts if without_address(c.name).lower().split()[0] == wanted]
    return first[0] if len(first) == 1 else None
