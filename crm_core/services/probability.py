"""The win probability the forecast uses for a deal, as one SQL expression.

Rule: won counts 1 and lost 0; an open deal uses its own probability if a rep set one, else
its stage's default (pipeline_stages.default_probability), else the stage's historical win
rate (of closed deals that ever passed through that stage, the share that was won), else 0.

The historical rates are read from `stage_outcomes`, which triggers keep in the transaction
of every deal or stage-history write (see crm_core/models/report_aggregate.py): a handful of
rows, so nothing is cached and no per-message fingerprint of the closed deals is needed, and
a transaction sees its own closes at once. `historical_win_rates_query` is the same rates
computed from the stage history itself: the reference the counters are tested against.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Float, Select, SQLColumnExpression, case, cast, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from crm_core.models import Deal, DealStageChange, PipelineStage, StageOutcome
from crm_core.models.enums import Stage
from crm_core.money import basis_points


def historical_win_rates_query() -> Select[str, float]:
    """Per stage: of the closed deals that ever passed through it, the share won (computed
    from the whole stage history: the direct reference for `historical_win_rates`)."""
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
    """Per stage, won / (won + lost) from the maintained counters; the same floats the SQL
    division of `historical_win_rates_query` gives (one correctly rounded IEEE division)."""
    return {
        stage: won / (won + lost)
        for stage, won, lost in session.execute(
            select(StageOutcome.stage, StageOutcome.won, StageOutcome.lost)
        )
        if won + lost > 0
    }


def _probability(
    stage: SQLColumnExpression[str],
    own: SQLColumnExpression[Decimal | None] | None,
    default: SQLColumnExpression[Decimal | None],
    rates: dict[str, float],
) -> ColumnElement[float]:
    """The rule above over `stage`, a deal's `own` probability (None: a deal without one)
    and the stage's `default`, with the historical rates inlined as literals."""
    historical: ColumnElement[float]
    if rates:
        historical = case(
            *((stage == name, literal(rate)) for name, rate in sorted(rates.items())),
            else_=literal(0.0),
        )
    else:
        historical = literal(0.0)
    fallbacks = [cast(default, Float), historical]
    if own is not None:
        fallbacks.insert(0, cast(own, Float))
    return case(
        (stage == Stage.WON.value, literal(1.0)),
        (stage == Stage.LOST.value, literal(0.0)),
        else_=func.coalesce(*fallbacks),
    )


def with_probability(
    session: Session, query: Select, *, rates: dict[str, float] | None = None
) -> tuple[Select, ColumnElement[float]]:
    """Join the stage defaults onto a query over deals; returns it and the probability
    expression. `rates`: the historical win rates when the caller has already read them."""
    stages = select(PipelineStage.name, PipelineStage.default_probability).subquery("stages")
    if rates is None:
        rates = historical_win_rates(session)
    query = query.outerjoin(stages, stages.c.name == Deal.stage)
    probability = _probability(Deal.stage, Deal.probability, stages.c.default_probability, rates)
    return query, probability


def stage_points(session: Session, *, rates: dict[str, float] | None = None) -> dict[str, int]:
    """Per stage, the basis points a deal without a probability of its own is weighted by,
    computed by the database with the same expression as `with_probability` (so rounded the
    way the engine rounds it) for the aggregates' `unset_cents`."""
    if rates is None:
        rates = historical_win_rates(session)
    probability = _probability(PipelineStage.name, None, PipelineStage.default_probability, rates)
    return {
        name: int(points)
        for name, points in session.execute(select(PipelineStage.name, basis_points(probability)))
    }
