"""list_feedback: what customers asked of a team, read back ("open feedback for product",
"what did acme ask for?"). Newest first; open only when the person says "open"."""

from __future__ import annotations

from bot import format as fmt
from bot import texts
from bot.context import Context
from chat.reply import Reply, Section
from crm_core.models import Feedback
from crm_core.services import feedback as feedback_service

LIMIT = 200
PAGE = 15


def list_feedback(ctx: Context) -> Reply:
    team = str(ctx.entities.get("team") or "").strip().lower() or None
    status = str(ctx.entities.get("status") or "").strip().lower() or None
    customer = ctx.customer(write=False, required=False)
    items = feedback_service.list_feedback(
        ctx.session,
        team=team,
        status=status,
        customer_id=customer.id if customer else None,
        limit=LIMIT,
    )
    labels = {
        "status": f"{status} " if status else "",
        "team": texts.FEEDBACK_TEAM.format(team=team) if team else "",
        "customer": texts.FEEDBACK_ABOUT.format(customer=customer.name) if customer else "",
    }
    if not items:
        return Reply(" ".join([texts.FEEDBACK_NONE.format(**labels), *ctx.notes]))
    header = texts.FEEDBACK_HEADER.format(n=len(items), **labels)
    rows = [texts.FEEDBACK_COLUMNS] + [_row(item) for item in ctx.page(items, PAGE)]
    return Reply(" ".join([fmt.upfirst(header), *ctx.notes]), sections=[Section(rows=rows)])


def _row(item: Feedback) -> list[str]:
    return [
        f"#{item.id}",
        item.team,
        item.customer.name if item.customer else "–",
        item.status,
        item.text,
        item.author.display_name if item.author else "–",
    ]
