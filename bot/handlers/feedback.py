"""log_feedback: "tell product that Acme wants SSO"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import is_admin
from chat.reply import Reply
from crm_core.models import Feedback, User
from crm_core.models.enums import FeedbackStatus
from crm_core.services import feedback
from crm_core.services.context import Actor
from jobs.feedback import route_feedback, tell_author_done

TEAMS = ["product", "support", "engineering", "finance", "marketing", "legal", "sales"]


def log_feedback(ctx: Context) -> Reply:
    team = ctx.entities.get("team")
    if not team:
        raise NeedSlot("team", texts.ASK_FEEDBACK_TEAM, [Choice(t, t) for t in TEAMS[:5]])
    customer = ctx.customer(write=True, required=False)
    text = str(ctx.entities.get("text") or ctx.entities.get("summary") or "").strip()
    if not text:
        raise NeedSlot("text", texts.ASK_FEEDBACK_TEXT.format(team=team))
    ctx.ready_to_write()
    item = feedback.log_feedback(
        session=ctx.session,
        actor=ctx.actor,
        team=str(team),
        text=text,
        customer_id=customer.id if customer else None,
    )
    about = texts.FEEDBACK_ABOUT.format(customer=customer.name) if customer else ""
    said = texts.FEEDBACK_PASSED.format(team=item.team, id=item.id, about=about, text=item.text)
    channel = route_feedback(ctx.session, item, now=ctx.now)
    where = (
        texts.FEEDBACK_POSTED.format(channel=channel)
        if channel
        else texts.FEEDBACK_NO_CHANNEL.format(team=item.team)
    )
    return Reply(" ".join([said, where, *ctx.notes]))


def feedback_status_button(session: Session, actor: Actor, value: str, now: datetime) -> Reply:
    """The team's "Acknowledge" / "Done" buttons on a routed feedback push. Only that team
    (or an admin) may change it; "done" tells the rep who logged it."""
    feedback_id, _, status = value.partition(":")
    item = session.get(Feedback, int(feedback_id))
    user = session.get(User, actor.user_id) if actor.user_id else None
    if item is None or user is None:
        return Reply(texts.BAD_BUTTON, ok=False)
    if (user.team or "").lower() != item.team and not is_admin(user):
        return Reply(texts.FEEDBACK_NOT_YOUR_TEAM.format(id=item.id, team=item.team), ok=False)
    feedback.set_feedback_status(
        session=session, actor=actor, feedback_id=item.id, status=status or "acknowledged"
    )
    if item.status == FeedbackStatus.RESOLVED.value:
        tell_author_done(session, item, now=now)
    return Reply(texts.FEEDBACK_STATUS_SET.format(id=item.id, status=item.status))
