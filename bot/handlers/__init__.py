"""One handler per intent: entities in, one core call, a Reply out.

`WRITES` are the intents that change data: they are confirmed when the parser is unsure.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.context import Context
from bot.handlers import (
    alerts,
    campaigns,
    deals,
    feedback,
    help,
    history,
    leads,
    logging,
    reports,
    tasks,
)
from bot.reply import Reply

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
    "help": help.help_reply,
    "unknown": help.unknown,
}

WRITES = frozenset(
    {
        "log_interaction",
        "create_lead",
        "assign_lead",
        "create_deal",
        "update_deal",
        "set_reminder",
        "set_alert",
        "create_campaign",
        "log_feedback",
    }
)

DESCRIPTIONS = {
    "log_interaction": "log an interaction",
    "create_lead": "add a lead",
    "assign_lead": "assign a lead",
    "create_deal": "open a deal",
    "update_deal": "update a deal",
    "set_reminder": "set a reminder",
    "set_alert": "set an alert",
    "create_campaign": "plan a campaign",
    "log_feedback": "pass on feedback",
}
