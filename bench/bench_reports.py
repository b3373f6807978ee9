"""Report benchmark on an existing large demo database (build it once with `crmbot demo`).

    python bench/bench_reports.py --db sqlite:////tmp/agg100k.db [--samples 50] [--direct]

Measures p50/p99 of the pipeline by every grouping (all open deals, this quarter, and a
period that does not start or end on a month boundary), the forecast (all reps, one team,
one rep) and rep performance (quarter, last 7 days), each call its own transaction, as the
bot runs them. `--direct` measures the same calls computed from the deals themselves (the
reference the aggregates are tested against) instead of the maintained aggregates. Target
(issue #15): pipeline and forecast p99 under 150 ms at 1 M customers on both engines.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm_core.database import open_database  # noqa: E402
from crm_core.models import Deal, User  # noqa: E402
from crm_core.periods import quarter_of  # noqa: E402
from crm_core.services import performance, reports  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--direct", action="store_true", help="from the deals, not aggregates")
    args = parser.parse_args()
    database = open_database(args.db)
    # Older code has no `direct` switch: then every call is what that code does.
    extra: dict[str, Any] = {}
    if "direct" in inspect.signature(reports.pipeline_report).parameters:
        extra = {"direct": args.direct}
    elif args.direct:
        raise SystemExit("this version of the code has no direct path")
    with database.transaction() as s:
        rep = s.scalars(select(User).where(User.name == "alex")).one()
        team = [u for u in s.scalars(select(User.id).where(User.team == rep.team))]
        deals = s.query(Deal).count()
    quarter = quarter_of(NOW.date())
    odd = (NOW.date() - timedelta(days=10), NOW.date() + timedelta(days=30))
    week = (NOW.date() - timedelta(days=6), NOW.date())
    print(f"report benchmark on {args.db} ({deals} deals){' direct' if args.direct else ''}")

    def run(label: str, fn: Callable[[Any], object]) -> None:
        samples = []
        for _ in range(args.samples):
            t0 = time.perf_counter()
            with database.transaction() as s:
                fn(s)
            samples.append((time.perf_counter() - t0) * 1000)
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        print(f"  {label:<40} p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   (n={len(samples)})")

    for group in reports.GROUPS:

        def by_group(s: Any, group: str = group) -> object:
            return reports.pipeline_report(s, group_by=group, **extra)

        run(f"pipeline by {group}", by_group)
    run(
        "pipeline by stage, this quarter",
        lambda s: reports.pipeline_report(s, group_by="stage", period=quarter, **extra),
    )
    run(
        "pipeline by owner, -10..+30 days",
        lambda s: reports.pipeline_report(s, group_by="owner", period=odd, **extra),
    )
    run("forecast this quarter (all reps)", lambda s: reports.forecast(s, period=quarter, **extra))
    run(
        "forecast this quarter (one team)",
        lambda s: reports.forecast(s, period=quarter, owner_ids=team, **extra),
    )
    run(
        "forecast this quarter (one rep)",
        lambda s: reports.forecast(s, period=quarter, owner_ids=[rep.id], **extra),
    )
    run(
        "rep performance this quarter",
        lambda s: performance.rep_performance(s, period=quarter, **extra),
    )
    run(
        "rep performance last 7 days (team)",
        lambda s: performance.rep_performance(s, period=week, team=rep.team, **extra),
    )
    database.dispose()


if __name__ == "__main__":
    main()
