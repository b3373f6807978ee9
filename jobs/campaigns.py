"""Campaign steps, all computed from the campaign, its frozen members and logged interactions.

- start (at `starts_at`): each member's owner gets a task per customer (call or e-mail, by the
  campaign's channel) and one push with their list; the campaign's chat channel (else its
  creator) gets a summary. Status planned -> running.
- results, every sweep: a member is *contacted* at the first interaction logged for the
  customer since the start, and has *responded* at the first meeting, demo or message logged
  since the start (the customer took a meeting or wrote back). A contacted member's open
  campaign task is closed.
- stragglers, at start + 2 days and + 5 days: owners with members not contacted yet get a
  reminder listing them.
- end, at start + 7 days: the channel gets the results; status running -> done.

The tasks, the status change and the pushes of a step are written in one transaction, so a
crash in the middle starts the step again from scratch and the keys keep pushes single.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from chat.reply import Reply, Section
from crm_core.models import Campaign, CampaignMember, Customer, Interaction, Task, User
from crm_core.models.enums import InteractionKind, TaskKind, TaskStatus
from crm_core.services.audit import record
from crm_core.services.context import Actor
from jobs import texts
from jobs.clock import CATCH_UP
from jobs.format import plural
from jobs.outbox import Push, channel_target, enqueue, make_key, user_target

STRAGGLER_STEPS = (timedelta(days=2), timedelta(days=5))
CAMPAIGN_LENGTH = timedelta(days=7)
TASK_DUE_AFTER = timedelta(days=2)
RESPONSE_KINDS = (
    InteractionKind.MEETING.value,
    InteractionKind.DEMO.value,
    InteractionKind.MESSAGE.value,
)
RUNNING, DONE = "running", "done"
LIST_LIMIT = 25
ACTOR = Actor.system("jobs:campaigns")


def _verb(channel: str) -> str:
    return texts.CAMPAIGN_VERBS.get(channel, texts.CAMPAIGN_VERB_OTHER)


def _announce_target(campaign: Campaign) -> str | None:
    if campaign.notify_channel:
        return channel_target(campaign.notify_channel)
    return user_target(campaign.created_by) if campaign.created_by else None


def _members(
    session: Session, campaign_id: int
) -> list[tuple[int, int, str, int | None, datetime | None]]:
    """(member id, customer id, customer name, owner id, contacted_at) of a campaign."""
    return [
        (member_id, customer_id, name, owner_id, contacted_at)
        for member_id, customer_id, name, owner_id, contacted_at in session.execute(
            select(
                CampaignMember.id,
                CampaignMember.customer_id,
                Customer.name,
                CampaignMember.owner_id,
                CampaignMember.contacted_at,
            )
            .join(Customer, Customer.id == CampaignMember.customer_id)
            .where(CampaignMember.campaign_id == campaign_id)
            .order_by(Customer.name, CampaignMember.id)
        )
    ]


def _list_section(names: list[str]) -> Section:
    shown = names[:LIST_LIMIT]
    more = len(names) - len(shown)
    return Section(
        text="\n".join(f"- {n}" for n in shown) + (texts.LIST_MORE.format(n=more) if more else "")
    )


def start_campaign(session: Session, campaign: Campaign, *, now: datetime) -> list[Push]:
    members = _members(session, campaign.id)
    verb = _verb(campaign.channel)
    due = campaign.starts_at + TASK_DUE_AFTER
    created = now
    task_rows = [
        {
            "kind": TaskKind.CAMPAIGN.value,
            "text": texts.CAMPAIGN_TASK.format(verb=verb, name=name, campaign=campaign.name),
            "due_at": due,
            "status": TaskStatus.OPEN.value,
            "owner_id": owner,
            "target_user_id": owner,
            "customer_id": customer_id,
            "campaign_id": campaign.id,
            "created_by": campaign.created_by,
            "snooze_count": 0,
            "created_at": created,
        }
        for _, customer_id, name, owner, _ in members
        if owner is not None
    ]
    if task_rows:
        session.execute(insert(Task), task_rows)
    campaign.status = RUNNING
    record(
        session,
        ACTOR,
        "campaign.start",
        campaign,
        extra={"tasks": len(task_rows), "members": len(members)},
    )
    by_owner: dict[int, list[str]] = defaultdict(list)
    for _, _, name, owner, _ in members:
        if owner is not None:
            by_owner[owner].append(name)
    pushes = []
    for owner, names in sorted(by_owner.items()):
        text = texts.CAMPAIGN_STARTS.format(
            name=campaign.name,
            verb=verb.lower(),
            customers=plural(len(names), "customer"),
            due=due,
        )
        pushes.append(
            Push(
                make_key(
                    "campaign", f"campaign-{campaign.id}-start-user-{owner}", campaign.starts_at
                ),
                "campaign",
                user_target(owner),
                Reply(text, [_list_section(names)]),
                campaign.starts_at,
            )
        )
    target = _announce_target(campaign)
    if target:
        unassigned = sum(1 for m in members if m[3] is None)
        owner_names = {
            o: n
            for o, n in session.execute(
                select(User.id, User.display_name).where(User.id.in_(list(by_owner)))
            )
        }
        rows = [list(texts.CAMPAIGN_OWNER_COLUMNS)] + [
            [owner_names.get(o, f"#{o}"), str(len(v))]
            for o, v in sorted(by_owner.items(), key=lambda kv: -len(kv[1]))
        ]
        text = texts.CAMPAIGN_STARTED.format(
            name=campaign.name,
            segment=campaign.segment,
            channel=campaign.channel,
            customers=plural(len(members), "customer"),
            owners=plural(len(by_owner), "owner"),
            unowned=texts.CAMPAIGN_UNOWNED.format(n=unassigned) if unassigned else "",
        )
        pushes.append(
            Push(
                make_key("campaign", f"campaign-{campaign.id}-summary", campaign.starts_at),
                "campaign",
                target,
                Reply(text, [Section(rows=rows)]),
                campaign.starts_at,
            )
        )
    return pushes


def refresh_results(session: Session, campaign: Campaign, *, now: datetime) -> tuple[int, int]:
    """Stamp contacted/responded from interactions since the start; returns the counts."""
    window = (Interaction.occurred_at >= campaign.starts_at) & (Interaction.occurred_at <= now)
    member_filter = CampaignMember.campaign_id == campaign.id
    for column, extra in (
        (CampaignMember.contacted_at, None),
        (CampaignMember.responded_at, Interaction.kind.in_(RESPONSE_KINDS)),
    ):
        first = (
            select(func.min(Interaction.occurred_at))
            .where(Interaction.customer_id == CampaignMember.customer_id, window)
            .scalar_subquery()
            if extra is None
            else select(func.min(Interaction.occurred_at))
            .where(Interaction.customer_id == CampaignMember.customer_id, window, extra)
            .scalar_subquery()
        )
        session.execute(
            update(CampaignMember)
            .where(member_filter, column.is_(None))
            .values({column: first})
            .execution_options(synchronize_session=False)
        )
    contacted_customers = select(CampaignMember.customer_id).where(
        member_filter, CampaignMember.contacted_at.is_not(None)
    )
    session.execute(
        update(Task)
        .where(
            Task.campaign_id == campaign.id,
            Task.status == TaskStatus.OPEN.value,
            Task.customer_id.in_(contacted_customers),
        )
        .values(status=TaskStatus.DONE.value, completed_at=now)
        .execution_options(synchronize_session=False)
    )
    contacted, responded = session.execute(
        select(
            func.count(CampaignMember.contacted_at), func.count(CampaignMember.responded_at)
        ).where(member_filter)
    ).one()
    return int(contacted), int(responded)


def straggler_pushes(session: Session, campaign: Campaign, step: int, due: datetime) -> list[Push]:
    by_owner: dict[int, list[str]] = defaultdict(list)
    for _, _, name, owner, contacted in _members(session, campaign.id):
        if owner is not None and contacted is None:
            by_owner[owner].append(name)
    verb = _verb(campaign.channel).lower()
    return [
        Push(
            make_key("campaign", f"campaign-{campaign.id}-step{step}-user-{owner}", due),
            "campaign",
            user_target(owner),
            Reply(
                texts.CAMPAIGN_STRAGGLERS.format(
                    name=campaign.name, customers=plural(len(names), "customer"), verb=verb
                ),
                [_list_section(names)],
            ),
            due,
        )
        for owner, names in sorted(by_owner.items())
    ]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def sweep_campaigns(session: Session, *, now: datetime) -> int:
    pushes: list[Push] = []
    for campaign in session.scalars(
        select(Campaign)
        .where(Campaign.status == "planned", Campaign.starts_at <= now)
        .order_by(Campaign.starts_at, Campaign.id)
    ):
        pushes += start_campaign(session, campaign, now=now)
    session.flush()
    for campaign in session.scalars(
        select(Campaign).where(Campaign.status == RUNNING).order_by(Campaign.starts_at, Campaign.id)
    ):
        contacted, responded = refresh_results(session, campaign, now=now)
        for step, offset in enumerate(STRAGGLER_STEPS, start=1):
            due = campaign.starts_at + offset
            if now - CATCH_UP < due <= now:
                pushes += straggler_pushes(session, campaign, step, due)
        end = campaign.starts_at + CAMPAIGN_LENGTH
        if end <= now:
            campaign.status = DONE
            total = len(_members(session, campaign.id))
            record(
                session,
                ACTOR,
                "campaign.finish",
                campaign,
                extra={"contacted": contacted, "responded": responded, "members": total},
            )
            target = _announce_target(campaign)
            if target:
                text = texts.CAMPAIGN_RESULTS.format(
                    name=campaign.name,
                    contacted=contacted,
                    total=total,
                    contacted_share=_pct(contacted, total),
                    responded=responded,
                    responded_share=_pct(responded, total),
                )
                pushes.append(
                    Push(
                        make_key("campaign", f"campaign-{campaign.id}-results", end),
                        "campaign",
                        target,
                        Reply(
                            text,
                            [
                                Section(
                                    fields=[
                                        (texts.FIELD_CONTACTED, str(contacted)),
                                        (texts.FIELD_RESPONDED, str(responded)),
                                        (texts.FIELD_MEMBERS, str(total)),
                                    ]
                                )
                            ],
                        ),
                        end,
                    )
                )
    session.flush()
    return enqueue(session, pushes, now=now)
