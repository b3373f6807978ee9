"""One handler per intent: entities in, one core call, a Reply out.

`HANDLERS` has one handler for every intent of the registry (`intents.registry`, where each
intent's name, keys, write flag, confirmation words and help examples live; a test holds the two
together); `WRITES` are the intents that change data, confirmed when the parser is unsure.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.context import Context
from bot.handlers import (
    alerts,
    campaigns,
    contacts,
    deal_list,
    deals,
    feedback,
    feedback_list,
    help,
    history,
    lead_updates,
    leads,
    logging,
    merging,
    reports,
    task_updates,
    tasks,
)
from chat.reply import Reply
from intents.registry import REGISTRY, WRITE_INTENTS

Handler = Callable[[Context], Reply]

HANDLERS: dict[str, Handler] = {
    "log_interaction": logging.log_interaction,
    "customer_history": history.customer_history,
    "create_lead": leads.create_lead,
    "assign_lead": leads.assign_lead,
    "list_leads": leads.list_leads,
    "create_deal": deals.create_deal,
    "update_deal": deals.update_deal,
    "pipeline_report": reports.pipeline_report,
    "forecast": reports.forecast,
    "rep_performance": reports.rep_performance,
    "set_reminder": tasks.set_reminder,
    "list_tasks": tasks.list_tasks,
    "set_alert": alerts.set_alert,
    "create_campaign": campaigns.create_campaign,
    "segment_customers": campaigns.segment_customers,
    "log_feedback": feedback.log_feedback,
    "list_deals": deal_list.list_deals_reply,
    "update_task": task_updates.update_task,
    "update_lead": lead_updates.update_lead,
    "save_contact": contacts.save_contact,
    "list_feedback": feedback_list.list_feedback,
    "merge_customers": merging.merge_customers,
    "help": help.help_reply,
    "unknown": help.unknown,
}

# Which intents write is the registry's to say (the parser holds them to a stricter bar); the
# engine confirms those it is unsure of, naming each by its registered action.
WRITES = WRITE_INTENTS

DESCRIPTIONS = {name: spec.action for name, spec in REGISTRY.items() if spec.write}
