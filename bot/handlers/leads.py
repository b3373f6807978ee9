"""create_lead, assign_lead (one lead, or share out the unassigned ones), list_leads."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_act_for, require_manager, visible_owner_ids
from bot.reply import Reply, Section
from crm_core.errors import DuplicateError
from crm_core.services import assignment, leads


def create_lead(ctx: Context) -> Reply:
    contact = ctx.entities.get("contact")
    company = ctx.entities.get("customer")
    if not contact and not company:
        raise NeedSlot(
            "contact", 'Who is the lead? A person, a company, or both ("Sam Lee from Initech").'
        )
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
        owner = existing.owner.display_name if existing is not None and existing.owner else "nobody"
        return Reply(
            f"That lead exists already: {exc} (owner: {owner}). Nothing was added.", ok=False
        )
    who = " at ".join(p for p in (lead.contact_name, lead.company) if p)
    extra = ", ".join(p for p in (lead.email, lead.phone) if p)
    text = (
        fmt.sentence(f"New lead #{lead.id}: {who}" + (f" ({extra})" if extra else ""))
        + " It's yours."
    )
    if lead.customer_id:
        text += " (Already a customer in the CRM.)"
    return Reply(text)


def _the_lead(ctx: Context) -> leads.Lead:  # type: ignore[name-defined]
    name = ctx.entities.get("customer") or ctx.entities.get("contact")
    lead_id = ctx.entities.get("lead_id")
    if lead_id:
        return leads.get_lead(ctx.session, int(lead_id))
    if not name:
        raise NeedSlot("customer", "Which lead? Name the company or the person.")
    found = leads.find_leads(ctx.session, str(name))
    if not found:
        ctx.entities.pop("customer", None)
        ctx.entities.pop("contact", None)
        raise NeedSlot("customer", f"I found no open lead for “{name}”. Which lead?")
    if len(found) > 1:
        raise NeedSlot(
            "lead_id",
            f"Which lead for “{name}”?",
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
        require_manager(ctx.user, "share out leads")
        team = ctx.user.team if ctx.user.role == "manager" else None
        ctx.confirm(
            "bulk",
            f"Share out every unassigned lead {strategy.replace('_', ' ')}"
            + (f" among team {team}" if team else "")
            + "?",
        )
        ctx.ready_to_write()
        result = assignment.distribute_leads(
            session=ctx.session, actor=ctx.actor, strategy=strategy, team=team, now=ctx.now
        )
        counts: dict[str, int] = {}
        for _, rep in result.assigned:
            counts[rep.display_name] = counts.get(rep.display_name, 0) + 1
        text = (
            f"Assigned {fmt.plural(len(result.assigned), 'lead')} ({strategy.replace('_', ' ')})."
        )
        if result.unassigned:
            text += (
                f" {fmt.plural(len(result.unassigned), 'lead')} left unassigned: {result.reason}."
            )
        rows = [["Rep", "Leads"]] + [[name, str(n)] for name, n in sorted(counts.items())]
        return Reply(text, sections=[Section(rows=rows)] if counts else [])
    lead = _the_lead(ctx)
    assignee = ctx.person(
        ctx.entities.get("assignee"), slot="assignee", question="Who should get it?"
    )
    if lead.owner_id not in (None, ctx.user.id) or assignee.id != ctx.user.id:
        require_act_for(ctx.session, ctx.user, lead.owner_id, f"lead #{lead.id}")
        require_act_for(ctx.session, ctx.user, assignee.id, "assigning leads to others")
    ctx.ready_to_write()
    assignment.assign_lead(
        session=ctx.session, actor=ctx.actor, lead_id=lead.id, user_id=assignee.id, now=ctx.now
    )
    who = "you" if assignee.id == ctx.user.id else assignee.display_name
    name = lead.company or lead.contact_name
    return Reply(f"Lead #{lead.id} ({name}) now belongs to {who}.")


def list_leads(ctx: Context) -> Reply:
    owner_value = ctx.entities.get("owner")
    owner = ctx.person(owner_value, slot="owner", question="Whose leads?") if owner_value else None
    owner_ids, label = visible_owner_ids(ctx.session, ctx.user, owner or ctx.user)
    status = ctx.entities.get("status")
    found = leads.list_leads(ctx.session, owner_ids=owner_ids, status=status, limit=200)
    what = f"{status} leads" if status else "open leads"
    if not found:
        return Reply(f"No {what} ({label}).")
    rows = [["#", "Lead", "Status", "Since"]] + [
        [
            str(lead.id),
            " at ".join(p for p in (lead.contact_name, lead.company) if p),
            lead.status,
            fmt.day(lead.created_at, ctx.tz, today=ctx.today),
        ]
        for lead in found[:15]
    ]
    more = f" (showing 15; and {len(found) - 15} more)" if len(found) > 15 else ""
    return Reply(f"{fmt.upfirst(label)} {what}: {len(found)}{more}.", sections=[Section(rows=rows)])
