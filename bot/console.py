"""The console adapter: the thinnest of the three. A console user is known by a name; when
a CRM user of that name exists (the demo's alex, morgan...), the console identity is linked to
them, otherwise first contact registers a new rep."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot import texts
from bot.engine import Engine
from bot.render import plain
from chat.message import Message
from chat.reply import Button, Reply
from crm_core.services import users as user_service
from crm_core.services.context import Actor

PLATFORM = "console"
CHANNEL = "console"
PROMPT = "you> "


def default_user() -> str:
    return os.environ.get("CRMBOT_USER") or os.environ.get("USER") or "console"


def link_console_user(engine: Engine, name: str) -> None:
    with engine.database.transaction() as session:
        if user_service.user_for_identity(session, PLATFORM, name) is not None:
            return
        existing = user_service.find_user(session, name)
        if existing is not None:
            user_service.link_identity(
                session=session,
                actor=Actor.system("console"),
                user_id=existing.id,
                platform=PLATFORM,
                external_id=name,
            )


def say(engine: Engine, name: str, text: str, now: datetime) -> str:
    reply = engine.handle(
        Message(
            platform=PLATFORM, user_id=name, channel=CHANNEL, text=text, time=now, user_name=name
        )
    )
    return plain.render(reply) + saved_attachment(reply)


def chart_dir() -> Path:
    """Where the console writes charts: $CRMBOT_CHART_DIR, else crmbot-charts in the temp dir."""
    configured = os.environ.get("CRMBOT_CHART_DIR")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "crmbot-charts"


def saved_attachment(reply: Reply) -> str:
    """A terminal cannot show the picture: write it and say where ("" without one)."""
    if reply.attachment is None:
        return ""
    folder = chart_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(reply.attachment.filename).name
    path.write_bytes(reply.attachment.data)
    return "\n\n" + texts.CONSOLE_CHART_WRITTEN.format(path=path)


def chat(
    engine: Engine,
    name: str,
    clock: Callable[[], datetime],
    *,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> None:
    """Interactive loop: prompt_toolkit (line editing, history in ~/.crmbot_history) on a
    terminal, plain lines otherwise (pipes, tests). Ends on EOF, Ctrl-D, "quit" or "exit"."""
    print(texts.CONSOLE_WELCOME.format(name=name), file=stdout)
    read = _terminal_reader() if stdin.isatty() and stdout.isatty() else _line_reader(stdin, stdout)
    buttons: list[Button] = []  # the last reply's: typing a label presses it
    while True:
        line = read()
        if line is None or line.strip().lower() in ("quit", "exit", ":q"):
            print(texts.CONSOLE_BYE, file=stdout)
            return
        if not line.strip():
            continue
        pressed = typed_button(line, buttons)
        reply = engine.handle(
            Message(
                platform=PLATFORM,
                user_id=name,
                channel=CHANNEL,
                text="" if pressed else line,
                time=clock(),
                user_name=name,
                action=pressed.action if pressed else None,
                action_value=pressed.value if pressed else None,
            )
        )
        buttons = list(reply.buttons)
        shown = plain.render(reply) + saved_attachment(reply)
        if any(b.action not in ("confirm", "decline") for b in buttons):
            shown += "\n" + texts.CONSOLE_BUTTON_HINT.format(label=buttons[0].label)
        print(f"\ncrmbot> {shown}\n", file=stdout, flush=True)


def typed_button(line: str, buttons: list[Button]) -> Button | None:
    """The button whose label was typed ("Done #90", "[Snooze #90 1 day]"), if any; a
    typed "yes" / "no" goes to the engine as text, which reads it the same way."""
    wanted = " ".join(line.strip().strip("[]").lower().split())
    for button in buttons:
        if " ".join(button.label.lower().split()) == wanted:
            return button
    return None


def _line_reader(stdin: TextIO, stdout: TextIO) -> Callable[[], str | None]:
    def read() -> str | None:
        print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        return line.rstrip("\n") if line else None

    return read


def _terminal_reader() -> Callable[[], str | None]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(Path.home() / ".crmbot_history"))
    )

    def read() -> str | None:
        try:
            return session.prompt(PROMPT)
        except (EOFError, KeyboardInterrupt):
            return None

    return read
