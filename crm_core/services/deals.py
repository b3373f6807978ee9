"""Deals: open, change stage / amount / close date / probability, win or lose."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, ValidationError
from crm_core.models import Deal, DealStageChange
from crm_core.models.base import utcnow
from crm_core.models.enums import CLOSED_STAGES, OPEN_STAGES, Lifecycle, Stage
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.services.customers import get_customer
from crm_core.validation import (
    clean_amount,
    clean_choice,
    clean_name,
    clean_probability,
    clean_text,
)

CURRENCY_CODES = frozenset("USD EUR GBP CHF CAD AUD JPY SEK NOK DKK PLN INR BRL MXN SGD".split())
_UNSET = object()


def _currency(value: str) -> str:
    code = value.strip().upper()
    if code not in CURRENCY_CODES:
        raise ValidationError(f"unknown currency {value!r}", field="currency")
    return code


@atomic
def create_deal(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    amount: object,
    name: str | None = None,
    stage: str = Stage.PROSPECTING,
    probability: object = None,
    close_date: date | None = None,
    owner_id: int | None = None,
    currency: str = "USD",
    now: datetime | None = None,
) -> Deal:
    customer = get_customer(session, customer_id)
    now = now or utcnow()
    stage_value = clean_choice(stage, Stage, field="stage").value
    deal = Deal(
        customer_id=customer.id,
        name=clean_name(name or f"{customer.name} deal", field="deal name"),
        amount=clean_amount(amount),
        currency=_currency(currency),
        stage=stage_value,
        probability=clean_probability(probability) if probability is not None else None,
        close_date=close_date,
        owner_id=owner_id if owner_id is not None else actor.user_id,
        last_activity_at=now,
    )
    if stage_value in CLOSED_STAGES:
        deal.closed_at = now
        deal.close_date = close_date or now.date()
    deal.history.append(
        DealStageChange(
            from_stage=None, to_stage=stage_value, changed_at=now, changed_by=actor.user_id
        )
    )
    session.add(deal)
    session.flush()
    record(session, actor, "deal.create", deal, after=snapshot(deal))
    return deal


def get_deal(session: Session, deal_id: int) -> Deal:
    deal = session.get(Deal, deal_id)
    if deal is None:
        raise NotFound(f"no deal #{deal_id}")
    return deal


def open_deals_for(session: Session, customer_id: int) -> list[Deal]:
    return list(
        session.scalars(
            select(Deal)
            .where(Deal.customer_id == customer_id, Deal.stage.in_([s.value for s in OPEN_STAGES]))
            .order_by(Deal.id)
        )
    )


@atomic
def update_deal(
    *,
    session: Session,
    actor: Actor,
    deal_id: int,
    stage: str | None = None,
    amount: object = None,
    close_date: date | None | object = _UNSET,
    probability: object = _UNSET,
    owner_id: int | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> Deal:
    """Change what was given; a stage change is written to the history, and won/lost close
    the deal (closed_at now, close_date the day it closed) and keep the reason given.
    Reopening clears closed_at. A won deal makes its customer a customer (audited too)."""
    deal = get_deal(session, deal_id)
    now = now or utcnow()
    before = snapshot(deal)
    change: DealStageChange | None = None
    if amount is not None:
        deal.amount = clean_amount(amount)
    if close_date is not _UNSET:
        deal.close_date = close_date  # type: ignore[assignment]
    if probability is not _UNSET:
        deal.probability = clean_probability(probability) if probability is not None else None
    if owner_id is not None:
        deal.owner_id = owner_id
    if stage is not None:
        new_stage = clean_choice(stage, Stage, field="stage").value
        if new_stage != deal.stage:
            change = DealStageChange(
                from_stage=deal.stage, to_stage=new_stage, changed_at=now, changed_by=actor.user_id
            )
            deal.history.append(change)
            deal.stage = new_stage
            if new_stage in CLOSED_STAGES:
                deal.closed_at = now
                deal.close_date = now.date() if close_date is _UNSET else deal.close_date
                deal.probability = None
            else:
                deal.closed_at = None
                deal.reason = None
            if new_stage == Stage.WON.value:
                _becomes_customer(session, actor, deal.customer_id)
    if reason and deal.stage in CLOSED_STAGES:
        deal.reason = clean_text(reason, field="reason", max_len=200)
    deal.last_activity_at = now
    session.flush()
    after = snapshot(deal)
    if after == before | {
        "last_activity_at": after["last_activity_at"],
        "updated_at": after["updated_at"],
    }:
        raise ValidationError("nothing to change: give a stage, amount, close date or probability")
    record(
        session,
        actor,
        "deal.update",
        deal,
        before=before,
        after=after,
        extra={"stage_change_id": change.id} if change is not None else None,
    )
    return deal


def _becomes_customer(session: Session, actor: Actor, customer_id: int) -> None:
    """A won deal turns a prospect (or a former customer) into a paying customer."""
    customer = get_customer(session, customer_id)
    if customer.lifecycle == Lifecycle.CUSTOMER.value:
        return
    before = snapshot(customer)
    customer.lifecycle = Lifecycle.CUSTOMER.value
    session.flush()
    record(session, actor, "customer.update", customer, before=before, after=snapshot(customer))
