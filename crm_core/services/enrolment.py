"""Who becomes a CRM user on first contact, and invitations that link a chat account.

The CRM holds owners, amounts and customer history, so nobody is registered merely because a
message arrived. A platform id already linked to a user is that user; otherwise:

* console: the person at the keyboard holds the database, so they are let in;
* Slack: members of the workspace the bot is installed in (its team id, from auth.test) are
  registered as reps; Slack Connect users from another organisation only when
  `CRMBOT_SLACK_ALLOW_EXTERNAL=1`; a sender whose workspace is unknown is refused;
* Telegram: invitation only (`crmbot users invite NAME`: a one-time deep link), unless
  `CRMBOT_TELEGRAM_ENROLMENT=open`.

A refusal raises `NotEnrolled` before anything is written, so no user row appears and the
caller can answer with one line saying how to get access.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import CrmError, ValidationError
from crm_core.models import Invite, User
from crm_core.services import users as user_service
from crm_core.services.atomic import atomic
from crm_core.services.audit import record
from crm_core.services.context import Actor

log = logging.getLogger(__name__)

INVITE_TTL = timedelta(days=7)
MAX_INVITE_DAYS = 90
TELEGRAM_MODES = ("invite", "open")
TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")


class NotEnrolled(CrmError):
    """A platform id no user has, from someone the policy does not register by itself.

    `reason` says which rule refused them: "external" (another Slack organisation),
    "unknown_team" (the Slack workspace could not be established), "invite" (Telegram is
    invitation only) or "closed" (a platform with no first-contact registration)."""

    def __init__(self, platform: str, reason: str) -> None:
        super().__init__(f"{platform} first contact refused: {reason}")
        self.platform = platform
        self.reason = reason


@dataclass(frozen=True)
class EnrolmentPolicy:
    """The enrolment settings; the Slack adapter fills in `slack_team` from auth.test."""

    slack_team: str | None = None
    slack_allow_external: bool = False
    telegram_open: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EnrolmentPolicy:
        external = env.get("CRMBOT_SLACK_ALLOW_EXTERNAL", "").strip().lower()
        if external not in TRUE + FALSE:
            raise ValidationError("CRMBOT_SLACK_ALLOW_EXTERNAL must be 1 or 0")
        mode = env.get("CRMBOT_TELEGRAM_ENROLMENT", "").strip().lower() or "invite"
        if mode not in TELEGRAM_MODES:
            raise ValidationError("CRMBOT_TELEGRAM_ENROLMENT must be “invite” or “open”")
        return cls(slack_allow_external=external in TRUE, telegram_open=mode == "open")

    def with_slack_team(self, team: str | None) -> EnrolmentPolicy:
        return replace(self, slack_team=team or None)

    def refusal(self, platform: str, team: str | None) -> str | None:
        """Why a first contact on `platform` (from workspace `team`) is refused; None if not."""
        if platform == "console":
            return None
        if platform == "slack":
            if not team or not self.slack_team:
                return "unknown_team"
            if team != self.slack_team and not self.slack_allow_external:
                return "external"
            return None
        if platform == "telegram":
            return None if self.telegram_open else "invite"
        return "closed"


def admit(
    *,
    session: Session,
    policy: EnrolmentPolicy,
    platform: str,
    external_id: str,
    display_name: str | None = None,
    team: str | None = None,
) -> User:
    """The user behind a platform id; a first contact is registered only if the policy
    allows it, else `NotEnrolled` is raised and nothing is written."""
    existing = user_service.user_for_identity(session, platform, external_id)
    if existing is not None:
        return existing
    reason = policy.refusal(platform, team)
    if reason is not None:
        raise NotEnrolled(platform, reason)
    return user_service.ensure_identity(
        session=session,
        platform=platform,
        external_id=external_id,
        display_name=display_name,
        handle=display_name,
    )


# --- invitations -------------------------------------------------------------------------
def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@atomic
def create_invite(
    *,
    session: Session,
    actor: Actor,
    user_id: int,
    now: datetime,
    platform: str = "telegram",
    ttl: timedelta = INVITE_TTL,
) -> str:
    """A fresh one-time code for `user_id`; only its hash is stored. The code (32 URL-safe
    characters, 192 random bits) fits Telegram's deep-link `start` parameter."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if ttl <= timedelta(0) or ttl > timedelta(days=MAX_INVITE_DAYS):
        raise ValidationError(f"an invite lasts between 1 minute and {MAX_INVITE_DAYS} days")
    user = user_service.get_user(session, user_id)
    if not user.active:
        raise ValidationError(f"{user.name} is deactivated; reactivate them first")
    code = secrets.token_urlsafe(24)
    invite = Invite(
        user_id=user.id, platform=platform, code_hash=_digest(code), expires_at=now + ttl
    )
    session.add(invite)
    session.flush()
    record(
        session,
        actor,
        "invite.create",
        invite,
        after={"user_id": user.id, "platform": platform, "expires_at": invite.expires_at},
    )
    return code


@dataclass(frozen=True)
class Redeemed:
    """The outcome of `/start <code>`: the user now linked, or why nothing was linked."""

    user: User | None
    problem: str | None = None  # "invalid", "used", "expired", "taken", "inactive"


def redeem_invite(
    *,
    session: Session,
    platform: str,
    external_id: str,
    code: str,
    now: datetime,
    handle: str | None = None,
) -> Redeemed:
    """Link `external_id` to the invited user, once. Every attempt on a real invite is
    audited, a refused one too (a leaked link used twice shows in the trail); a code that
    matches no invite is only logged, so that strangers cannot fill the audit table."""
    actor = Actor(user_id=None, label=f"{platform}:{external_id}", platform=platform, at=now)
    invite = None
    if 8 <= len(code) <= 64:
        invite = session.scalar(
            select(Invite).where(Invite.code_hash == _digest(code), Invite.platform == platform)
        )
    linked = user_service.user_for_identity(session, platform, external_id)
    problem: str | None = None
    if invite is None:
        problem = "invalid"
    elif invite.used_at is not None:
        problem = "used"
    elif invite.expires_at <= now:
        problem = "expired"
    elif linked is not None and linked.id != invite.user_id:
        problem = "taken"
    elif not user_service.get_user(session, invite.user_id).active:
        problem = "inactive"
    if problem == "invalid":
        log.warning("%s:%s tried an invite code that matches none", platform, external_id)
        return Redeemed(None, problem)
    if problem is not None:
        record(
            session,
            actor,
            "invite.refused",
            entity_type="invites",
            entity_id=invite.id if invite is not None else None,
            extra={"problem": problem, "external_id": external_id},
        )
        return Redeemed(None, problem)
    assert invite is not None
    user = user_service.get_user(session, invite.user_id)
    user_service.link_identity(
        session=session,
        actor=replace(actor, user_id=user.id),
        user_id=user.id,
        platform=platform,
        external_id=external_id,
        handle=handle,
    )
    invite.used_at, invite.used_by = now, external_id
    session.flush()
    record(
        session,
        replace(actor, user_id=user.id),
        "invite.redeem",
        invite,
        after={"user_id": user.id, "platform": platform, "external_id": external_id},
    )
    return Redeemed(user)
