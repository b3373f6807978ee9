from __future__ import annotations

from datetime import datetime, timedelta
from typing import NotRequired, TypedDict

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import AuditEntry, Interaction, Task
from crm_core.services import deals, history, interactions
from crm_core.services.context import Actor
from tests.factories import Factory


def test_log_interaction_writes_history_audit_and_follow_up(
    session: Session, make: Factory, now: datetime
) -> None:
    rep = make.user("alex")
    acme = make.customer("Acme")
    actor = make.actor(rep, message_id="M1", platform="slack")
    result = interactions.log_interaction(
        session=session,
        actor=actor,
        customer_id=acme.id,
        kind="call",
        summary="pricing",
        occurred_at=now - timedelta(hours=1),
        follow_up_at=now + timedelta(days=4),
        now=now,
    )
    assert not result.duplicate
    assert result.interaction.user_id == rep.id and result.interaction.kind == "call"
    assert result.follow_up is not None and result.follow_up.due_at == now + timedelta(days=4)
    assert result.follow_up.owner_id == rep.id
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == rep.id).order_by(AuditEntry.id)
    ).all()
    assert [a.action for a in audit] == ["interaction.create", "task.create"]
    assert audit[0].source_platform == "slack" and audit[0].source_message_id == "M1"


def test_same_source_message_is_stored_once(session: Session, make: Factory, now: datetime) -> None:
    rep = make.user("alex")
    acme = make.customer("Acme")
    actor = make.actor(rep, message_id="evt-42", platform="slack")
    first = interactions.log_interaction(
        session=session,
        actor=actor,
        customer_id=acme.id,
        kind="email",
        now=now,
        follow_up_at=now + timedelta(days=1),
    )
    again = interactions.log_interaction(
        session=session,
        actor=actor,
        customer_id=acme.id,
        kind="email",
        now=now,
        follow_up_at=now + timedelta(days=1),
    )
    assert again.duplicate and again.interaction.id == first.interaction.id
    assert session.scalar(select(func.count(Interaction.id))) == 1
    assert session.scalar(select(func.count(Task.id))) == 1


def test_database_constraint_backs_idempotency(
    session: Session, make: Factory, now: datetime
) -> None:
    acme = make.customer("Acme")
    session.add_all(
        [
            Interaction(
                customer_id=acme.id,
                kind="call",
                summary="",
                occurred_at=now,
                source_platform="telegram",
                source_message_id="7",
            ),
        ]
    )
    session.flush()
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(
            Interaction(
                customer_id=acme.id,
                kind="call",
                summary="",
                occurred_at=now,
                source_platform="telegram",
                source_message_id="7",
            )
        )
        session.flush()


class InteractionFields(TypedDict):
    """The keywords of interactions.log_interaction a bad-input case sets."""

    kind: str
    summary: NotRequired[str]
    contact_name: NotRequired[str | None]


@pytest.mark.parametrize(
    "fields, days_ago, message",
    [
        ({"kind": "fax"}, 0, "unknown kind"),
        ({"kind": "call", "summary": "x" * 5000}, 0, "longer than"),
        ({"kind": "call"}, -2, "future"),
        ({"kind": "call", "contact_name": "\x07"}, 0, "control"),
    ],
)
def test_bad_interactions_change_nothing(
    session: Session,
    make: Factory,
    now: datetime,
    fields: InteractionFields,
    days_ago: int,
    message: str,
) -> None:
    acme = make.customer("Acme")
    before = session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(ValidationError, match=message):
        interactions.log_interaction(
            session=session,
            actor=make.system,
            customer_id=acme.id,
            occurred_at=now - timedelta(days=days_ago),
            now=now,
            **fields,
        )
    assert session.scalar(select(func.count(Interaction.id))) == 0
    assert session.scalar(select(func.count(AuditEntry.id))) == before


def test_failing_write_rolls_back_only_itself(
    session: Session, make: Factory, now: datetime
) -> None:
    """A later failure inside a service must undo its own earlier inserts (savepoint)."""
    acme = make.customer("Acme")
    with pytest.raises(ValidationError):
        # interaction is valid, the follow-up text is not: both must be gone.
        interactions.log_interaction(
            session=session,
            actor=make.system,
            customer_id=acme.id,
            kind="call",
            now=now,
            follow_up_at=now + timedelta(days=1),
            follow_up_text="x" * 5000,
        )
    assert session.scalar(select(func.count(Interaction.id))) == 0
    assert session.scalar(select(func.count(Task.id))) == 0
    assert session.get(type(acme), acme.id) is not None  # the caller's earlier work survives


def test_history_summarises_a_customer(session: Session, make: Factory, now: datetime) -> None:
    rep = make.user("alex", display_name="Alex Kim")
    acme = make.customer("Acme", owner_id=rep.id, lifecycle="customer")
    for days in (200, 150, 100):
        make.touch(acme, days, user=rep)
    make.won(acme, 30_000, days_ago=120)
    make.won(acme, 12_500, days_ago=110)
    open_deal = make.deal(acme, 5000, stage="proposal")
    h = history.customer_history(session, acme.id, now=now, limit=2)
    assert [i.occurred_at for i in h.interactions] == [
        now - timedelta(days=100),
        now - timedelta(days=150),
    ]
    assert h.interaction_count == 3
    assert h.lifetime_won == 42_500
    assert [d.id for d in h.open_deals] == [open_deal.id]
    assert h.last_contact_at == now - timedelta(days=100)
    assert h.risk.level == "high"  # a paying customer silent for 100 days
    assert h.owner is not None and h.owner.display_name == "Alex Kim"


def test_risk_rule_levels(now: datetime) -> None:
    def level(
        days: int, count: int = 10, span: int = 300, lifecycle: str = "prospect", lost: bool = False
    ) -> str:
        return history.assess_risk(
            lifecycle=lifecycle,
            last_at=now - timedelta(days=days),
            year_count=count,
            year_first=now - timedelta(days=days + span),
            year_last=now - timedelta(days=days),
            lost_recently=lost,
            now=now,
        ).level

    assert level(5) == "low"  # usual gap 33 days, seen 5 days ago
    assert level(70) == "medium"  # more than twice the usual gap
    assert level(101) == "high"  # more than three times
    assert level(95, lifecycle="customer") == "high"
    assert level(5, lost=True) == "medium"
    assert (
        history.assess_risk(
            lifecycle="prospect",
            last_at=None,
            year_count=0,
            year_first=None,
            year_last=None,
            lost_recently=False,
            now=now,
        ).level
        == "unknown"
    )


def test_logging_touches_open_deals(session: Session, make: Factory, now: datetime) -> None:
    acme = make.customer("Acme")
    deal = make.deal(acme, 1000, now=now - timedelta(days=40))
    make.touch(acme, days_ago=1)
    session.expire(deal)
    assert deals.get_deal(session, deal.id).last_activity_at == now - timedelta(days=1)
    _ = Actor
