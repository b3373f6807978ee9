"""help and unknown: what the bot can do, with examples that work as written."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from chat.reply import Reply, Section
from crm_core.models import User

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
TIPS = texts.HELP_TIPS


def _sections() -> list[Section]:
    return [
        Section(title=title, text="\n".join(f"• {e}" for e in examples))
        for title, examples in EXAMPLES
    ]


def help_reply(ctx: Context) -> Reply:
    return help_for(ctx.user)


def help_for(user: User) -> Reply:
    """The help text for this person (also shown in the middle of a question)."""
    return Reply(
        texts.HELP.format(name=user.display_name.split()[0], tips=TIPS), sections=_sections()
    )


def unknown(ctx: Context) -> Reply:
    return Reply(
        texts.NOT_UNDERSTOOD,
        sections=_sections()[:4],
        ok=False,
    )
