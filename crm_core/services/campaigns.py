"""Campaigns for a segment, with the member list frozen when the campaign is planned, so the
results are measured against the customers actually targeted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import Campaign, CampaignMember
from crm_core.models.base import utcnow
from crm_core.models.enums import CampaignChannel
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.services.segments import segment_customers
from crm_core.services.tasks import _channel
from crm_core.validation import clean_choice, clean_name, require_aware


@atomic
def create_campaign(
    *,
    session: Session,
    actor: Actor,
    name: str,
    segment: str,
    channel: str = CampaignChannel.EMAIL,
    starts_at: datetime | None = None,
    notify_channel: str | None = None,
    owner_ids: list[int] | None = None,
    now: datetime | None = None,
) -> Campaign:
    now = now or utcnow()
    starts_at = require_aware(starts_at, field="when") if starts_at else now
    members = segment_customers(session, segment, now=now, owner_ids=owner_ids)
    if not members:
        raise ValidationError(f"the {segment} segment has no customers right now", field="segment")
    campaign = Campaign(
        name=clean_name(name, field="campaign name"),
        segment=segment,
        channel=clean_choice(channel, CampaignChannel, field="channel").value,
        starts_at=starts_at,
        created_by=actor.user_id,
        notify_channel=_channel(notify_channel),
    )
    campaign.members = [
        CampaignMember(
            customer_id=m.customer_id,
            owner_id=m.owner_id,
            recency_days=m.recency_days,
            frequency=m.frequency,
            monetary=m.monetary,
        )
        for m in members
    ]
    session.add(campaign)
    session.flush()
    record(
        session,
        actor,
        "campaign.create",
        campaign,
        after=snapshot(campaign),
        extra={"members": len(members)},
    )
    return campaign


def member_count(session: Session, campaign_id: int) -> int:
    return (
        session.scalar(
            select(func.count(CampaignMember.id)).where(CampaignMember.campaign_id == campaign_id)
        )
        or 0
    )
