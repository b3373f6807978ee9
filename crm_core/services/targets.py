"""Targets (quotas) per team or rep per period, and how far a forecast has come towards one.

Money is Decimal from the typed text to the database ("1.2M" is exactly 1,200,000.00, never a
float's 1199999.99...). A forecast's period finds its target by exact bounds, or by targets
of one kind that tile it exactly (four quarterly targets make a yearly one), so a forecast
never quotes a target for a different stretch of time than its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, ValidationError
from crm_core.models import Target, User
from crm_core.models.enums import Role
from crm_core.models.types import CENT
from crm_core.periods import month_end, quarter_bounds
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.services.users import find_user, require_role

MAX_AMOUNT = Decimal("999999999999.99")  # NUMERIC(14, 2)
SUFFIXES = {"": Decimal(1), "k": Decimal(1000), "m": Decimal(1_000_000), "b": Decimal(10**9)}
_AMOUNT = re.compile(r"^\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([kmb]?)$", re.I)
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*q([1-4])$|^q([1-4])\s*[- ]?\s*(\d{4})$", re.I)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A target's period as typed in canonical form ("2026-Q4") and its inclusive bounds."""

    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Subject:
    """Whose target: a team or one user."""

    key: str  # "team:east" / "user:12"
    team: str | None
    user_id: int | None
    label: str  # "team east" / "Dana Scully"


@dataclass(frozen=True)
class TargetRow:
    id: int
    subject: str  # "team east" / "Dana Scully"
    period: str
    start: date
    end: date
    amount: Decimal


@dataclass(frozen=True)
class Progress:
    """Where `actual` stands against `target`."""

    actual: Decimal
    target: Decimal
    percent: int  # whole percent, 88 for 87.8 %; never 100 while short of the target
    remaining: Decimal  # > 0: to go; < 0: over the target by -remaining

    @property
    def reached(self) -> bool:
        return self.remaining <= 0


def parse_period(text: str) -> Period:
    """ "2026-Q4" (also "q4 2026"), "2026-11" or "2026" as a Period."""
    raw = " ".join(text.strip().split())
    if m := _QUARTER.match(raw):
        year, quarter = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        start, end = quarter_bounds(year, quarter)
        return Period(f"{year}-Q{quarter}", start, end)
    if m := _MONTH.match(raw):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValidationError(f"{text!r}: a month is 01 to 12", field="period")
        return Period(f"{year}-{month:02d}", date(year, month, 1), month_end(year, month))
    if m := _YEAR.match(raw):
        year = int(m[1])
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    raise ValidationError(
        f"{text!r} is not a period: write a quarter (2026-Q4), a month (2026-11) or a year (2026)",
        field="period",
    )


