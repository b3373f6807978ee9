"""help and unknown: what the bot can do, with examples that work as written."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from chat.reply import Reply, Section
from crm_core.models import User
from intents.registry import help_sections

EXAMPLES = help_sections()  # the registry's examples, a section per topic
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
