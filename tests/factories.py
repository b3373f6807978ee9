"""Small builders for test data, going through the real services (so audit and validation
run too) unless a test needs raw rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from crm_core.models import Customer, Deal, Interaction, User
from crm_core.services import customers, deals, interactions, users
from crm_core.services.context import Actor


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

    def user(self, name: str | None = None, **kwargs: object) -> User:
        self._n += 1
        return users.create_user(
            session=self.session, actor=self.system, name=name or f"rep{self._n}", **kwargs
        )  # type: ignore[arg-type]

    def customer(self, name: str, **kwargs: object) -> Customer:
        return customers.create_customer(
            session=self.session, actor=self.system, name=name, **kwargs
        )  # type: ignore[arg-type]

    def deal(self, customer: Customer, amount: object, **kwargs: object) -> Deal:
        kwargs.setdefault("now", self.now)
        return deals.create_deal(
            session=self.session,
            actor=self.system,
            customer_id=customer.id,
            amount=amount,
            **kwargs,
        )  # type: ignore[arg-type]

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
