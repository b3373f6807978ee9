"""Targets: typed periods and amounts, one target per subject and period, and which target a
forecast's period is measured against (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, ValidationError
from crm_core.models import AuditEntry, Target
from crm_core.services import targets
from crm_core.services.context import Actor
from tests.factories import Factory


@pytest.mark.parametrize(
    ("typed", "label", "start", "end"),
    [
        ("2026-Q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("q1 2027", "2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
        ("2026-11", "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2028-2", "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(typed: str, label: str, start: date, end: date) -> None:
    assert targets.parse_period(typed) == targets.Period(label, start, end)


@pytest.mark.parametrize("typed", ["2026-Q5", "2026-13", "next quarter", "26", ""])
def test_bad_periods_say_what_to_write(typed: str) -> None:
    with pytest.raises(ValidationError, match="a quarter|a month"):
        targets.parse_period(typed)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("500k", Decimal("500000.00")),
        ("1.2M", Decimal("1200000.00")),
        ("150000", Decimal("150000.00")),
        ("$150,000.50", Decimal("150000.50")),
        ("0.1M", Decimal("100000.00")),  # exact: no float on the way
        ("2.345k", Decimal("2345.00")),
    ],
)
def test_amounts_are_exact(typed: str, amount: Decimal) -> None:
    parsed = targets.parse_amount(typed)
    assert parsed == amount and parsed.as_tuple().exponent == -2


@pytest.mark.parametrize("typed", ["0", "-5k", "1.5x", "k", "1.2345", "2000000000000"])
def test_bad_amounts_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        targets.parse_amount(typed)


def test_set_replaces_and_audits(session: Session, make: Factory, system: Actor) -> None:
    dana = make.user("dana", display_name="Dana Scully", team="east")
    q4 = targets.parse_period("2026-Q4")
    for amount in ("150k", "175k"):
        targets.set_target(
            session=session,
            actor=system,
            subject=targets.resolve_subject(session, "dana"),
            period=q4,
            amount=targets.parse_amount(amount),
        )
    targets.set_target(
        session=session,
        actor=system,
        subject=targets.resolve_subject(session, "east"),
        period=q4,
        amount=targets.parse_amount("500k"),
    )
    assert session.scalar(select(func.count(Target.id))) == 2
    rows = targets.list_targets(session)
    assert [(r.period, r.subject, r.amount) for r in rows] == [
        ("2026-Q4", "team east", Decimal("500000.00")),
        ("2026-Q4", "Dana Scully", Decimal("175000.00")),
    ]
    audits = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "target.set").order_by(AuditEntry.id)
    ).all()
    assert len(audits) == 3
    assert audits[1].data["before"]["amount"] == "150000.00"
    assert audits[1].data["after"]["amount"] == "175000.00"
    assert targets.target_for(session, targets.user_subject(dana), (q4.start, q4.end)) == (
        Decimal("175000.00")
    )


def test_subject_is_a_person_or_a_team(session: Session, make: Factory) -> None:
    make.user("dana", display_name="Dana Scully", team="east")
    make.user("west", display_name="Wes West", team="west")  # a person named like a team
    assert targets.resolve_subject(session, "Dana Scully").key.startswith("user:")
    assert targets.resolve_subject(session, "EAST").key == "team:east"
    with pytest.raises(ValidationError, match="team:west or user:west"):
        targets.resolve_subject(session, "west")
    assert targets.resolve_subject(session, "team:west").key == "team:west"
    assert targets.resolve_subject(session, "user:west").label == "Wes West"
    with pytest.raises(NotFound):
        targets.resolve_subject(session, "north")


def test_a_rep_may_not_set_targets_and_a_manager_only_their_team(
    session: Session, make: Factory
) -> None:
    rep = make.user("alex", team="east")
    manager = make.user("morgan", role="manager", team="east")
    make.user("wes", team="west")
    q4 = targets.parse_period("2026-Q4")
    with pytest.raises(Exception, match="only a manager or an admin"):
        targets.set_target(
            session=session,
            actor=make.actor(rep),
            subject=targets.team_subject("east"),
            period=q4,
            amount=Decimal(1000),
        )
    with pytest.raises(ValidationError, match="own team"):
        targets.set_target(
            session=session,
            actor=make.actor(manager),
            subject=targets.resolve_subject(session, "wes"),
            period=q4,
            amount=Decimal(1000),
        )
    targets.set_target(
        session=session,
        actor=make.actor(manager),
        subject=targets.resolve_subject(session, "alex"),
        period=q4,
        amount=Decimal(1000),
    )
    assert session.scalar(select(func.count(Target.id))) == 1


def test_a_forecast_period_matches_exactly_or_by_tiles(session: Session, system: Actor) -> None:
    east = targets.team_subject("east")
    for period, amount in [("2026-10", "100k"), ("2026-11", "120k"), ("2026-12", "130k")]:
        targets.set_target(
            session=session,
            actor=system,
            subject=east,
            period=targets.parse_period(period),
            amount=targets.parse_amount(amount),
        )
    q4 = (date(2026, 10, 1), date(2026, 12, 31))
    assert targets.target_for(session, east, q4) == Decimal("350000.00")  # three months
    assert targets.target_for(session, east, (date(2026, 11, 1), date(2026, 11, 30))) == (
        Decimal("120000.00")
    )
    # A quarter with a month missing, or a year with one quarter: no target, not a guess.
    assert targets.target_for(session, east, (date(2026, 7, 1), date(2026, 9, 30))) is None
    assert targets.target_for(session, east, (date(2026, 1, 1), date(2026, 12, 31))) is None
    targets.set_target(
        session=session,
        actor=system,
        subject=east,
        period=targets.parse_period("2026-Q4"),
        amount=targets.parse_amount("500k"),
    )
    assert targets.target_for(session, east, q4) == Decimal("500000.00")  # its own beats tiles
    assert targets.target_for(session, targets.team_subject("west"), q4) is None


def test_progress_in_whole_percent() -> None:
    p = targets.progress(Decimal("438881.73"), Decimal("500000.00"))
    assert (p.percent, p.remaining, p.reached) == (88, Decimal("61118.27"), False)
    assert targets.progress(Decimal("499999.00"), Decimal("500000")).percent == 99  # not 100
    over = targets.progress(Decimal("520000"), Decimal("500000"))
    assert (over.percent, over.remaining, over.reached) == (104, Decimal("-20000.00"), True)
    assert targets.whole(Decimal("61118.50")) == Decimal("61119")
