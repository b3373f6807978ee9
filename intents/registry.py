"""One home per intent: its name, whether it writes, its entity keys, and how help shows it.

Everything that needs to know about an intent reads this table: the parser (the labels its
classifier learns, the keys each intent extracts, which intents are writes and so are held to a
stricter bar), the engine (the words a confirmation uses for a write), help (its sections and
examples, each of which a test parses back to its own intent) and the tests. The bot registers one
handler per name here (``bot.handlers.HANDLERS``); a test holds the two together. The order is
the contract's (`../shared/INTENTS.md`), ``unknown`` last.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Intent:
    """One intent of the contract."""

    name: str
    keys: tuple[str, ...]  # entity keys it may return (customer_id goes with customer)
    write: bool = False  # changes data: never guessed, confirmed when the parser is unsure
    action: str = ""  # a write as a confirmation names it: "Shall I {action}?"
    topic: str = ""  # the help section that shows its examples
    examples: tuple[str, ...] = ()  # help's examples: each parses as this intent, as written
    # words that, opening a message, say this intent whatever the classifier weighs (closed
    # command words no other intent or chatter opens with: "disqualify mcallen imports, ...")
    commands: tuple[str, ...] = ()


SPECS: tuple[Intent, ...] = (
    Intent(
        "log_interaction",
        ("kind", "customer", "contact", "summary", "when", "follow_up"),
        write=True,
        action="log an interaction",
        commands=(
            "lvm",
            "left",
            "note",
            "memo",
            "rang",
            "phoned",
            "emailed",
            "texted",
            "txted",
            "whatsapp",
            "whatsapped",
            "whatsapp'd",
            "dm'd",
            "dmed",
            "smsed",
        ),
        topic="Log",
        examples=(
            "log call with Acme, follow up Friday",
            "had a demo with Priya at Northwind yesterday",
        ),
    ),
    Intent(
        "customer_history",
        ("customer", "kind", "limit"),
        topic="Look up",
        examples=("what's going on with Globex?", "who owns Initech?"),
    ),
    Intent(
        "create_lead",
        ("contact", "customer", "email", "phone", "source"),
        write=True,
        action="add a lead",
        topic="Leads",
        examples=("new lead Sam Lee from Initech, sam@initech.io",),
    ),
    Intent(
        "assign_lead",
        ("customer", "contact", "assignee", "strategy"),
        write=True,
        action="assign a lead",
        topic="Leads",
        examples=("give Initech to @dana",),
    ),
    Intent("list_leads", ("owner", "status"), topic="Leads", examples=("my leads",)),
    Intent(
        "create_deal",
        ("customer", "amount", "stage", "close_date", "name"),
        write=True,
        action="open a deal",
        topic="Deals",
        examples=("new deal Umbrella 25k closing Dec 15",),
    ),
    Intent(
        "update_deal",
        ("customer", "deal_id", "stage", "amount", "close_date", "probability", "reason"),
        write=True,
        action="update a deal",
        topic="Deals",
        examples=("Acme is in negotiation", "Hooli deal won"),
    ),
    Intent(
        "pipeline_report",
        ("owner", "period", "group_by"),
        topic="Reports",
        examples=("pipeline by stage",),
    ),
    Intent(
        "forecast", ("period", "owner"), topic="Reports", examples=("forecast for this quarter",)
    ),
    Intent(
        "set_reminder",
        ("customer", "when", "text", "target"),
        write=True,
        action="set a reminder",
        topic="Follow-ups",
        examples=("remind me to send Globex the contract on Thursday",),
    ),
    Intent("list_tasks", ("owner", "period"), topic="Follow-ups", examples=("my tasks this week",)),
    Intent(
        "set_alert",
        ("metric", "comparator", "threshold", "target", "owner"),
        write=True,
        action="set an alert",
        topic="Alerts & campaigns",
        examples=("alert #sales when pipeline drops below 200k",),
    ),
    Intent(
        "create_campaign",
        ("name", "segment", "channel", "when"),
        write=True,
        action="plan a campaign",
        topic="Alerts & campaigns",
        examples=("plan an email campaign for at-risk customers next Monday",),
    ),
    Intent(
        "segment_customers",
        ("segment", "limit"),
        topic="Look up",
        examples=("which customers might churn?",),
    ),
    Intent(
        "rep_performance",
        ("owner", "period"),
        topic="Reports",
        examples=("leaderboard this month",),
    ),
    Intent(
        "log_feedback",
        ("customer", "text", "team"),
        write=True,
        action="pass on feedback",
        topic="Teams",
        examples=("tell product that Acme wants SSO",),
    ),
    Intent(
        "list_deals",
        ("owner", "customer", "period", "stage", "status", "amount", "comparator", "deal_id")
        + ("limit",),
        topic="Deals",
        examples=("which of my deals close next month?",),
    ),
    Intent(
        "update_task",
        ("task_id", "customer", "text", "status", "when"),
        write=True,
        action="change a task",
        topic="Follow-ups",
        examples=("done #90", "snooze the Umbrella follow-up till Monday"),
    ),
    Intent(
        "update_lead",
        ("lead_id", "contact", "customer", "status", "amount", "reason"),
        write=True,
        action="update a lead",
        topic="Leads",
        examples=("mark the Wei Cohen lead as contacted",),
        commands=("disqualify", "dq"),
    ),
    Intent(
        "save_contact",
        ("contact", "customer", "email", "phone", "title"),
        write=True,
        action="save a contact",
        topic="Look up",
        examples=("add Jane Roe to Acme as CFO, jane@acme.com",),
    ),
    Intent(
        "merge_customers",
        ("customer", "into"),
        write=True,
        action="merge two customers",
        topic="Look up",
        examples=("merge Acme Inc into Acme Corp",),
    ),
    Intent(
        "list_feedback",
        ("team", "customer", "status"),
        topic="Teams",
        examples=("open feedback for product",),
    ),
    Intent("help", ()),
    Intent("unknown", ()),
)

REGISTRY: dict[str, Intent] = {spec.name: spec for spec in SPECS}
INTENTS: tuple[str, ...] = tuple(REGISTRY)
INTENT_KEYS: dict[str, tuple[str, ...]] = {spec.name: spec.keys for spec in SPECS}
WRITE_INTENTS: frozenset[str] = frozenset(spec.name for spec in SPECS if spec.write)
COMMANDS: dict[str, str] = {word: spec.name for spec in SPECS for word in spec.commands}

# Help's sections in the order help shows them; each section's examples in contract order.
HELP_TOPICS: tuple[str, ...] = (
    "Log",
    "Look up",
    "Leads",
    "Deals",
    "Reports",
    "Follow-ups",
    "Alerts & campaigns",
    "Teams",
)


def help_sections() -> list[tuple[str, list[str]]]:
    """(topic, examples) for help, in HELP_TOPICS order."""
    return [
        (topic, [e for spec in SPECS if spec.topic == topic for e in spec.examples])
        for topic in HELP_TOPICS
    ]
