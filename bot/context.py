"""Everything a handler needs for one message, and the lookups that ask rather than guess."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from bot import format as fmt
from bot import texts
from bot.flow import Choice, NeedConfirm, NeedSlot
from chat.message import Message
from crm_core.models import Customer, User
from crm_core.periods import month_of, quarter_of
from crm_core.services import customers as customer_service
from crm_core.services import users as user_service
from crm_core.services.context import Actor

# Entity keys the engine keeps while asking which customer: the name as typed, and whether
# the person said it is none of the ones offered.
TYPED_CUSTOMER = "typed_customer"
NEW_CUSTOMER = "new_customer"
T = TypeVar("T")
MY = re.compile(r"\b(?:my|mine)\b", re.I)
MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class Recipient:
    user: User | None
    channel: str | None
    name: str  # how the reply calls them: "you", "Dana Scully", "#sales"


@dataclass
class Context:
    session: Session
    user: User
    actor: Actor
    message: Message
    now: datetime
    tz: tzinfo
    intent: str
    entities: dict[str, Any]
    confidence: float
    confirmed: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # e.g. "(matched Acme Corp, Inc.)"
    # Owners whose numbers this message changed (deals, activity): their alert rules are
    # re-evaluated in the same transaction.
    moved: set[int | None] = field(default_factory=set)

    # A list cut short: the offset of its next page (the engine keeps it for "more").
    next_offset: int | None = None

    def page(self, items: list[T], size: int) -> list[T]:
        """This reply's page of a list: `size` items from the `offset` entity (0 at first);
        when more remain, the engine remembers where the next page starts."""
        start = max(0, int(self.entities.get("offset") or 0))
        shown = items[start : start + size]
        if start + size < len(items):
            self.next_offset = start + size
        return shown

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    unsure: str | None = None  # set by the engine when the parser was not sure of the intent

    def ready_to_write(self) -> None:
        """Called by a handler right before its write: an intent the parser was unsure of is
        confirmed here, after any missing details were asked for, never before."""
        if self.unsure is not None:
            self.confirm("intent", self.unsure)

    def confirm(self, key: str, question: str) -> None:
        """Go on only once the person has said yes to `question`."""
        if key not in self.confirmed:
            raise NeedConfirm(key, question)

    def require(self, slot: str, question: str) -> Any:
        value = self.entities.get(slot)
        if value in (None, "", [], {}):
            raise NeedSlot(slot, question)
        return value

    # --- customers -------------------------------------------------------------------
    def customer(
        self, *, write: bool, required: bool = True, question: str = texts.ASK_CUSTOMER
    ) -> Customer | None:
        """The customer the message names. Exact, alias and unique-prefix matches are used
        as they are; a fuzzy match is used for reads (and named in the reply) and confirmed
        for writes; several candidates become a choice; an unknown name on a write offers
        to create the customer."""
        cid = self.entities.get("customer_id")  # only ever set by a choice the person made
        if cid:
            customer = customer_service.get_customer(self.session, int(cid))
            self.entities["customer"] = customer.name
            return customer
        name = self.entities.get("customer")
        if not name:
            person = self._customer_of_contact(str(self.entities.get("contact") or ""))
            if person is not None:
                return person
            if not required:
                return None
            raise NeedSlot("customer", question)
        name = str(name).strip().lstrip("@")
        if self.entities.get(NEW_CUSTOMER):  # "none of these, it's new" to a choice
            return self._new_customer(name, write=write)
        result = customer_service.resolve_customer(self.session, name)
        if not result.is_exact:  # a contact's whole name beats a guess at a company's
            person = self._customer_of_contact(name)
            if person is not None:
                return person
        if result.resolved and result.customer_id is not None:
            customer = customer_service.get_customer(self.session, result.customer_id)
            if result.how == "fuzzy" and write:
                self.confirm(f"fuzzy:{customer.id}", texts.DID_YOU_MEAN.format(name=customer.name))
            if not result.is_exact:
                self.notes.append(texts.MATCHED_NOTE.format(typed=name, name=customer.name))
            self.entities["customer_id"] = customer.id
            return customer
        if result.candidates:
            self.entities.pop("customer", None)
            self.entities[TYPED_CUSTOMER] = name  # offered back if none of these is it
            raise NeedSlot(
                "customer_id",
                texts.WHICH_CUSTOMER_NAMED.format(name=name),
                [Choice(c.name, str(c.id)) for c in result.candidates],
            )
        if not required:  # an optional mention that names nobody we know: leave it out
            self.entities.pop("customer", None)
            return None
        return self._new_customer(name, write=write)

    def _customer_of_contact(self, name: str) -> Customer | None:
        """A person written alone ("met w/ Dale Kowalski") who is a contact: the record is
        with their customer, and they are its contact. Several customers with a contact of
        that name become a choice; None when nobody is so named."""
        if not name.strip():
            return None
        people = customer_service.contacts_named(self.session, name)
        if not people:
            return None
        self.entities.setdefault("contact", name)
        self.entities.pop("customer", None)
        if len({p.customer_id for p in people}) > 1:
            raise NeedSlot(
                "customer_id",
                texts.WHICH_CUSTOMER_OF_CONTACT.format(contact=name),
                [
                    Choice(c.name, str(c.id))
                    for c in {p.customer_id: p.customer for p in people}.values()
                ],
            )
        customer = people[0].customer
        self.entities["customer_id"] = customer.id
        self.notes.append(texts.CONTACT_OF_NOTE.format(contact=name, name=customer.name))
        return customer

    def _new_customer(self, name: str, *, write: bool) -> Customer:
        """A name the CRM does not know: a read says so, a write offers to create it."""
        if not write:
            raise LookupError(texts.UNKNOWN_CUSTOMER.format(name=name))
        self.ready_to_write()
        self.confirm(f"create:{name.lower()}", texts.CREATE_CUSTOMER.format(name=name))
        customer = customer_service.create_customer(
            session=self.session,
            actor=self.actor,
            name=name,
            owner_id=self.user.id,
            region=self.user.region,
        )
        self.entities["customer_id"] = customer.id
        self.notes.append(texts.CREATED_CUSTOMER_NOTE.format(name=customer.name))
        return customer

    # --- people ----------------------------------------------------------------------
    def owner_value(self) -> str | None:
        """Whose records the message is about: the `owner` entity, else "me" when the
        person said "my" or "mine" ("my top 5 accounts"): my always means mine."""
        value = self.entities.get("owner")
        if value:
            return str(value)
        return "me" if MY.search(self.message.text) else None

    def person(self, value: str | None, *, slot: str, question: str) -> User:
        """A user from "me", a mention (<@U123> or its id), a handle or a name."""
        if not value:
            raise NeedSlot(slot, question)
        value = str(value).strip()
        if value.lower() in ("me", "myself", "i", "my"):
            return self.user
        match = MENTION.match(value)
        if match:
            value = match.group(1)
        found = user_service.user_for_identity(
            self.session, self.message.platform, value
        ) or user_service.find_user(self.session, value)
        if found is None:
            self.entities.pop(slot, None)
            raise NeedSlot(slot, texts.UNKNOWN_PERSON.format(name=value, question=question))
        return found

    def recipient(self, question: str) -> Recipient:
        """Who is told: the `target` entity as a channel ("#sales") or a person (default me)."""
        target = str(self.entities.get("target") or "me")
        if target.startswith("#"):
            return Recipient(user=None, channel=target, name=target)
        user = self.person(target, slot="target", question=question)
        return Recipient(
            user=user,
            channel=None,
            name=texts.YOU if user.id == self.user.id else user.display_name,
        )

    # --- time ------------------------------------------------------------------------
    def at(self, value: str | None, *, default_hour: int = 9) -> datetime | None:
        """An entity's ISO date or datetime as an aware datetime in the team's zone; a bare
        date means `default_hour` o'clock that day."""
        if not value:
            return None
        parsed = datetime.fromisoformat(str(value))
        if len(str(value)) <= 10:
            parsed = datetime.combine(parsed.date(), time(default_hour))
        return parsed.replace(tzinfo=self.tz) if parsed.tzinfo is None else parsed

    def day(self, value: str | None) -> date | None:
        return date.fromisoformat(str(value)[:10]) if value else None

    def period(self, default: str = "quarter") -> tuple[date, date]:
        value = self.entities.get("period")
        if isinstance(value, dict) and value.get("start") and value.get("end"):
            return date.fromisoformat(value["start"]), date.fromisoformat(value["end"])
        today = self.today
        if default == "month":
            return month_of(today)
        if default == "week":
            start = today - timedelta(days=today.weekday())
            return start, start + timedelta(days=6)
        return quarter_of(today)

    def when(self, value: datetime) -> str:
        return fmt.when(value, self.tz, today=self.today)
