"""Binding channel names (#sales) to platform conversations, for platforms without named
channels of their own (Telegram groups).

A link decides where alerts and summaries for a channel go, so only a manager or an admin
(or the system: the command line) may set or move one; each change is audited with where the
link pointed before."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.models.channel_link import ChannelLink
from crm_core.models.enums import Role
from crm_core.services.atomic import atomic
from crm_core.services.audit import record
from crm_core.services.context import Actor
from crm_core.services.tasks import _channel
from crm_core.services.users import require_role


@dataclass(frozen=True)
class Linked:
    """The link as it is now, and where it pointed before (None: it is new)."""

    link: ChannelLink
    before_conversation: str | None = None
    before_title: str | None = None

    @property
    def moved(self) -> bool:
        return self.before_conversation not in (None, self.link.conversation_id)


@atomic
def link_channel(
    *,
    session: Session,
    actor: Actor,
    platform: str,
    name: str,
    conversation_id: str,
    title: str | None = None,
) -> Linked:
    """Bind `name` to the conversation; a name already bound moves to the new one. Only a
    manager or an admin may do it (PermissionDenied otherwise), or a system actor."""
    if actor.platform != "system" or actor.user_id is not None:
        require_role(session, actor, Role.MANAGER, Role.ADMIN)
    name = _channel(name) or ""
    link = session.scalar(
        select(ChannelLink).where(ChannelLink.platform == platform, ChannelLink.name == name)
    )
    before = {"conversation_id": link.conversation_id, "title": link.title} if link else None
    if link is None:
        link = ChannelLink(
            platform=platform, name=name, conversation_id=conversation_id, title=title
        )
        session.add(link)
    else:
        link.conversation_id, link.title = conversation_id, title
    session.flush()
    record(
        session,
        actor,
        "channel.link",
        link,
        before=before,
        after={"name": name, "conversation_id": conversation_id, "title": title},
    )
    return Linked(
        link,
        before["conversation_id"] if before else None,
        before["title"] if before else None,
    )


def conversation_for(session: Session, platform: str, name: str) -> str | None:
    return session.scalar(
        select(ChannelLink.conversation_id).where(
            ChannelLink.platform == platform, ChannelLink.name == name.strip().lower()
        )
    )