def parse_amount(text: str | Decimal | int) -> Decimal:
    """ "500k", "1.2M", "150000", "$150,000.50" as an exact amount in cents."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        m = _AMOUNT.match(text.strip().replace(" ", ""))
        if m is None:
            raise ValidationError(
                f"{text!r} is not an amount: write 500k, 1.2M or 150000", field="amount"
            )
        try:
            value = Decimal(m[1].replace(",", "")) * SUFFIXES[m[2].lower()]
        except InvalidOperation as exc:
            raise ValidationError(f"{text!r} is not an amount", field="amount") from exc
    if value <= 0:
        raise ValidationError("a target must be more than zero", field="amount")
    if value > MAX_AMOUNT:
        raise ValidationError("that target is too large", field="amount")
    if value != value.quantize(CENT):
        raise ValidationError(f"{text!r} has fractions of a cent", field="amount")
    return value.quantize(CENT)


def team_subject(team: str) -> Subject:
    name = team.strip().lower()
    return Subject(f"team:{name}", name, None, f"team {name}")


def user_subject(user: User) -> Subject:
    return Subject(f"user:{user.id}", None, user.id, user.display_name)


def resolve_subject(session: Session, name: str) -> Subject:
    """A person (handle or name) or a team; "team:east" / "user:dana" when both exist."""
    raw = name.strip()
    kind, _, rest = raw.partition(":")
    if rest and kind.lower() in ("team", "user"):
        if kind.lower() == "team":
            return _team_or_fail(session, rest)
        user = find_user(session, rest)
        if user is None:
            raise NotFound(f"no user {rest!r}")
        return user_subject(user)
    user = find_user(session, raw)
    is_team = _team_exists(session, raw)
    if user is not None and is_team:
        raise ValidationError(
            f"{raw!r} is both a team and a person: write team:{raw.lower()} or user:{raw}",
            field="subject",
        )
    if user is not None:
        return user_subject(user)
    return _team_or_fail(session, raw)


def _team_exists(session: Session, team: str) -> bool:
    key = team.strip().lower()
    return session.scalar(select(User.id).where(User.team == key).limit(1)) is not None


def _team_or_fail(session: Session, team: str) -> Subject:
    if not _team_exists(session, team):
        raise NotFound(f"no user or team called {team.strip()!r}")
    return team_subject(team)


@atomic
def set_target(
    *, session: Session, actor: Actor, subject: Subject, period: Period, amount: Decimal
) -> Target:
    """Set (or replace) the subject's target for the period. The command line (a system
    actor) and admins may set any; a manager only their own team's and its members'."""
    if actor.platform != "system" or actor.user_id is not None:
        setter = require_role(session, actor, Role.MANAGER, Role.ADMIN)
        if setter.role == Role.MANAGER.value and not _in_team(session, subject, setter.team):
            raise ValidationError(f"{setter.display_name} may set targets for their own team only")
    target = session.scalar(
        select(Target).where(Target.subject == subject.key, Target.period == period.label)
    )
    before = snapshot(target) if target is not None else None
    if target is None:
        target = Target(
            subject=subject.key,
            team=subject.team,
            user_id=subject.user_id,
            period=period.label,
            starts_on=period.start,
            ends_on=period.end,
            amount=amount,
        )
        session.add(target)
    else:
        target.amount = amount
    session.flush()
    record(session, actor, "target.set", target, before=before, after=snapshot(target))
    return target


def _in_team(session: Session, subject: Subject, team: str | None) -> bool:
    if team is None:
        return False
    if subject.team is not None:
        return subject.team == team
    user = session.get(User, subject.user_id)
    return user is not None and user.team == team


def list_targets(session: Session, *, period: Period | None = None) -> list[TargetRow]:
    """Every target, by period then team then person."""
    query = select(Target, User.display_name).outerjoin(User, User.id == Target.user_id)
    if period is not None:
        query = query.where(Target.starts_on >= period.start, Target.ends_on <= period.end)
    rows = [
        TargetRow(
            t.id,
            f"team {t.team}" if t.team is not None else (name or t.subject),
            t.period,
            t.starts_on,
            t.ends_on,
            t.amount,
        )
        for t, name in session.execute(query)
    ]
    rows.sort(key=lambda r: (r.start, r.end, not r.subject.startswith("team "), r.subject))
    return rows


def target_for(session: Session, subject: Subject, period: tuple[date, date]) -> Decimal | None:
    """The subject's target for exactly `period`: a target with those bounds, else the sum
    of targets that tile it without gaps or overlaps (months in a quarter); None otherwise."""
    start, end = period
    targets = list(
        session.scalars(
            select(Target)
            .where(
                Target.subject == subject.key,
                Target.starts_on >= start,
                Target.ends_on <= end,
            )
            .order_by(Target.starts_on, Target.ends_on)
        )
    )
    for t in targets:
        if t.starts_on == start and t.ends_on == end:
            return t.amount
    # Tiling by one kind of period (all months, or all quarters) keeps overlaps out.
    for kind in sorted({_kind(t.period) for t in targets}):
        tiles = [t for t in targets if _kind(t.period) == kind]
        if tiles and tiles[0].starts_on == start and tiles[-1].ends_on == end:
            contiguous = all(
                (b.starts_on - a.ends_on).days == 1 for a, b in zip(tiles, tiles[1:], strict=False)
            )
            if contiguous:
                return sum((t.amount for t in tiles), Decimal("0.00"))
    return None


def _kind(label: str) -> str:
    """year / quarter / month, from a canonical period label."""
    if "Q" in label:
        return "quarter"
    return "month" if "-" in label else "year"


def whole(amount: Decimal) -> Decimal:
    """To the whole unit, half up (Decimal's own default would round half to even)."""
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def progress(actual: Decimal, target: Decimal) -> Progress:
    """How far `actual` is towards `target`, in whole percent, exactly from Decimals."""
    share = (actual * 100 / target).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    percent = int(share)
    if actual < target and percent >= 100:
        percent = 99  # "100 %" while money is still to go would read as done
    return Progress(actual, target, percent, (target - actual).quantize(CENT))
