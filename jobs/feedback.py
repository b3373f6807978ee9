"""Customers' feedback goes to the team it is for, and back to whoever logged it.

"Tell product that Acme wants SSO" is stored by the core; this module turns it into pushes
through the outbox (so delivery is exactly once and respects the team's mute settings):
one to the team's channel (`crmbot teams set product --channel #product`) with buttons to
acknowledge it or mark it done, and, once it is done, one to the rep who logged it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from chat.reply import Button, Reply
from crm_core.models import Feedback
from jobs import texts
from jobs.outbox import Push, channel_target, enqueue, make_key, user_target
from jobs.team_config import load_team_configs

KIND = "feedback"


def team_channel_of(session: Session, team: str) -> str | None:
    """The channel a team's feedback goes to, if the team has one."""
    return load_team_configs(session).for_team(team).channel


def _about(item: Feedback) -> str:
    return texts.FEEDBACK_PUSH_ABOUT.format(customer=item.customer.name) if item.customer else ""


def route_feedback(session: Session, item: Feedback, *, now: datetime) -> str | None:
    """Queue the push to the team's channel; returns that channel, or None when the team has
    none (the feedback stays listed for the team to read)."""
    channel = team_channel_of(session, item.team)
    if channel is None:
        return None
    reply = Reply(
        texts.FEEDBACK_PUSH.format(
            id=item.id,
            team=item.team,
            about=_about(item),
            text=item.text,
            author=item.author.display_name if item.author else texts.FEEDBACK_SOMEONE,
        ),
        buttons=[
            Button(texts.FEEDBACK_ACK_BUTTON, "feedback_status", f"{item.id}:acknowledged"),
            Button(texts.FEEDBACK_DONE_BUTTON, "feedback_status", f"{item.id}:resolved", "primary"),
        ],
    )
    key = make_key(KIND, f"feedback-{item.id}", now)
    enqueue(session, [Push(key, KIND, channel_target(channel), reply, now)], now=now)
    return channel


def tell_author_done(session: Session, item: Feedback, *, now: datetime) -> bool:
    """Queue "product marked your feedback as done" to whoever logged it."""
    if item.created_by is None:
        return False
    reply = Reply(
        texts.FEEDBACK_DONE_PUSH.format(
            team=item.team.capitalize(), id=item.id, about=_about(item), text=item.text
        )
    )
    key = make_key(KIND, f"feedback-{item.id}-done", now)
    return (
        enqueue(session, [Push(key, KIND, user_target(item.created_by), reply, now)], now=now) > 0
    )
