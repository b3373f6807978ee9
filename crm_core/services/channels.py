"""Binding channel names (#sales) to platform conversations, for platforms without named
channels of their own (Telegram groups)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.models.channel_link import ChannelLink
from crm_core.services.atomic import atomic
from crm_core.services.audit import record
from crm_core.services.context import Actor
from crm_core.services.tasks import _channel


@atomic
def link_channel(
    *,
    session: Session,
    actor: Actor,
    platform: str,
    name: str,
    conversation_id: str,
    title: str | None = None,
) -> ChannelLink:
    """Bind `name` to the conversation; a name already bound moves to the new one."""
    name = _channel(name) or ""
    link = session.scalar(
        select(ChannelLink).where(ChannelLink.platform == platform, ChannelLink.name == name)
    )
    before = {"conversation_id": link.conversation_id} if link else None
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
        after={"name": name, "conversation_id": conversation_id},
    )
    return link


def conversation_for(session: Session, platform: str, name: str) -> str | None:
    return session.scalar(
        select(ChannelLink.conversation_id).where(
            ChannelLink.platform == platform, ChannelLink.name == name.strip().lower()
        )
    )
