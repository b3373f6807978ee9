"""Telling the person who set up a channel push that its channel cannot be reached.

A push to #sales fails for good when the bot is not in the channel (Slack's `not_in_channel`:
no `chat:write.public` for a public channel, no invite to a private one; a Telegram group never
linked or that removed the bot) or the channel is gone (`channel_not_found`). Retrying cannot
help and the failure only shows in the outbox, so whoever set the push up (the alert rule's,
reminder's or campaign's creator) gets a note in their DM saying what to do: one note a channel
and person per day, however many pushes fail.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from chat.reply import Reply
from crm_core.database import Database
from crm_core.models import AlertRule, Campaign, Task
from jobs import texts
from jobs.outbox import Push, enqueue, make_key, user_target

if TYPE_CHECKING:  # jobs.delivery calls this module
    from jobs.delivery import Delivery

log = logging.getLogger(__name__)

NOT_MEMBER = ("not_in_channel", "Forbidden", "kicked", "not a member")
NOT_FOUND = ("channel_not_found", "no Slack channel", "no Telegram chat", "no configured platform")
_SUBJECT = re.compile(r"^(?P<rule>[a-z_]+):(?P<what>rule|task|campaign)-(?P<id>\d+)")


def why(delivery: Delivery) -> str | None:
    """The reason a failed channel push cannot reach its channel, None for other failures."""
    if delivery.status != "failed" or not delivery.target.startswith("#"):
        return None
    reason = delivery.reason or ""
    if any(mark in reason for mark in NOT_MEMBER):
        return texts.CHANNEL_WHY_NOT_MEMBER
    if any(mark in reason for mark in NOT_FOUND):
        return texts.CHANNEL_WHY_NOT_FOUND
    return None


def creator(session: Session, key: str) -> int | None:
    """Who set up the push with this outbox key (alert rule, task or campaign)."""
    match = _SUBJECT.match(key)
    if match is None:
        return None
    what, row_id = match["what"], int(match["id"])
    if what == "task":
        task = session.get(Task, row_id)
        return (task.created_by or task.owner_id) if task is not None else None
    if what == "rule":
        rule = session.get(AlertRule, row_id)
        return rule.created_by if rule is not None else None
    campaign = session.get(Campaign, row_id)
    return campaign.created_by if campaign is not None else None


def note(delivery: Delivery, reason: str, user_id: int, now: datetime) -> Push:
    channel = delivery.target
    fixes = {
        "slack": texts.CHANNEL_FIX_SLACK,
        "telegram": texts.CHANNEL_FIX_TELEGRAM.format(channel=channel),
    }
    fix = fixes.get(delivery.platform or "") or " ".join(fixes.values())
    text = texts.CHANNEL_UNREACHABLE.format(
        what=texts.CHANNEL_WHAT.get(delivery.kind, delivery.kind),
        channel=channel,
        why=reason,
        fix=fix,
    )
    return Push(
        make_key("unreachable", f"{channel}-user-{user_id}", now.date().isoformat()),
        delivery.kind,
        user_target(user_id),
        Reply(text, ok=False),
        now,
    )


def tell_creators(database: Database, deliveries: Iterable[Delivery], *, now: datetime) -> int:
    """Queue a note for the creator of each channel push that failed for good; returns how
    many were queued. Never raises: a note is a courtesy, the delivery pass must finish."""
    failed = [(d, reason) for d in deliveries if (reason := why(d)) is not None]
    if not failed:
        return 0
    try:
        with database.transaction() as session:
            pushes = []
            for delivery, reason in failed:
                user_id = creator(session, delivery.key)
                if user_id is not None:
                    pushes.append(note(delivery, reason, user_id, now))
            return enqueue(session, pushes, now=now)
    except Exception:  # noqa: BLE001 - see the docstring
        log.exception("could not queue a note about an unreachable channel")
        return 0
