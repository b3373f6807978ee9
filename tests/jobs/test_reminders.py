"""Due tasks: pushed once at (or after) their time, never before, to the right target."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crm_core.database import Database
from crm_core.services import interactions, tasks
from jobs.notifier import ConsoleNotifier
from jobs.reminders import sweep_due_tasks
from jobs.runner import run_once
from tests.factories import Factory
from tests.jobs.helpers import FakeNotifier, outbox


def test_a_reminder_is_pushed_at_its_time_not_before_and_once(
    session: Session, make: Factory, now: datetime
) -> None:
    alex = make.user("alex")
    task = tasks.create_task(session=session, actor=make.actor(alex), text="call Acme", due_at=now)
    assert sweep_due_tasks(session, now=now - timedelta(minutes=1)) == 0
    assert sweep_due_tasks(session, now=now) == 1
    assert sweep_due_tasks(session, now=now + timedelta(hours=1)) == 0
    [row] = outbox(session)
    assert row.kind == "reminder" and row.target == f"user:{alex.id}"
    assert row.payload["text"] == "Reminder: call Acme"
    assert row.idempotency_key == f"reminder:task-{task.id}:2026-11-23T10:00:00Z"
    actions = [(b["action"], b["value"]) for b in row.payload["buttons"]]
    assert actions == [("task_done", str(task.id)), ("task_snooze", f"{task.id}:1d")]


def test_targets_another_rep_or_a_channel_and_follow_ups_from_logged_calls(
    session: Session, make: Factory, now: datetime
) -> None:
    alex, dana = make.user("alex", display_name="Alex"), make.user("dana")
    acme = make.customer("Acme Corp", owner_id=alex.id)
    actor = make.actor(alex)
    tasks.create_task(
        session=session, actor=actor, text="send the deck", due_at=now, target_user_id=dana.id
    )
    tasks.create_task(
        session=session, actor=actor, text="pipeline review", due_at=now, target_channel="#Sales"
    )
    logged = interactions.log_interaction(
        session=session,
        actor=actor,
        customer_id=acme.id,
        kind="call",
        summary="intro",
        occurred_at=now - timedelta(days=2),
        now=now - timedelta(days=2),
        follow_up_at=now - timedelta(minutes=5),
    )
    assert sweep_due_tasks(session, now=now) == 3
    rows = {row.payload["text"]: row for row in outbox(session)}
    assert rows["Reminder: send the deck (for Alex)"].target == f"user:{dana.id}"
    assert rows["Reminder: pipeline review (for Alex)"].target == "channel:#sales"
    follow = rows["Follow-up: Follow up with Acme Corp after the call"]
    assert follow.kind == "follow_up" and follow.target == f"user:{alex.id}"
    assert follow.payload["buttons"][-1] == {
        "label": "Log call",
        "action": "log_call",
        "value": str(acme.id),
        "style": None,
    }
    assert logged.follow_up is not None


def test_done_tasks_are_not_pushed_and_a_snoozed_one_pushes_again_at_its_new_time(
    session: Session, make: Factory, now: datetime
) -> None:
    alex = make.user("alex")
    actor = make.actor(alex)
    done = tasks.create_task(session=session, actor=actor, text="done already", due_at=now)
    tasks.complete_task(session=session, actor=actor, task_id=done.id, now=now)
    task = tasks.create_task(session=session, actor=actor, text="call back", due_at=now)
    assert sweep_due_tasks(session, now=now) == 1
    tasks.snooze_task(
        session=session,
        actor=actor,
        task_id=task.id,
        delta=timedelta(days=1),
        now=now + timedelta(minutes=1),
    )
    assert sweep_due_tasks(session, now=now + timedelta(hours=2)) == 0
    # Snoozed from 10:01 by a day: due again at 10:01 tomorrow.
    assert sweep_due_tasks(session, now=now + timedelta(days=1)) == 0
    assert sweep_due_tasks(session, now=now + timedelta(days=1, minutes=1)) == 1
    assert [r.idempotency_key for r in outbox(session)] == [
        f"reminder:task-{task.id}:2026-11-23T10:00:00Z",
        f"reminder:task-{task.id}:2026-11-24T10:01:00Z",
    ]


def test_tasks_older_than_the_catch_up_window_are_left_to_the_digest(
    session: Session, make: Factory, now: datetime
) -> None:
    alex = make.user("alex")
    tasks.create_task(
        session=session, actor=make.actor(alex), text="ancient", due_at=now - timedelta(days=8)
    )
    tasks.create_task(
        session=session,
        actor=make.actor(alex),
        text="from the weekend",
        due_at=now - timedelta(days=2),
    )
    assert sweep_due_tasks(session, now=now) == 1
    assert outbox(session)[0].payload["text"] == "Reminder: from the weekend"


def test_run_once_delivers_at_t_not_at_t_minus_a_minute_and_not_again(
    database: Database, now: datetime
) -> None:
    with database.transaction() as session:
        factory = Factory(session, now)
        alex = factory.user("alex")
        tasks.create_task(
            session=session, actor=factory.actor(alex), text="call Initech", due_at=now
        )
    notifier = FakeNotifier()

    def reminders(when: datetime) -> list[str]:
        return [
            d.text
            for d in run_once(database, now=when, notifiers=[notifier])
            if d.kind == "reminder"
        ]

    assert reminders(now - timedelta(minutes=1)) == []
    assert reminders(now) == ["Reminder: call Initech"]
    assert reminders(now + timedelta(hours=1)) == []
    with database.transaction() as session:
        [row] = outbox(session, "reminder")
        assert row.status == "delivered" and row.attempts == 1 and row.delivered_at == now
    sent = [(t.user_id, k) for t, _, k in notifier.sent if k.startswith("reminder")]
    assert len(sent) == 1 and sent[0][0] == alex.id


def test_console_notifier_prints_the_target_and_the_buttons(
    database: Database, now: datetime
) -> None:
    import io

    with database.transaction() as session:
        factory = Factory(session, now)
        alex = factory.user("alex", display_name="Alex Kim")
        tasks.create_task(
            session=session, actor=factory.actor(alex), text="call Initech", due_at=now
        )
    stream = io.StringIO()
    run_once(database, now=now, notifiers=[ConsoleNotifier(stream)])
    blocks = ["-> " + b for b in stream.getvalue().lstrip("-> ").split("\n-> ")]
    [block] = [b for b in blocks if "[reminder]" in b]
    first, *rest = block.splitlines()
    assert first == "-> Alex Kim (@alex) [reminder]: Reminder: call Initech"
    assert "[Done] [Snooze 1 day]" in rest[-1]
