"""Notification preferences: what a person (or a channel) wants pushed, and when.

Storage only: a muted kind, quiet hours, digest-only, each change audited. The chat command
that sets them is `bot/preferences.py`; the delivery job reads them through
`jobs.preferences.decide`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import NotificationPreference
from crm_core.models.base import utcnow
from crm_core.models.enums import PUSH_KINDS
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor


@dataclass(frozen=True)
class PreferenceChange:
    """What a chat command asks for. `action` is one of: mute, unmute, quiet_hours,
    no_quiet_hours, digest_only, everything, show."""

    action: str
    kinds: tuple[str, ...] = field(default_factory=tuple)
    quiet_start: time | None = None
    quiet_end: time | None = None
    channel: str | None = None  # "mute alerts in #sales": the channel's settings, not mine


def get_preference(
    session: Session, *, user_id: int | None = None, channel: str | None = None
) -> NotificationPreference | None:
    if (user_id is None) == (channel is None):
        raise ValueError("preferences belong to a user or to a channel")
    column = (
        NotificationPreference.user_id == user_id
        if channel is None
        else NotificationPreference.channel == channel.lower()
    )
    return session.scalar(select(NotificationPreference).where(column))


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


@atomic
def apply_preference_change(
    *,
    session: Session,
    actor: Actor,
    user_id: int | None = None,
    channel: str | None = None,
    change: PreferenceChange,
) -> NotificationPreference | None:
    """Store the change for the user (or channel), audited; returns their preferences as
    they now are ("show" writes nothing and may return None: the defaults)."""
    if (user_id is None) == (channel is None):
        raise ValidationError("say whose notifications to change: a person or a channel")
    pref = get_preference(session, user_id=user_id, channel=channel)
    if change.action == "show":
        return pref
    if pref is None:
        pref = NotificationPreference(
            user_id=user_id,
            channel=channel.lower() if channel else None,
            muted_kinds=[],
            digest_only=False,
        )
        session.add(pref)
        session.flush()
    before = snapshot(pref)
    muted = list(pref.muted_kinds or [])
    if change.action == "mute":
        muted = [k for k in PUSH_KINDS if k in muted or k in change.kinds]
    elif change.action == "unmute":
        muted = [k for k in muted if k not in change.kinds]
    elif change.action == "quiet_hours":
        assert change.quiet_start is not None and change.quiet_end is not None
        pref.quiet_start_minute = _minutes(change.quiet_start)
        pref.quiet_end_minute = _minutes(change.quiet_end)
    elif change.action == "no_quiet_hours":
        pref.quiet_start_minute = pref.quiet_end_minute = None
    elif change.action == "digest_only":
        pref.digest_only = True
        muted = [k for k in muted if k != "digest"]
    elif change.action == "everything":
        pref.digest_only = False
        muted = []
    else:
        raise ValidationError(f"unknown notification change {change.action!r}")
    pref.muted_kinds = muted
    pref.updated_at = actor.at or utcnow()
    session.flush()
    record(session, actor, "notifications.update", pref, before=before, after=snapshot(pref))
    return pref
