"""help and unknown: what the bot can do, with examples that work as written."""

from __future__ import annotations

from bot.context import Context
from bot.reply import Reply, Section

EXAMPLES = [
    (
        "Log",
        ["log call with Acme, follow up Friday", "had a demo with Priya at Northwind yesterday"],
    ),
    ("Look up", ["what's going on with Globex?", "which customers might churn?"]),
    (
        "Leads",
        ["new lead Sam Lee from Initech, sam@initech.io", "give Initech to @dana", "my leads"],
    ),
    ("Deals", ["new deal Umbrella 25k closing Dec 15", "Acme is in negotiation", "Hooli deal won"]),
    ("Reports", ["pipeline by stage", "forecast for this quarter", "leaderboard this month"]),
    ("Follow-ups", ["remind me to send Globex the contract on Thursday", "my tasks this week"]),
    (
        "Alerts & campaigns",
        [
            "alert #sales when pipeline drops below 200k",
            "plan an email campaign for at-risk customers next Monday",
        ],
    ),
    ("Teams", ["tell product that Acme wants SSO"]),
]
TIPS = "Say “undo” to reverse your last change (within 10 minutes), “cancel” to drop a question."


def _sections() -> list[Section]:
    return [
        Section(title=title, text="\n".join(f"• {e}" for e in examples))
        for title, examples in EXAMPLES
    ]


def help_reply(ctx: Context) -> Reply:
    return Reply(
        f"Here's what I can do, {ctx.user.display_name.split()[0]}. {TIPS}", sections=_sections()
    )


def unknown(ctx: Context) -> Reply:
    return Reply(
        "Sorry, I didn't get that. Try one of these (or say “help”):",
        sections=_sections()[:4],
        ok=False,
    )
