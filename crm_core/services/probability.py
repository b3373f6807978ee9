"""The win probability the forecast uses for a deal, as one SQL expression.

Rule: won counts 1 and lost 0; an open deal uses its own probability if a rep set one, else
its stage's default (pipeline_stages.default_probability), else the stage's historical win
rate (of closed deals that ever passed through that stage, the share that was won), else 0.

The historical rates read the stage history of every closed deal (a few hundred thousand rows
on a large database, ~0.2 s on SQLite), yet only change when a deal closes or reopens: the
history of an open deal counts for nothing until then. So they are computed once per process
and database and recomputed when the closed deals' fingerprint changes: how many are won, how
many lost, and the latest close (index-only reads, ~3 ms). A deal reopened and closed again
between two reads with a back-dated clock could leave its extra stages uncounted until the
next close; no other change goes unseen. A transaction that itself changed stage history
computes fresh rates and does not cache them: it may still roll back, and its fingerprint
could come again with other rows.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Float, Select, case, cast, event, func, literal, select
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.elements import ColumnElement

from crm_core.db import engine_key
from crm_core.models import Deal, DealStageChange, PipelineStage
from crm_core.models.enums import Stage

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], dict[str, float]]] = {}
_TOUCHED = "crmbot.stage_history_touched"


@event.listens_for(Session, "after_flush")
def _note_history_change(session: Session, _context: Any) -> None:
    if any(isinstance(obj, DealStageChange) for obj in (*session.new, *session.deleted)):
        session.info[_TOUCHED] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_history_change(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_TOUCHED, None)


def historical_win_rates_query() -> Select[str, float]:
    """Per stage: of the closed deals that ever passed through it, the share won."""
    passed = (
        select(DealStageChange.deal_id, DealStageChange.to_stage, Deal.stage.label("outcome"))
        .join(Deal, Deal.id == DealStageChange.deal_id)
        .where(Deal.stage.in_([Stage.WON.value, Stage.LOST.value]))
        .distinct()
        .subquery("passed")
    )
    won = func.sum(case((passed.c.outcome == Stage.WON.value, 1), else_=0))
    return select(passed.c.to_stage, cast(won, Float) / func.count()).group_by(passed.c.to_stage)


def historical_win_rates(session: Session) -> dict[str, float]:
    if session.info.get(_TOUCHED):
        return _compute(session)
    key = engine_key(session)
    fingerprint = _closed_deals_fingerprint(session)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
    rates = _compute(session)
    with _lock:
        _cache[key] = (fingerprint, rates)
    return rates


def _closed_deals_fingerprint(session: Session) -> tuple[object, ...]:
    counts = dict(
        session.execute(
            select(Deal.stage, func.count())
            .where(Deal.stage.in_([Stage.WON.value, Stage.LOST.value]))
            .group_by(Deal.stage)
        ).all()
    )
    latest = session.scalar(select(func.max(Deal.closed_at)))
    return counts.get(Stage.WON.value, 0), counts.get(Stage.LOST.value, 0), latest


def _compute(session: Session) -> dict[str, float]:
    return {stage: float(rate) for stage, rate in session.execute(historical_win_rates_query())}


def clear() -> None:
    with _lock:
        _cache.clear()


def with_probability(session: Session, query: Select) -> tuple[Select, ColumnElement[float]]:
    """Join the stage defaults onto a query over deals; returns it and the probability
    expression, with the historical rates inlined as literals."""
    stages = select(PipelineStage.name, PipelineStage.default_probability).subquery("stages")
    rates = historical_win_rates(session)
    query = query.outerjoin(stages, stages.c.name == Deal.stage)
    historical: ColumnElement[float]
    if rates:
        historical = case(
            *((Deal.stage == stage, literal(rate)) for stage, rate in sorted(rates.items())),
            else_=literal(0.0),
        )
    else:
        historical = literal(0.0)
    probability = case(
        (Deal.stage == Stage.WON.value, literal(1.0)),
        (Deal.stage == Stage.LOST.value, literal(0.0)),
        else_=func.coalesce(
            cast(Deal.probability, Float),
            cast(stages.c.default_probability, Float),
            historical,
        ),
    )
    return query, probability
