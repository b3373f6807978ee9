"""The managers' weekly digest measures the quarter's forecast against the team's target and
carries the forecast chart, which survives the outbox's JSON column (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from chat.reply import Reply
from crm_core.services import targets
from crm_core.services.context import Actor
from jobs.charts import is_png
from jobs.digests import sweep_weekly_digests
from tests.factories import Factory
from tests.jobs.helpers import at, outbox


def test_weekly_digest_has_the_target_and_the_chart(
    session: Session, make: Factory, system: Actor
) -> None:
    make.user("boss", role="manager", team="east", timezone="Europe/Paris", display_name="Boss")
    lone = make.user("lone", role="manager", team="north", timezone="Europe/Paris")
    rep = make.user("rep", team="east", display_name="Rep")
    monday = at("2026-11-23T07:00:00+00:00")  # 08:00 in Paris
    acme = make.customer("Acme Corp", owner_id=rep.id)
    make.deal(acme, 40000, owner_id=rep.id, close_date=date(2026, 12, 10), stage="negotiation")
    make.won(make.customer("Globex", owner_id=rep.id), 30000, days_ago=2, owner=rep)
    targets.set_target(
        session=session,
        actor=system,
        subject=targets.team_subject("east"),
        period=targets.parse_period("2026-Q4"),
        amount=Decimal("100000"),
    )
    session.flush()
    assert sweep_weekly_digests(session, now=monday) == 2
    rows = {row.target: row for row in outbox(session, "digest")}
    east = next(Reply.from_dict(r.payload) for t, r in rows.items() if t != f"user:{lone.id}")
    north = Reply.from_dict(rows[f"user:{lone.id}"].payload)
    # won 30,000 in full + 40,000 at negotiation's 70 % = 58,000 of 100,000
    assert "forecast $58,000 for the quarter." in east.text
    assert east.text.endswith(" $58,000 of the $100,000 target, 58 %; $42,000 to go.")
    forecast = {s.title: dict(s.fields) for s in east.sections}["Forecast Oct-Dec 2026"]
    assert forecast["Target"] == "$100,000"
    assert east.attachment is not None and is_png(east.attachment.data)
    assert east.attachment.filename == "forecast-2026-10-01-2026-12-31.png"
    assert "target" not in north.text  # team north has none: no sentence, still a chart
    assert north.attachment is not None and is_png(north.attachment.data)
    assert sweep_weekly_digests(session, now=monday + timedelta(hours=1)) == 0
