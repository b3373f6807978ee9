"""Conversation state past its expiry.

A question the bot asked (which customer? yes or no?) is kept in `conversation_states` until
it is answered or expires; an expired row is never read again (the engine treats it as
absent), so something must delete it or the table only grows. The scheduler's housekeeping
sweep calls this.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from crm_core.models import ConversationState


def purge_expired(session: Session, *, now: datetime) -> int:
    """Delete every conversation question that expired at or before `now`; returns how many."""
    result = session.execute(delete(ConversationState).where(ConversationState.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
