"""log_feedback: "tell product that Acme wants SSO"."""

from __future__ import annotations

from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.reply import Reply
from crm_core.services import feedback

TEAMS = ["product", "support", "engineering", "finance", "marketing", "legal", "sales"]


def log_feedback(ctx: Context) -> Reply:
    team = ctx.entities.get("team")
    if not team:
        raise NeedSlot("team", "Which team should get it?", [Choice(t, t) for t in TEAMS[:5]])
    customer = ctx.customer(write=True, required=False)
    text = str(ctx.entities.get("text") or ctx.entities.get("summary") or "").strip()
    if not text:
        raise NeedSlot("text", f"What should I tell {team}?")
    ctx.ready_to_write()
    item = feedback.log_feedback(
        session=ctx.session,
        actor=ctx.actor,
        team=str(team),
        text=text,
        customer_id=customer.id if customer else None,
    )
    about = f" about {customer.name}" if customer else ""
    return Reply(
        " ".join(
            [f"Passed to {item.team} (feedback #{item.id}){about}: “{item.text}”.", *ctx.notes]
        )
    )
