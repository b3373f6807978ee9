"""The engine on PostgreSQL: the same conversation as on SQLite, committed for real."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from bot.engine import Engine
from bot.render import plain
from chat.message import Message
from crm_core.database import Database
from crm_core.db import session_factory
from crm_core.models import Deal, Interaction, Task
from crm_core.services.enrolment import EnrolmentPolicy
from tests.bot.conftest import NOW, TZ
from tests.conftest import drop_postgres_schema, postgres_schema_engine, worker_schema

if TYPE_CHECKING:
    from intents import Parser

SCHEMA = worker_schema("crmbot_engine_test")


@pytest.fixture
def pg_database() -> Iterator[Database]:
    engine = postgres_schema_engine(SCHEMA)
    yield Database(engine, session_factory(engine))
    engine.dispose()
    drop_postgres_schema(SCHEMA)


def test_conversation_on_postgres(pg_database: Database, parser: Parser) -> None:
    # Dana is a member of the installing workspace: her first message registers her.
    engine = Engine(pg_database, parser, tz=TZ, enrolment=EnrolmentPolicy(slack_team="T1"))
    said: list[str] = []

    def say(text: str, n: int) -> None:
        reply = engine.handle(
            Message(
                platform="slack",
                user_id="U1",
                channel="D1",
                text=text,
                time=NOW + timedelta(minutes=n),
                message_id=f"e{n}",
                user_name="dana",
                extra={"team": "T1"},
            )
        )
        said.append(plain.render(reply))

    say("log call with Acme, follow up Friday", 1)
    say("yes", 2)  # Acme is new: create it
    say("new deal Acme 25k closing Dec 15", 3)
    say("Acme is in negotiation", 4)
    say("pipeline by stage", 5)
    say("forecast for this quarter", 6)
    assert said[0] == "I don't know “Acme” yet. Create it as a new customer?\n\n(yes / no)"
    assert said[1].startswith("Logged a call with Acme. Follow-up set for Fri 27 Nov 09:00.")
    assert said[3] == "Updated Acme deal: prospecting → negotiation."
    assert said[4].startswith("Your open pipeline: $25,000 in 1 deal ($17,500 weighted).")
    assert said[5].startswith("Your forecast for 1 Oct – 31 Dec 2026: $17,500")
    with pg_database.transaction() as s:
        assert s.scalar(select(func.count(Interaction.id))) == 1
        assert s.scalar(select(func.count(Task.id))) == 1
        assert s.scalar(select(Deal.stage)) == "negotiation"
