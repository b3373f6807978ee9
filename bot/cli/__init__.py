"""The `crmbot` command line.

Each command group lives in its own module and registers itself on the root app, so that
`crmbot --help` stays fast: heavy imports (spaCy, Slack, Telegram) happen inside the commands.
"""

from __future__ import annotations

import typer

from bot.cli import chat as _chat
from bot.cli import customers as _customers
from bot.cli import database as _database
from bot.cli import demo as _demo
from bot.cli import exporting as _exporting
from bot.cli import importing as _importing
from bot.cli import jobs as _jobs
from bot.cli import parse as _parse
from bot.cli import serve as _serve
from bot.cli import targets as _targets
from bot.cli import teams as _teams
from bot.cli import users as _users

app = typer.Typer(
    name="crmbot",
    help="Chat-ops CRM assistant: log, ask and get nudged from Slack, Telegram or the console.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (_database, _demo, _parse, _chat, _users, _jobs, _serve, _teams, _targets):
    _module.register(app)
for _module in (_importing, _exporting, _customers):  # bring data in and out
    _module.register(app)


def _plain_help(typer_app: typer.Typer) -> None:
    """Click's own help layout for every command group: Typer's rich panels printed a type
    column that read `--help <bool>` and `--scheduler / --no-scheduler <bool>` for flags,
    and kept the docstrings' line breaks mid-sentence. `-h` works like `--help`."""
    typer_app.rich_markup_mode = None
    typer_app.info.context_settings = {
        **(typer_app.info.context_settings or {}),
        "help_option_names": ["-h", "--help"],
    }
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _plain_help(group.typer_instance)


_plain_help(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="crmbot")


if __name__ == "__main__":  # pragma: no cover
    main()
