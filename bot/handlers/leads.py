"""create_lead, assign_lead (one lead, or share out the unassigned ones), list_leads."""

from __future__ import annotations

import re

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_act_for, require_manager, visible_owner_ids
from chat.reply import Reply, Section
from crm_core.errors import DuplicateError
from crm_core.models import Lead
from crm_core.services import assignment, leads

LEAD_PAGE = 15
ASKS_UNASSIGNED = re.compile(r"\b(?:unassigned|unowned|nobody'?s|no owner|not assigned)\b", re.I)


def create_lead(ctx: Context) -> Reply:
    contact = ctx.entities.get("contact")
    company = ctx.entities.get("customer")
    if not contact and not company:
        raise NeedSlot("contact", texts.ASK_LEAD)
    ctx.ready_to_write()
    try:
        lead = leads.create_lead(
            session=ctx.session,
            actor=ctx.actor,
            contact_name=contact,
            company=company,
            email=ctx.entities.get("email"),
            phone=ctx.entities.get("phone"),
            source=ctx.entities.get("source"),
            owner_id=ctx.user.id,
            region=ctx.user.region,
            now=ctx.now,
        )
    except DuplicateError as exc:
        existing = exc.existing
        owner = (
            existing.owner.display_name if existing is not None and existing.owner else texts.NOBODY
        )
        return Reply(texts.LEAD_EXISTS.format(lead=exc, owner=owner), ok=False)
    who = " at ".join(p for p in (lead.contact_name, lead.company) if p)
    extra = ", ".join(p for p in (lead.email, lead.phone) if p)
    text = (
        fmt.sentence(texts.NEW_LEAD.format(id=lead.id, who=who) + (f" ({extra})" if extra else ""))
        + " "
        + texts.LEAD_IS_YOURS
    )
    if lead.customer_id:
        text += " " + texts.LEAD_IS_CUSTOMER
    return Reply(text)


def the_lead(ctx: Context) -> Lead:
    name = ctx.entities.get("customer") or ctx.entities.get("contact")
    lead_id = ctx.entities.get("lead_id")
    if lead_id:
        return leads.get_lead(ctx.session, int(lead_id))
    if not name:
        raise NeedSlot("customer", texts.ASK_WHICH_LEAD)
    found = leads.find_leads(ctx.session, str(name))
    if not found:
        ctx.entities.pop("customer", None)
        ctx.entities.pop("contact", None)
        raise NeedSlot("customer", texts.NO_LEAD_FOUND.format(name=name))
    if len(found) > 1:
        raise NeedSlot(
            "lead_id",
            texts.WHICH_LEAD_FOR.format(name=name),
            [
                Choice(
                    f"#{lead.id} {lead.contact_name or ''} {lead.company or ''}".strip(),
                    str(lead.id),
                )
                for lead in found[:5]
            ],
        )
    return found[0]


def assign_lead(ctx: Context) -> Reply:
    strategy = ctx.entities.get("strategy")
    if strategy and not (ctx.entities.get("customer") or ctx.entities.get("contact")):
        require_manager(ctx.user, texts.SHARE_OUT_WHAT)
        team = ctx.user.team if ctx.user.role == "manager" else None
        ctx.confirm(
            "bulk",
            texts.SHARE_OUT_TEAM.format(strategy=strategy.replace("_", " "), team=team)
            if team
            else texts.SHARE_OUT.format(strategy=strategy.replace("_", " ")),
        )
        ctx.ready_to_write()
        result = assignment.distribute_leads(
            session=ctx.session, actor=ctx.actor, strategy=strategy, team=team, now=ctx.now
        )
        counts: dict[str, int] = {}
        for _, rep in result.assigned:
            counts[rep.display_name] = counts.get(rep.display_name, 0) + 1
        text = texts.LEADS_ASSIGNED.format(
            leads=fmt.plural(len(result.assigned), "lead"), strategy=strategy.replace("_", " ")
        )
        if result.unassigned:
            text += " " + texts.LEADS_UNASSIGNED.format(
                leads=fmt.plural(len(result.unassigned), "lead"), reason=result.reason
            )
        if result.other_regions:
            text += " " + texts.LEADS_OTHER_REGIONS.format(
                leads=fmt.plural(len(result.other_regions), "lead"), team=team
            )
        rows = [list(texts.SHARE_OUT_COLUMNS)] + [
            [name, str(n)] for name, n in sorted(counts.items())
        ]
        return Reply(text, sections=[Section(rows=rows)] if counts else [])
    lead = the_lead(ctx)
    assignee = ctx.person(
        ctx.entities.get("assignee"), slot="assignee", question=texts.ASK_ASSIGNEE
    )
    if lead.owner_id not in (None, ctx.user.id) or assignee.id != ctx.user.id:
        require_act_for(ctx.session, ctx.user, lead.owner_id, texts.LEAD_WHAT.format(id=lead.id))
        require_act_for(ctx.session, ctx.user, assignee.id, texts.ASSIGN_OTHERS_WHAT)
    ctx.ready_to_write()
    assignment.assign_lead(
        session=ctx.session, actor=ctx.actor, lead_id=lead.id, user_id=assignee.id, now=ctx.now
    )
    who = texts.YOU if assignee.id == ctx.user.id else assignee.display_name
    name = lead.company or lead.contact_name
    return Reply(texts.LEAD_ASSIGNED.format(id=lead.id, name=name, who=who))


def list_leads(ctx: Context) -> Reply:
    owner_value = ctx.entities.get("owner")
    status = ctx.entities.get("status")
    if not owner_value and ASKS_UNASSIGNED.search(ctx.message.text):
        found = leads.list_leads(ctx.session, unassigned=True, status=status, limit=200)
        label = texts.UNASSIGNED_LABEL
    else:
        owner = (
            ctx.person(owner_value, slot="owner", question=texts.ASK_WHOSE_LEADS)
            if owner_value
            else None
        )
        owner_ids, label = visible_owner_ids(ctx.session, ctx.user, owner or ctx.user)
        found = leads.list_leads(ctx.session, owner_ids=owner_ids, status=status, limit=200)
    what = texts.LEADS_WITH_STATUS.format(status=status) if status else texts.OPEN_LEADS
    if not found:
        return Reply(texts.NO_LEADS.format(what=what, label=label))
    shown = ctx.page(found, LEAD_PAGE)
    rows = [list(texts.LEAD_COLUMNS)] + [
        [
            str(lead.id),
            " at ".join(p for p in (lead.contact_name, lead.company) if p),
            lead.status,
            fmt.day(lead.created_at, ctx.tz, today=ctx.today),
        ]
        for lead in shown
    ]
    more = texts.LEADS_MORE.format(shown=len(shown)) if len(shown) < len(found) else ""
    return Reply(
        texts.LEADS_LIST.format(label=fmt.upfirst(label), what=what, n=len(found), more=more),
        sections=[Section(rows=rows)],
    )
