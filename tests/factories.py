"""Small builders for test data, going through the real services (so audit and validation
run too) unless a test needs raw rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypedDict, Unpack

from sqlalchemy.orm import Session

from crm_core.models import Customer, Deal, Interaction, User
from crm_core.services import customers, deals, interactions, users
from crm_core.services.context import Actor


class UserFields(TypedDict, total=False):
    """The optional keywords of users.create_user; what a test leaves out keeps the service's
    own default, so the factory never drifts from the real one."""

    display_name: str | None
    role: str
    team: str | None
    region: str | None
    capacity: int
    email: str | None
    timezone: str | None


class CustomerFields(TypedDict, total=False):
    """The optional keywords of customers.create_customer."""

    owner_id: int | None
    region: str | None
    lifecycle: str
    industry: str | None
    aliases: list[str] | None


class DealFields(TypedDict, total=False):
    """The optional keywords of deals.create_deal."""

    name: str | None
    stage: str
    probability: object
    close_date: date | None
    owner_id: int | None
    currency: str
    now: datetime | None


class Factory:
    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.system = Actor.system("tests")
        self._n = 0

    def actor(self, user: User, message_id: str | None = None, platform: str = "console") -> Actor:
        return Actor(
            user_id=user.id,
            label=f"{platform}:{user.name}",
            platform=platform,
            message_id=message_id,
        )

    def user(self, name: str | None = None, **kwargs: Unpack[UserFields]) -> User:
        self._n += 1
        return users.create_user(
            session=self.session, actor=self.system, name=name or f"rep{self._n}", **kwargs
        )

    def customer(self, name: str, **kwargs: Unpack[CustomerFields]) -> Customer:
        return customers.create_customer(
            session=self.session, actor=self.system, name=name, **kwargs
        )

    def deal(self, customer: Customer, amount: object, **kwargs: Unpack[DealFields]) -> Deal:
        kwargs.setdefault("now", self.now)
        return deals.create_deal(
            session=self.session,
            actor=self.system,
            customer_id=customer.id,
            amount=amount,
            **kwargs,
        )

    def touch(
        self, customer: Customer, days_ago: float, kind: str = "call", user: User | None = None
    ) -> Interaction:
        actor = self.actor(user) if user else self.system
        return interactions.log_interaction(
            session=self.session,
            actor=actor,
            customer_id=customer.id,
            kind=kind,
            summary="test",
            occurred_at=self.now - timedelta(days=days_ago),
            now=self.now,
        ).interaction

    def won(
        self, customer: Customer, amount: int, days_ago: int = 10, owner: User | None = None
    ) -> Deal:
        deal = self.deal(
            customer,
            Decimal(amount),
            owner_id=owner.id if owner else None,
            now=self.now - timedelta(days=days_ago + 5),
        )
        return deals.update_deal(
            session=self.session,
            actor=self.system,
            deal_id=deal.id,
            stage="won",
            now=self.now - timedelta(days=days_ago),
        )
