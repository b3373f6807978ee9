"""Customer segments from recency, frequency and monetary value (RFM).

Per customer, aggregated in SQL: recency = days since the last interaction; frequency =
interactions in the last 365 days; monetary = lifetime value of won deals. Each is scored 1..5
by quintile (cume_dist) among customers that have one (5 = most recent / most frequent /
most valuable); no interaction gives R = 0, no frequency F = 0, nothing won M = 0.

- top:       M = 5 and seen within 90 days: the best customers, still engaged.
- loyal:     F >= 4 and seen within 90 days: talk to us often, whatever they spend.
- at_risk:   (M >= 3 or F >= 3) and not seen for over 90 days, not a former customer: valuable
             or engaged once, gone quiet; the churn list.
- dormant:   not seen for over 180 days (or never) and M <= 2, not new: little value, no contact.
- potential: seen within 30 days and M <= 2: active now, not (yet) spending much.
- new:       created in the last 30 days.
A customer can be in several segments (e.g. new and potential).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.models import Customer, Deal, Interaction
from crm_core.models.base import utcnow
from crm_core.models.enums import Lifecycle, Segment, Stage
from crm_core.models.types import as_utc
from crm_core.money import deal_totals
from crm_core.validation import clean_choice


@dataclass(frozen=True)
class RFM:
    customer_id: int
    name: str
    owner_id: int | None
    lifecycle: str
    created_at: datetime
    recency_days: int | None
    frequency: int
    monetary: Decimal
    r: int
    f: int
    m: int


def _scores(values: list[float]) -> list[int]:
    """Quintile score 1..5 of each value among the positive ones (cume_dist), 0 for none."""
    ranked = sorted(v for v in values if v > 0)
    n = len(ranked)
    out = []
    for v in values:
        if v <= 0 or n == 0:
            out.append(0)
            continue
        cume = bisect.bisect_right(ranked, v) / n
        out.append(min(5, max(1, int(cume * 5 - 1e-9) + 1)))
    return out


def rfm_table(session: Session, *, now: datetime | None = None) -> list[RFM]:
    now = now or utcnow()
    year_ago = now - timedelta(days=365)
    last = (
        select(
            Interaction.customer_id.label("cid"), func.max(Interaction.occurred_at).label("last_at")
        )
        .group_by(Interaction.customer_id)
        .subquery()
    )
    freq = (
        select(Interaction.customer_id.label("cid"), func.count(Interaction.id).label("n"))
        .where(Interaction.occurred_at >= year_ago)
        .group_by(Interaction.customer_id)
        .subquery()
    )
    # Monetary value: exact, in the team currency (other currencies at the configured rates).
    won = deal_totals(session, Deal.stage == Stage.WON.value, key=Deal.customer_id)
    zero = Decimal("0.00")
    values = {cid: total.amount for cid, total in won.items()}
    rows = session.execute(
        select(
            Customer.id,
            Customer.name,
            Customer.owner_id,
            Customer.lifecycle,
            Customer.created_at,
            last.c.last_at,
            func.coalesce(freq.c.n, 0),
        )
        .outerjoin(last, last.c.cid == Customer.id)
        .outerjoin(freq, freq.c.cid == Customer.id)
        .order_by(Customer.id)
    ).all()
    recency = [
        (now - as_utc(r[5])).days if r[5] is not None else None  # type: ignore[operator]
        for r in rows
    ]
    # Recency scores: more recent is better, so score the negated age among the contacted.
    r_scores = _scores([(100_000 - d) if d is not None else 0 for d in recency])
    f_scores = _scores([float(r[6]) for r in rows])
    m_scores = _scores([float(values.get(r[0], zero)) for r in rows])
    return [
        RFM(
            cid,
            name,
            owner,
            lifecycle,
            as_utc(created) or now,
            rec,
            int(n),
            values.get(cid, zero),
            rs,
            fs,
            ms,
        )
        for (cid, name, owner, lifecycle, created, _last, n), rec, rs, fs, ms in zip(
            rows, recency, r_scores, f_scores, m_scores, strict=True
        )
    ]


def in_segment(row: RFM, segment: Segment, now: datetime) -> bool:
    seen = row.recency_days
    is_new = row.created_at >= now - timedelta(days=30)
    if segment is Segment.TOP:
        return row.m == 5 and seen is not None and seen <= 90
    if segment is Segment.LOYAL:
        return row.f >= 4 and seen is not None and seen <= 90
    if segment is Segment.AT_RISK:
        return (
            (row.m >= 3 or row.f >= 3)
            and seen is not None
            and seen > 90
            and row.lifecycle != Lifecycle.FORMER.value
        )
    if segment is Segment.DORMANT:
        return (seen is None or seen > 180) and row.m <= 2 and not is_new
    if segment is Segment.POTENTIAL:
        return seen is not None and seen <= 30 and row.m <= 2
    return is_new


def segment_customers(
    session: Session,
    segment: str,
    *,
    now: datetime | None = None,
    limit: int | None = None,
    owner_ids: list[int] | None = None,
) -> list[RFM]:
    """Members of a segment, most valuable first (then most recent)."""
    now = now or utcnow()
    which = clean_choice(segment, Segment, field="segment")
    members = [
        row
        for row in rfm_table(session, now=now)
        if in_segment(row, which, now) and (owner_ids is None or row.owner_id in owner_ids)
    ]
    members.sort(
        key=lambda r: (-r.monetary, r.recency_days if r.recency_days is not None else 10**9, r.name)
    )
    return members[:limit] if limit else members
