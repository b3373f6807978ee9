"""Closed vocabularies of the domain, shared by models, validation, parser and replies.

Stored as plain strings (not database enums) so adding a value is a code change, not a
migration that SQLite would have to rebuild a table for.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class Lifecycle(StrEnum):
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    FORMER = "former"


class InteractionKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    DEMO = "demo"
    NOTE = "note"
    MESSAGE = "message"


class LeadStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


class Stage(StrEnum):
    PROSPECTING = "prospecting"
    QUALIFICATION = "qualification"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


OPEN_STAGES: tuple[Stage, ...] = (
    Stage.PROSPECTING,
    Stage.QUALIFICATION,
    Stage.PROPOSAL,
    Stage.NEGOTIATION,
)
CLOSED_STAGES: tuple[Stage, ...] = (Stage.WON, Stage.LOST)


class TaskKind(StrEnum):
    FOLLOW_UP = "follow_up"
    REMINDER = "reminder"
    CAMPAIGN = "campaign"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class AssignmentStrategy(StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    TERRITORY = "territory"


class Metric(StrEnum):
    PIPELINE = "pipeline"
    FORECAST = "forecast"
    WON = "won"
    STALE_DAYS = "stale_days"
    DEAL_AMOUNT = "deal_amount"


class Segment(StrEnum):
    TOP = "top"
    AT_RISK = "at_risk"
    LOYAL = "loyal"
    POTENTIAL = "potential"
    DORMANT = "dormant"
    NEW = "new"


class CampaignChannel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    SMS = "sms"
    SOCIAL = "social"
    EVENT = "event"
    MAIL = "mail"


class FeedbackStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    SKIPPED = "skipped"


class PushKind(StrEnum):
    """The kinds of push the scheduler sends; each can be muted on its own."""

    REMINDER = "reminder"
    FOLLOW_UP = "follow_up"
    STALE_DEAL = "stale_deal"
    LEAD_NUDGE = "lead_nudge"
    ALERT = "alert"
    CAMPAIGN = "campaign"
    DIGEST = "digest"
    FEEDBACK = "feedback"


PUSH_KINDS: tuple[str, ...] = tuple(k.value for k in PushKind)
