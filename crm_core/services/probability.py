"""The win probability the forecast uses for a deal, as one SQL expression.

Rule: won counts 1 and lost 0; an open deal uses its own probability if a rep set one, else
its stage's default (pipeline_stages.default_probability), else the stage's historical win
rate (of closed deals that ever passed through that stage, the share that was won), else 0.
"""

from __future__ import annotations

from sqlalchemy import Float, Select, case, cast, distinct, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from crm_core.models import Deal, DealStageChange, PipelineStage
from crm_core.models.enums import Stage


def historical_win_rates() -> Select[tuple[str, float]]:
    passed = (
        select(DealStageChange.to_stage.label("stage"), DealStageChange.deal_id.label("deal_id"))
        .distinct()
        .subquery("passed")
    )
    won = func.sum(case((Deal.stage == Stage.WON.value, 1), else_=0))
    return (
        select(
            passed.c.stage.label("stage"),
            (cast(won, Float) / func.count(distinct(Deal.id))).label("rate"),
        )
        .join(Deal, Deal.id == passed.c.deal_id)
        .where(Deal.stage.in_([Stage.WON.value, Stage.LOST.value]))
        .group_by(passed.c.stage)
    )


def effective_probability(stage_defaults: object, win_rates: object) -> ColumnElement[float]:
    """Expression over `deals` joined to the stage table and the win-rate subquery."""
    return case(
        (Deal.stage == Stage.WON.value, literal(1.0)),
        (Deal.stage == Stage.LOST.value, literal(0.0)),
        else_=func.coalesce(
            cast(Deal.probability, Float),
            cast(stage_defaults.c.default_probability, Float),  # type: ignore[attr-defined]
            win_rates.c.rate,  # type: ignore[attr-defined]
            literal(0.0),
        ),
    )


def with_probability(query: Select, *columns: object) -> tuple[Select, ColumnElement[float]]:
    """Join what the probability needs onto a query over deals; returns it and the expression."""
    stages = select(PipelineStage.name, PipelineStage.default_probability).subquery("stages")
    rates = historical_win_rates().subquery("win_rates")
    query = query.outerjoin(stages, stages.c.name == Deal.stage).outerjoin(
        rates, rates.c.stage == Deal.stage
    )
    return query, effective_probability(stages, rates)
