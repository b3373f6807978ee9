"""The CRM's tables. Importing this package registers every model on `Base.metadata`."""

from crm_core.models.alert import AlertRule
from crm_core.models.audit import AuditEntry
from crm_core.models.base import Base
from crm_core.models.campaign import Campaign, CampaignMember
from crm_core.models.channel_link import ChannelLink
from crm_core.models.conversation import ConversationState
from crm_core.models.customer import Contact, Customer, CustomerAlias
from crm_core.models.deal import Deal, DealStageChange, PipelineStage
from crm_core.models.feedback import Feedback
from crm_core.models.handled_request import HandledRequest
from crm_core.models.interaction import Interaction
from crm_core.models.invite import Invite
from crm_core.models.lead import Lead
from crm_core.models.notification_preference import NotificationPreference
from crm_core.models.outbox import OutboxMessage
from crm_core.models.report_aggregate import DealAggregate, StageOutcome
from crm_core.models.scheduler_lease import SchedulerLease
from crm_core.models.target import Target
from crm_core.models.task import Task
from crm_core.models.team_settings import TeamSettings
from crm_core.models.user import User, UserIdentity

__all__ = [
    "AlertRule",
    "AuditEntry",
    "Base",
    "Campaign",
    "CampaignMember",
    "ChannelLink",
    "Contact",
    "ConversationState",
    "Customer",
    "CustomerAlias",
    "Deal",
    "DealAggregate",
    "DealStageChange",
    "Feedback",
    "HandledRequest",
    "Interaction",
    "Invite",
    "Lead",
    "OutboxMessage",
    "PipelineStage",
    "Task",
    "User",
    "UserIdentity",
    "NotificationPreference",
    "SchedulerLease",
    "StageOutcome",
    "Target",
    "TeamSettings",
]
