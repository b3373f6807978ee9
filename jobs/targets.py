"""Turning an outbox row's target ("user:12", "channel:#sales") into a `PushTarget` with the
user's platform identities, plus what the delivery job needs to apply preferences (the
person's zone and their preference row). Cached per delivery pass: one query per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.models import NotificationPreference, User, UserIdentity
from jobs.clock import team_zone, zone_of
from jobs.notifier import PushTarget
from jobs.outbox import parse_target


@dataclass(frozen=True)
class ResolvedTarget:
    target: PushTarget
    zone: tzinfo
    preference: NotificationPreference | None
    exists: bool  # False for a user that was deleted or deactivated


class TargetResolver:
    def __init__(self, session: Session, cache: dict[str, ResolvedTarget] | None = None) -> None:
        self.session = session
        self._cache: dict[str, ResolvedTarget] = {} if cache is None else cache

    def resolve(self, value: str) -> ResolvedTarget:
        if value not in self._cache:
            self._cache[value] = self._load(value)
        return self._cache[value]

    def _load(self, value: str) -> ResolvedTarget:
        kind, ident = parse_target(value)
        if kind == "channel":
            channel = str(ident)
            pref = self.session.scalar(
                select(NotificationPreference).where(NotificationPreference.channel == channel)
            )
            return ResolvedTarget(
                PushTarget("channel", channel=channel, display=channel), team_zone(), pref, True
            )
        user = self.session.get(User, int(ident))
        if user is None:
            return ResolvedTarget(
                PushTarget("user", user_id=int(ident), display=f"user #{ident}"),
                team_zone(),
                None,
                False,
            )
        identities = {
            platform: external_id
            for platform, external_id in self.session.execute(
                select(UserIdentity.platform, UserIdentity.external_id)
                .where(UserIdentity.user_id == user.id)
                .order_by(UserIdentity.id)
            )
        }
        pref = self.session.scalar(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
        target = PushTarget(
            "user",
            user_id=user.id,
            identities=identities,
            display=f"{user.display_name} (@{user.name})",
        )
        return ResolvedTarget(target, zone_of(user.timezone), pref, bool(user.active))
