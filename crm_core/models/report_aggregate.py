"""Totals the reports read instead of the deals: kept by database triggers on every write.

Why: a pipeline, forecast or leaderboard over every deal cost what the number of deals costs
(a full scan of 730,000 deals at a million customers, plus a GROUP BY over every closed deal's
stage history for the win rates). These two tables hold the same sums, a few thousand rows
however many deals there are, and are changed by triggers (migration 0010) in the statement
that changes a deal, its customer's region or its stage history: nothing that writes a deal
(a service, an import, a bulk UPDATE, a merge, an undo, a cascade) can forget them.

`DealAggregate` sums the deals per owner x customer region x stage x close month x currency,
exactly as the reports add them: whole cents, and amount x probability as cents x basis
points split at a million (`crm_core.money.weighted`) for deals with a probability of their
own. A deal without one is weighted by its stage's probability, which changes when a stage
default or a historical win rate does, so its cents are kept apart (`unset_cents`) and
weighted when read. Keys never NULL (a primary key column cannot be): no owner is 0, no
close date is "", a customer without a region is "(none)" (the key the report shows).

`StageOutcome` counts, per stage, the closed deals that ever passed through it, won and lost:
the historical win rate is `won / (won + lost)` (see `services.probability`).

A migration that rebuilds `deals`, `customers` or `deal_stage_history` on SQLite
(`batch_alter_table` with a table copy) drops their triggers and must create them again;
tests/core/test_report_aggregates.py checks they are all there at head.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base

NO_OWNER = 0
NO_CLOSE_MONTH = ""
NO_REGION = "(none)"


class DealAggregate(Base):
    __tablename__ = "deal_aggregates"

    owner_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    region: Mapped[str] = mapped_column(String(60), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    close_month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11"
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    deal_count: Mapped[int] = mapped_column(BigInteger)
    cents: Mapped[int] = mapped_column(BigInteger)
    # Cents of the deals with no probability of their own (weighted by their stage's).
    unset_cents: Mapped[int] = mapped_column(BigInteger)
    # The deals with a probability: sum of (cents // 10**6) x points and (cents % 10**6) x points.
    set_high: Mapped[int] = mapped_column(BigInteger)
    set_low: Mapped[int] = mapped_column(BigInteger)


class StageOutcome(Base):
    __tablename__ = "stage_outcomes"

    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    won: Mapped[int] = mapped_column(BigInteger)
    lost: Mapped[int] = mapped_column(BigInteger)
