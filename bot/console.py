"""The console adapter: the thinnest of the three. A console user is known by a name; when
a CRM user of that name exists (the demo's alex, morgan...), the console identity is linked to
them, otherwise first contact registers a new rep."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.engine import Engine
from bot.message import Message
from bot.render import plain
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
    return plain.render(reply)


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
    print(f"crmbot console as {name}. Say “help” for examples, Ctrl-D to leave.", file=stdout)
    read = _terminal_reader() if stdin.isatty() and stdout.isatty() else _line_reader(stdin, stdout)
    while True:
        line = read()
        if line is None or line.strip().lower() in ("quit", "exit", ":q"):
            print("bye", file=stdout)
            return
        if not line.strip():
            continue
        print(f"\ncrmbot> {say(engine, name, line, clock())}\n", file=stdout, flush=True)


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
