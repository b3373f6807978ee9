"""merge_customers: "merge Acme Inc into Acme Corp" — two records that are one customer.

Only a manager or an admin merges, and only after a yes: everything moves to the record
kept and the old name becomes an alias, through the same service as `crmbot customers merge`.
Both names must resolve to one record each; a near miss is offered as a choice, never guessed.
"""

from __future__ import annotations

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_manager
from chat.reply import Reply
from crm_core.models import Customer
from crm_core.services import customers as customer_service
from crm_core.services.merge import merge_customers as merge_service


def merge_customers(ctx: Context) -> Reply:
    require_manager(ctx.user, texts.MERGE_WHAT)
    drop = ctx.customer(write=False, question=texts.ASK_MERGE_DROP)
    assert drop is not None
    keep = _into(ctx, drop)
    if keep.id == drop.id:
        raise LookupError(texts.MERGE_SAME.format(name=keep.name))
    ctx.ready_to_write()
    ctx.confirm(
        f"merge:{drop.id}:{keep.id}", texts.CONFIRM_MERGE.format(drop=drop.name, keep=keep.name)
    )
    drop_name = drop.name
    kept = merge_service(session=ctx.session, actor=ctx.actor, keep=keep.id, drop=drop.id)
    entry = _last_merge_counts(ctx, kept.id)
    moved = ", ".join(
        fmt.plural(n, *texts.MERGE_MOVED_WORDS.get(label, (label, label)))
        for label, n in entry
        if n
    )
    said = texts.MERGED.format(drop=drop_name, keep=kept.name, moved=moved or texts.MERGED_NOTHING)
    return Reply(" ".join([said, *ctx.notes]))


def _into(ctx: Context, drop: Customer) -> Customer:
    """The record to keep, from the `into` entity (or a choice made earlier)."""
    chosen = ctx.entities.get("into_id")
    if chosen:
        return customer_service.get_customer(ctx.session, int(chosen))
    name = str(ctx.entities.get("into") or "").strip().lstrip("@")
    if not name:
        raise NeedSlot("into", texts.ASK_MERGE_KEEP.format(drop=drop.name))
    result = customer_service.resolve_customer(ctx.session, name)
    if result.resolved and result.customer_id is not None and result.how != "fuzzy":
        return customer_service.get_customer(ctx.session, result.customer_id)
    if result.resolved and result.customer_id is not None:  # a fuzzy match: asked, not guessed
        options = [(result.name or name, result.customer_id)]
    else:
        options = [(c.name, c.id) for c in result.candidates if c.id != drop.id]
    if not options:
        ctx.entities.pop("into", None)
        raise LookupError(texts.UNKNOWN_CUSTOMER.format(name=name))
    ctx.entities.pop("into", None)
    raise NeedSlot(
        "into_id",
        texts.WHICH_INTO.format(name=name, drop=drop.name),
        [Choice(label, str(cid)) for label, cid in options[:6]],
    )


def _last_merge_counts(ctx: Context, kept_id: int) -> list[tuple[str, int]]:
    """What the merge just moved, from its audit row (the service's own record)."""
    from sqlalchemy import select

    from crm_core.models import AuditEntry

    entry = ctx.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "customer.merge", AuditEntry.entity_id == kept_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).one()
    moved = (entry.data.get("after") or {}).get("moved") or {}
    return [(label, len(ids)) for label, ids in moved.items() if label != "campaign_members"]
