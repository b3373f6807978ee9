"""A `testbot` that reads like a conversation (after errbot's test backend): the real engine,
the real parser, a fresh SQLite database per test, a fixed clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from bot.engine import Engine
from bot.render import plain
from chat.message import Message
from chat.reply import Reply
from crm_core.database import Database, open_database
from crm_core.services.context import Actor

if TYPE_CHECKING:
    # Imported for real only inside the fixture, so collecting tests never loads the model.
    from intents import Parser

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # a Monday


@pytest.fixture(scope="session")
def parser() -> Parser:
    from intents import Parser

    return Parser.load()


@pytest.fixture(scope="session")
def template_db(migrated_sqlite_template: Path) -> Path:
    return migrated_sqlite_template


class TestBot:
    __test__ = False

    def __init__(self, database: Database, engine: Engine) -> None:
        self.database = database
        self.engine = engine
        self.now = NOW
        self.counter = 0
        self.last: Reply | None = None

    def say(
        self,
        text: str,
        user: str = "alex",
        *,
        platform: str = "console",
        channel: str = "console",
        advance: timedelta = timedelta(seconds=30),
    ) -> str:
        self.now += advance
        self.counter += 1
        self.last = self.engine.handle(
            Message(
                platform=platform,
                user_id=user,
                channel=channel,
                text=text,
                time=self.now,
                message_id=f"m{self.counter}",
                user_name=user,
            )
        )
        return plain.render(self.last)

    def click(self, action: str, value: str = "", user: str = "alex") -> str:
        self.now += timedelta(seconds=5)
        self.counter += 1
        self.last = self.engine.handle(
            Message(
                platform="console",
                user_id=user,
                channel="console",
                text="",
                time=self.now,
                message_id=f"m{self.counter}",
                user_name=user,
                action=action,
                action_value=value,
            )
        )
        return plain.render(self.last)

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.database.transaction() as session:
            yield session


@pytest.fixture
def testbot(template_db: Path, tmp_path: Path, parser: Parser) -> Iterator[TestBot]:
    path = tmp_path / "bot.db"
    shutil.copy(template_db, path)
    database = open_database(f"sqlite:///{path}")
    bot = TestBot(database, Engine(database, parser, tz=TZ))
    yield bot
    database.dispose()


@pytest.fixture
def team(testbot: TestBot) -> dict[str, int]:
    """alex and dana (reps, team east), morgan (their manager), wes (rep, team west), ada
    (admin), and a few customers; console identities linked by name."""
    from crm_core.services import customers, users

    system = Actor.system("tests")
    ids: dict[str, int] = {}
    with testbot.db() as s:
        for name, display, role, team_name, region in [
            ("alex", "Alex Kim", "rep", "east", "North America"),
            ("dana", "Dana Scully", "rep", "east", "North America"),
            ("morgan", "Morgan Reyes", "manager", "east", "North America"),
            ("wes", "Wes Park", "rep", "west", "North America"),
            ("ada", "Ada Admin", "admin", None, None),
        ]:
            user = users.create_user(
                session=s,
                actor=system,
                name=name,
                display_name=display,
                role=role,
                team=team_name,
                region=region,
            )
            users.link_identity(
                session=s, actor=system, user_id=user.id, platform="console", external_id=name
            )
            ids[name] = user.id
        for name, aliases in [
            ("Acme Corp, Inc.", []),
            ("Globex Corporation", ["GBX"]),
            ("Initech", []),
            ("Umbrella Corp", []),
            ("Hooli", []),
            ("Wonka Industries", []),
            ("Northwind Traders", []),
            ("Apex Brewing", []),
            ("Apex Devices", []),
        ]:
            c = customers.create_customer(
                session=s,
                actor=system,
                name=name,
                aliases=aliases,
                owner_id=ids["alex"],
                lifecycle="customer",
            )
            ids[name] = c.id
        customers.add_contact(
            session=s, actor=system, customer_id=ids["Northwind Traders"], name="Priya Shah"
        )
    return ids
