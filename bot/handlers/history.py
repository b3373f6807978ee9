"""customer_history: "what's going on with Globex?"."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Context
from bot.reply import Button, Reply, Section
from crm_core.services import history

RISK_LABEL = {"low": "low", "medium": "medium ⚠️", "high": "high 🔴", "unknown": "unknown"}


def customer_history(ctx: Context) -> Reply:
    customer = ctx.customer(write=False, question="Which customer do you want to see?")
    assert customer is not None
    limit = int(ctx.entities.get("limit") or 5)
    h = history.customer_history(
        ctx.session,
        customer.id,
        limit=max(1, min(limit, 25)),
        kind=ctx.entities.get("kind"),
        now=ctx.now,
    )
    last = ctx.when(h.last_contact_at) if h.last_contact_at else "never"
    fields = [
        ("Owner", h.owner.display_name if h.owner else "nobody"),
        ("Lifecycle", customer.lifecycle),
        ("Lifetime won", fmt.money(h.lifetime_won)),
        ("Last contact", last),
        ("Interactions", str(h.interaction_count)),
        ("Churn risk", f"{RISK_LABEL[h.risk.level]} – {h.risk.reason}"),
    ]
    sections = [Section(title=customer.name, fields=fields)]
    if h.interactions:
        lines = [
            f"{fmt.day(i.occurred_at, ctx.tz, today=ctx.today)} · {i.kind} · "
            f"{h.users.get(i.user_id or 0, 'someone')}" + (f" – {i.summary}" if i.summary else "")
            for i in h.interactions
        ]
        more = h.interaction_count - len(h.interactions)
        if more > 0 and not ctx.entities.get("kind"):
            lines.append(f"and {more} earlier")
        sections.append(Section(title="Recent", text="\n".join(lines)))
    if h.open_deals:
        rows = [["Deal", "Stage", "Amount", "Close"]] + [
            [
                d.name,
                d.stage,
                fmt.money(d.amount, d.currency),
                fmt.day(d.close_date, today=ctx.today) if d.close_date else "–",
            ]
            for d in h.open_deals[:10]
        ]
        sections.append(Section(title="Open deals", rows=rows))
    if h.contacts:
        sections.append(
            Section(
                title="Contacts",
                text="\n".join(
                    fmt.top(
                        [
                            f"{c.name}"
                            + (f" ({c.title})" if c.title else "")
                            + (f" {c.email}" if c.email else "")
                            for c in h.contacts
                        ],
                        5,
                    )
                ),
            )
        )
    summary = (
        f"{customer.name}: last contact {last}, {fmt.plural(len(h.open_deals), 'open deal')}, "
        f"{fmt.money(h.lifetime_won)} won, risk {h.risk.level}."
    )
    return Reply(
        " ".join([summary, *ctx.notes]),
        sections=sections,
        buttons=[Button("Log call", "log_call", str(customer.id))],
    )
