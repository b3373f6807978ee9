"""customer_history: "what's going on with Globex?"."""

from __future__ import annotations

import re

from bot import format as fmt
from bot import texts
from bot.context import Context
from chat.reply import Button, Reply, Section
from crm_core.models import Customer, User
from crm_core.services import history

RISK_LABEL = texts.RISK_LABELS
# One fact of a customer, answered in one line instead of the whole history.
ASKS_OWNER = re.compile(
    r"\bwho(?:'s| is|se)?\s+(?:owns|owner|account|handles|covers|manages|looks after)\b"
    r"|\bowner of\b|\bwho has the\b",
    re.I,
)
ASKS_CONTACT = re.compile(
    r"\bcontacts?\b|\bwho (?:do we|we) know\b|\bwho(?:'s| is) our (?:person|guy|main)\b"
    r"|\bwho (?:should|do) (?:i|we) (?:talk|speak) to\b",
    re.I,
)


def customer_history(ctx: Context) -> Reply:
    customer = ctx.customer(write=False, question=texts.ASK_HISTORY_CUSTOMER)
    assert customer is not None
    if ASKS_OWNER.search(ctx.message.text):
        owner = ctx.session.get(User, customer.owner_id) if customer.owner_id else None
        said = (
            texts.CUSTOMER_OWNER.format(customer=customer.name, owner=owner.display_name)
            if owner
            else texts.CUSTOMER_NO_OWNER.format(customer=customer.name)
        )
        return Reply(" ".join([said, *ctx.notes]))
    if ASKS_CONTACT.search(ctx.message.text):
        return _contacts(ctx, customer)
    limit = int(ctx.entities.get("limit") or 5)
    h = history.customer_history(
        ctx.session,
        customer.id,
        limit=max(1, min(limit, 25)),
        kind=ctx.entities.get("kind"),
        now=ctx.now,
    )
    last = ctx.when(h.last_contact_at) if h.last_contact_at else texts.NEVER
    fields = [
        (texts.HISTORY_OWNER, h.owner.display_name if h.owner else texts.NOBODY),
        (texts.HISTORY_LIFECYCLE, customer.lifecycle),
        (texts.HISTORY_LIFETIME_WON, fmt.money(h.lifetime_won)),
        (texts.HISTORY_LAST_CONTACT, last),
        (texts.HISTORY_INTERACTIONS, str(h.interaction_count)),
        (texts.HISTORY_CHURN_RISK, f"{RISK_LABEL[h.risk.level]} – {h.risk.reason}"),
    ]
    sections = [Section(title=customer.name, fields=fields)]
    if h.interactions:
        lines = [
            f"{fmt.day(i.occurred_at, ctx.tz, today=ctx.today)} · {i.kind} · "
            f"{h.users.get(i.user_id or 0, texts.SOMEONE)}"
            + (f" – {i.summary}" if i.summary else "")
            for i in h.interactions
        ]
        more = h.interaction_count - len(h.interactions)
        if more > 0 and not ctx.entities.get("kind"):
            lines.append(texts.HISTORY_EARLIER.format(n=more))
        sections.append(Section(title=texts.HISTORY_RECENT_TITLE, text="\n".join(lines)))
    if h.open_deals:
        rows = [list(texts.OPEN_DEAL_COLUMNS)] + [
            [
                d.name,
                d.stage,
                fmt.money(d.amount, d.currency),
                fmt.day(d.close_date, today=ctx.today) if d.close_date else "–",
            ]
            for d in h.open_deals[:10]
        ]
        sections.append(Section(title=texts.HISTORY_DEALS_TITLE, rows=rows))
    if h.contacts:
        sections.append(
            Section(
                title=texts.HISTORY_CONTACTS_TITLE,
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
    summary = texts.HISTORY_SUMMARY.format(
        name=customer.name,
        last=last,
        deals=fmt.plural(len(h.open_deals), "open deal"),
        won=fmt.money(h.lifetime_won),
        risk=h.risk.level,
    )
    return Reply(
        " ".join([summary, *ctx.notes]),
        sections=sections,
        buttons=[Button(texts.LOG_CALL_BUTTON, "log_call", str(customer.id))],
    )


def _contacts(ctx: Context, customer: Customer) -> Reply:
    people = sorted(customer.contacts, key=lambda c: c.name.lower())
    if not people:
        return Reply(
            " ".join([texts.CUSTOMER_NO_CONTACTS.format(customer=customer.name), *ctx.notes])
        )
    listed = "; ".join(
        c.name + "".join(f", {v}" for v in (c.title, c.email, c.phone) if v) for c in people[:5]
    )
    more = texts.CUSTOMER_MORE_CONTACTS.format(n=len(people) - 5) if len(people) > 5 else ""
    said = texts.CUSTOMER_CONTACTS.format(customer=customer.name, contacts=listed, more=more)
    return Reply(" ".join([said, *ctx.notes]))
