"""Follow-up nudges: open deals with no activity for N days, leads not contacted within M
days of assignment (N and M per team, see `team_config`).

A nudge is due at last activity + N days (assignment + M days); its key holds that time, so a
deal is nudged once per quiet spell: logging a call moves its last activity, and the next
spell is a new nudge. Spells that started before the catch-up window are not pushed one by one
(the morning digest lists every stale deal every day).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chat.reply import Button, Reply, Section
from crm_core.models import Customer, Deal, Lead, User
from crm_core.models.enums import OPEN_STAGES, LeadStatus
from crm_core.models.types import as_utc
from jobs import texts
from jobs.clock import CATCH_UP
from jobs.format import money, plural
from jobs.outbox import Push, enqueue, existing_keys, make_key, user_target
from jobs.team_config import load_team_configs


def sweep_stale_deals(session: Session, *, now: datetime) -> int:
    configs = load_team_configs(session)
    days = [c.stale_deal_days for c in configs.all()]
    last = func.coalesce(Deal.last_activity_at, Deal.created_at)
    rows = session.execute(
        select(
            Deal.id,
            Deal.name,
            Deal.amount,
            Deal.stage,
            Deal.owner_id,
            Deal.customer_id,
            Customer.name.label("customer"),
            User.team,
            last.label("last"),
        )
        .join(User, User.id == Deal.owner_id)
        .join(Customer, Customer.id == Deal.customer_id)
        .where(
            Deal.stage.in_([s.value for s in OPEN_STAGES]),
            User.active.is_(True),
            last <= now - timedelta(days=min(days)),
            last > now - timedelta(days=max(days)) - CATCH_UP,
        )
    ).all()
    candidates = []
    for r in rows:
        n = configs.for_team(r.team).stale_deal_days
        last_at = as_utc(r.last)
        assert last_at is not None
        due = last_at + timedelta(days=n)
        if now - CATCH_UP < due <= now:
            candidates.append((make_key("stale_deal", f"deal-{r.id}", due), due, last_at, r))
    known = existing_keys(session, [c[0] for c in candidates])
    pushes = []
    for key, due, last_at, r in candidates:
        if key in known:
            continue
        idle = (now - last_at).days
        text = texts.STALE_DEAL.format(
            name=r.name, amount=money(r.amount), stage=r.stage, idle=plural(idle, "day")
        )
        reply = Reply(
            text,
            [
                Section(
                    fields=[
                        (texts.FIELD_CUSTOMER, r.customer),
                        (texts.FIELD_DEAL, f"#{r.id}"),
                        (texts.FIELD_LAST_ACTIVITY, f"{last_at:%Y-%m-%d}"),
                    ]
                )
            ],
            [Button(texts.LOG_CALL_BUTTON, "log_call", str(r.customer_id), "primary")],
        )
        pushes.append(Push(key, "stale_deal", user_target(r.owner_id), reply, due))
    return enqueue(session, pushes, now=now)


def sweep_uncontacted_leads(session: Session, *, now: datetime) -> int:
    configs = load_team_configs(session)
    days = [c.lead_contact_days for c in configs.all()]
    rows = session.execute(
        select(
            Lead.id,
            Lead.contact_name,
            Lead.company,
            Lead.email,
            Lead.phone,
            Lead.owner_id,
            Lead.customer_id,
            Lead.assigned_at,
            User.team,
        )
        .join(User, User.id == Lead.owner_id)
        .where(
            Lead.status == LeadStatus.NEW.value,
            Lead.contacted_at.is_(None),
            Lead.assigned_at.is_not(None),
            User.active.is_(True),
            Lead.assigned_at <= now - timedelta(days=min(days)),
            Lead.assigned_at > now - timedelta(days=max(days)) - CATCH_UP,
        )
    ).all()
    candidates = []
    for r in rows:
        due = r.assigned_at + timedelta(days=configs.for_team(r.team).lead_contact_days)
        if now - CATCH_UP < due <= now:
            candidates.append((make_key("lead_nudge", f"lead-{r.id}", due), due, r))
    known = existing_keys(session, [c[0] for c in candidates])
    pushes = []
    for key, due, r in candidates:
        if key in known:
            continue
        who = r.contact_name or r.company or texts.LEAD_BY_ID.format(id=r.id)
        if r.contact_name and r.company:
            who = texts.LEAD_CONTACT_AT.format(contact=r.contact_name, company=r.company)
        age = (now - r.assigned_at).days
        text = texts.LEAD_NOT_CONTACTED.format(who=who, age=plural(age, "day"))
        fields = [(texts.FIELD_LEAD, f"#{r.id}")]
        if r.phone:
            fields.append((texts.FIELD_PHONE, r.phone))
        if r.email:
            fields.append((texts.FIELD_EMAIL, r.email))
        buttons = (
            [Button(texts.LOG_CALL_BUTTON, "log_call", str(r.customer_id), "primary")]
            if r.customer_id
            else []
        )
        pushes.append(
            Push(
                key,
                "lead_nudge",
                user_target(r.owner_id),
                Reply(text, [Section(fields=fields)], buttons),
                due,
            )
        )
    return enqueue(session, pushes, now=now)
