"""Who becomes a user on first contact, invitations, and who may link a channel (SQLite and
PostgreSQL, by the shared fixtures)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import PermissionDenied, ValidationError
from crm_core.models import AuditEntry, ChannelLink, Invite, User, UserIdentity
from crm_core.services import channels, enrolment, users
from crm_core.services.context import Actor
from crm_core.services.enrolment import EnrolmentPolicy, NotEnrolled
from tests.factories import Factory

HOME = EnrolmentPolicy(slack_team="T1")


def users_count(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


@pytest.mark.parametrize(
    ("policy", "platform", "team", "refusal"),
    [
        (HOME, "console", None, None),
        (HOME, "slack", "T1", None),
        (HOME, "slack", "T2", "external"),
        (EnrolmentPolicy(slack_team="T1", slack_allow_external=True), "slack", "T2", None),
        (HOME, "slack", None, "unknown_team"),
        (EnrolmentPolicy(), "slack", "T1", "unknown_team"),  # the workspace is not known
        (HOME, "telegram", None, "invite"),
        (EnrolmentPolicy(telegram_open=True), "telegram", None, None),
        (HOME, "teams", None, "closed"),
    ],
)
def test_policy(policy: EnrolmentPolicy, platform: str, team: str | None, refusal: str) -> None:
    assert policy.refusal(platform, team) == refusal


def test_policy_from_env() -> None:
    assert EnrolmentPolicy.from_env({}) == EnrolmentPolicy()
    opened = EnrolmentPolicy.from_env(
        {"CRMBOT_SLACK_ALLOW_EXTERNAL": "1", "CRMBOT_TELEGRAM_ENROLMENT": "open"}
    )
    assert opened.slack_allow_external and opened.telegram_open
    with pytest.raises(ValidationError, match="CRMBOT_TELEGRAM_ENROLMENT"):
        EnrolmentPolicy.from_env({"CRMBOT_TELEGRAM_ENROLMENT": "everyone"})
    with pytest.raises(ValidationError, match="CRMBOT_SLACK_ALLOW_EXTERNAL"):
        EnrolmentPolicy.from_env({"CRMBOT_SLACK_ALLOW_EXTERNAL": "maybe"})


def test_a_refused_first_contact_writes_nothing(session: Session) -> None:
    before = users_count(session)
    for platform, team in (("telegram", None), ("slack", "T2"), ("slack", None)):
        with pytest.raises(NotEnrolled):
            enrolment.admit(
                session=session, policy=HOME, platform=platform, external_id="X9", team=team
            )
    assert users_count(session) == before
    assert session.scalar(select(func.count(AuditEntry.id))) == 0


def test_members_register_and_linked_people_are_known(session: Session, make: Factory) -> None:
    member = enrolment.admit(
        session=session,
        policy=HOME,
        platform="slack",
        external_id="U7",
        display_name="Ann Lee",
        team="T1",
    )
    assert member.role == "rep" and member.display_name == "Ann Lee"
    again = enrolment.admit(
        session=session, policy=HOME, platform="slack", external_id="U7", team="T1"
    )
    assert again.id == member.id
    # The console is the local user: whoever runs it holds the database.
    local = enrolment.admit(session=session, policy=HOME, platform="console", external_id="mo")
    assert local.name == "mo"
    # Someone an admin linked is known whatever the policy says about strangers.
    tom = make.user("tom")
    users.link_identity(
        session=session, actor=make.system, user_id=tom.id, platform="telegram", external_id="42"
    )
    found = enrolment.admit(session=session, policy=HOME, platform="telegram", external_id="42")
    assert found.id == tom.id


def test_invite_links_once(session: Session, make: Factory, now: datetime) -> None:
    dana = make.user("dana", display_name="Dana Scully")
    code = enrolment.create_invite(
        session=session, actor=make.system, user_id=dana.id, now=now, ttl=timedelta(days=2)
    )
    assert len(code) >= 32
    stored = session.scalar(select(Invite))
    assert stored is not None and code not in stored.code_hash and stored.used_at is None
    done = enrolment.redeem_invite(
        session=session, platform="telegram", external_id="555", code=code, now=now
    )
    assert done.user is not None and done.user.id == dana.id and done.problem is None
    assert stored.used_at == now and stored.used_by == "555"
    identity = session.scalar(select(UserIdentity).where(UserIdentity.external_id == "555"))
    assert identity is not None and identity.user_id == dana.id
    again = enrolment.redeem_invite(
        session=session, platform="telegram", external_id="556", code=code, now=now
    )
    assert again.user is None and again.problem == "used"
    assert session.scalar(select(UserIdentity).where(UserIdentity.external_id == "556")) is None
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-4:] == [
        "invite.create",
        "user.link_identity",
        "invite.redeem",
        "invite.refused",
    ]
    assert all(code not in str(e.data) for e in session.scalars(select(AuditEntry)))


def test_invite_refusals(session: Session, make: Factory, now: datetime) -> None:
    dana, tom = make.user("dana"), make.user("tom")
    late = enrolment.create_invite(
        session=session, actor=make.system, user_id=dana.id, now=now, ttl=timedelta(hours=1)
    )
    expired = enrolment.redeem_invite(
        session=session,
        platform="telegram",
        external_id="1",
        code=late,
        now=now + timedelta(hours=2),
    )
    assert expired.problem == "expired"
    audited = session.scalar(select(func.count(AuditEntry.id)))
    for code in ("", "x" * 40, "nope"):
        wrong = enrolment.redeem_invite(
            session=session, platform="telegram", external_id="1", code=code, now=now
        )
        assert wrong.problem == "invalid"
    # A code matching no invite is logged, not audited: strangers cannot fill the table.
    assert session.scalar(select(func.count(AuditEntry.id))) == audited
    # A Telegram account already linked to Tom cannot take Dana's invite.
    users.link_identity(
        session=session, actor=make.system, user_id=tom.id, platform="telegram", external_id="2"
    )
    code = enrolment.create_invite(session=session, actor=make.system, user_id=dana.id, now=now)
    assert (
        enrolment.redeem_invite(
            session=session, platform="telegram", external_id="2", code=code, now=now
        ).problem
        == "taken"
    )
    with pytest.raises(ValidationError):
        enrolment.create_invite(
            session=session, actor=make.system, user_id=dana.id, now=now, ttl=timedelta(0)
        )


def test_channel_links_need_a_manager_and_say_where_they_pointed(
    session: Session, make: Factory
) -> None:
    rep, boss = make.user("rep"), make.user("boss", role="manager")
    with pytest.raises(PermissionDenied):
        channels.link_channel(
            session=session,
            actor=make.actor(rep, platform="telegram"),
            platform="telegram",
            name="#sales",
            conversation_id="-1",
        )
    with pytest.raises(PermissionDenied):  # an unknown person, whatever label it carries
        channels.link_channel(
            session=session,
            actor=Actor(user_id=None, label="telegram:777", platform="telegram"),
            platform="telegram",
            name="#sales",
            conversation_id="-1",
        )
    assert session.scalar(select(func.count(ChannelLink.id))) == 0
    first = channels.link_channel(
        session=session,
        actor=make.actor(boss, platform="telegram"),
        platform="telegram",
        name="#sales",
        conversation_id="-100",
        title="Sales team",
    )
    assert not first.moved and first.before_conversation is None
    moved = channels.link_channel(
        session=session,
        actor=make.actor(boss, platform="telegram"),
        platform="telegram",
        name="#Sales",
        conversation_id="-200",
        title="Other group",
    )
    assert moved.moved and moved.before_title == "Sales team"
    assert moved.before_conversation == "-100"
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "channel.link").order_by(AuditEntry.id)
    ).all()[-1]
    assert entry.actor_id == boss.id
    assert entry.data["before"] == {"conversation_id": "-100", "title": "Sales team"}
    # The command line (a system actor) may always link.
    channels.link_channel(
        session=session,
        actor=Actor.system("crmbot"),
        platform="telegram",
        name="#sales",
        conversation_id="-300",
    )
