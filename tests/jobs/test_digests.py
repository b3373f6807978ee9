"""Digests at a local hour in each person's zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crm_core.models import User
from crm_core.services import tasks
from jobs.digests import sweep_morning_digests, sweep_weekly_digests
from jobs.team_config import set_team_config
from tests.factories import Factory
from tests.jobs.helpers import at, outbox


def _daily_task(session: Session, make: Factory, user: User, start: datetime, days: int) -> None:
    for day in range(days):
        tasks.create_task(
            session=session,
            actor=make.actor(user),
            text=f"call #{day}",
            due_at=start + timedelta(days=day),
        )


def test_morning_digest_at_eight_local_across_the_autumn_dst_change(
    session: Session, make: Factory
) -> None:
    ny = make.user("nyrep", timezone="America/New_York")
    _daily_task(session, make, ny, at("2026-10-30T16:00:00+00:00"), 5)
    # Saturday 31 Oct: EDT (UTC-4), 08:00 local = 12:00 UTC.
    assert sweep_morning_digests(session, now=at("2026-10-31T11:59:00+00:00")) == 0
    assert sweep_morning_digests(session, now=at("2026-10-31T12:00:00+00:00")) == 1
    assert sweep_morning_digests(session, now=at("2026-10-31T20:00:00+00:00")) == 0  # once a day
    # Sunday 1 Nov, clocks went back at 02:00: EST (UTC-5), 08:00 local = 13:00 UTC.
    assert sweep_morning_digests(session, now=at("2026-11-01T12:00:00+00:00")) == 0
    assert sweep_morning_digests(session, now=at("2026-11-01T13:00:00+00:00")) == 1
    # Monday 2 Nov, still 13:00 UTC.
    assert sweep_morning_digests(session, now=at("2026-11-02T12:30:00+00:00")) == 0
    assert sweep_morning_digests(session, now=at("2026-11-02T13:00:00+00:00")) == 1
    rows = outbox(session, "digest")
    assert [r.due_at for r in rows] == [
        at("2026-10-31T12:00:00+00:00"),
        at("2026-11-01T13:00:00+00:00"),
        at("2026-11-02T13:00:00+00:00"),
    ]
    assert [r.idempotency_key for r in rows] == [
        f"digest:user-{ny.id}:2026-10-31",
        f"digest:user-{ny.id}:2026-11-01",
        f"digest:user-{ny.id}:2026-11-02",
    ]


def test_spring_forward_and_each_reps_own_zone(session: Session, make: Factory) -> None:
    paris = make.user("parisrep", timezone="Europe/Paris")
    tokyo = make.user("tokyorep", timezone="Asia/Tokyo")
    for user in (paris, tokyo):
        _daily_task(session, make, user, at("2026-03-27T10:00:00+00:00"), 4)
    # Paris is CET (UTC+1) on Saturday 28 March and CEST (UTC+2) from Sunday 29 March;
    # Tokyo (UTC+9, no DST) has its 08:00 at 23:00 UTC the day before.
    assert sweep_morning_digests(session, now=at("2026-03-28T06:59:00+00:00")) == 1  # Tokyo
    assert sweep_morning_digests(session, now=at("2026-03-28T07:00:00+00:00")) == 1  # Paris
    assert sweep_morning_digests(session, now=at("2026-03-29T05:59:00+00:00")) == 1  # Tokyo
    assert sweep_morning_digests(session, now=at("2026-03-29T06:00:00+00:00")) == 1  # Paris
    by_target: dict[str, list[datetime]] = {}
    for row in outbox(session, "digest"):
        by_target.setdefault(row.target, []).append(row.due_at)
    assert by_target[f"user:{paris.id}"] == [
        at("2026-03-28T07:00:00+00:00"),
        at("2026-03-29T06:00:00+00:00"),
    ]
    assert by_target[f"user:{tokyo.id}"] == [
        at("2026-03-27T23:00:00+00:00"),
        at("2026-03-28T23:00:00+00:00"),
    ]


def test_digest_content_and_the_team_hour(session: Session, make: Factory) -> None:
    alex = make.user("alex", team="east", timezone="UTC", display_name="Alex")
    set_team_config(session, "east", digest_hour=7)
    now = at("2026-11-23T07:00:00+00:00")
    tasks.create_task(
        session=session,
        actor=make.actor(alex),
        text="call Acme",
        due_at=at("2026-11-23T15:00:00+00:00"),
    )
    tasks.create_task(
        session=session,
        actor=make.actor(alex),
        text="send quote",
        due_at=at("2026-11-20T09:00:00+00:00"),
    )
    make.deal(
        make.customer("Initech", owner_id=alex.id),
        9000,
        owner_id=alex.id,
        now=now - timedelta(days=30),
    )
    make.user("idle", timezone="UTC")  # nothing to say: no digest
    assert sweep_morning_digests(session, now=now) == 1
    [row] = outbox(session, "digest")
    assert row.payload["text"] == "Good morning Alex: 1 task today, 1 overdue, 1 stale deal."
    titles = [s["title"] for s in row.payload["sections"]]
    assert titles == [
        "Today's tasks (1)",
        "Overdue (1)",
        "Stale deals (no activity for 14+ days) (1)",
    ]
    assert "call Acme" in row.payload["sections"][0]["text"]
    assert "Initech deal - Initech (idle 30 days)" in row.payload["sections"][2]["text"]


def test_weekly_digest_for_managers_on_monday_morning(session: Session, make: Factory) -> None:
    boss = make.user(
        "boss", role="manager", team="east", timezone="Europe/Paris", display_name="Boss"
    )
    rep = make.user("rep", team="east", display_name="Rep")
    monday = at("2026-11-23T07:00:00+00:00")  # 08:00 in Paris
    acme = make.customer("Acme Corp", owner_id=rep.id)
    new = make.deal(acme, 10000, owner_id=rep.id, now=monday - timedelta(days=3))
    old = make.deal(acme, 5000, owner_id=rep.id, now=monday - timedelta(days=30))
    won = make.won(make.customer("Globex", owner_id=rep.id), 7000, days_ago=2, owner=rep)
    # created_at is stamped by the wall clock; put each deal's where the story needs it.
    new.created_at = monday - timedelta(days=3)
    old.created_at = monday - timedelta(days=30)
    won.created_at = monday - timedelta(days=7, hours=1)
    session.flush()
    assert sweep_weekly_digests(session, now=monday - timedelta(minutes=1)) == 0
    assert sweep_weekly_digests(session, now=monday) == 1
    assert sweep_weekly_digests(session, now=monday + timedelta(hours=3)) == 0
    assert sweep_weekly_digests(session, now=monday + timedelta(days=1)) == 0  # Tuesday
    [row] = outbox(session, "digest")
    assert row.target == f"user:{boss.id}"
    text = row.payload["text"]
    # Open now: 15,000. A week ago: 5,000 plus Globex's 7,000 (won since); the 10,000 is new.
    assert text.startswith("Weekly digest for team east: pipeline $15,000 (+$3,000 this week)")
    sections = {s["title"]: s for s in row.payload["sections"]}
    assert dict(map(tuple, sections["Pipeline this week"]["fields"]))["Won"] == "$7,000"
    board = sections["Leaderboard (last 7 days)"]["rows"]
    assert board[0] == ["Rep", "Won", "Deals won", "Activities"]
    assert board[1][:3] == ["Rep", "$7,000", "1"]
