"""A rep's everyday actions beyond logging (issue 13): tasks moved on, deals listed and shown
by number, contacts saved, leads moved on and converted, feedback read back.

Each test is a transcript: what is typed, what must be said, what the database then holds.
The parser's reading of each line is given with the line (`Scripted`), so that these tests
pin the engine and the handlers; the parser's own tests pin the reading.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.engine import Engine
from crm_core.database import Database, open_database
from crm_core.db import session_factory
from crm_core.models import AuditEntry, Base, Contact, Customer, Deal, Interaction, Lead, Task
from crm_core.services import deals, feedback, leads, tasks
from crm_core.services.context import Actor
from tests.bot.conftest import TZ, TestBot
from tests.conftest import drop_postgres_schema, postgres_schema_engine, worker_schema

if TYPE_CHECKING:
    from intents import Parser

Check = Callable[[Session], bool]
T = TypeVar("T")


class Scripted:
    """A parser that reads each scripted text as given, at full confidence."""

    def __init__(self) -> None:
        self.script: dict[str, tuple[str, dict[str, Any]]] = {}

        self.also: dict[str, list[dict[str, Any]]] = {}

    def parse(self, text: str, now: datetime | None = None) -> dict[str, Any]:
        intent, entities = self.script.get(text, ("unknown", {}))
        parsed = {"text": text, "intent": intent, "confidence": 1.0, "entities": dict(entities)}
        if text in self.also:
            parsed["also"] = self.also[text]
        return parsed


DAY_SCHEMA = worker_schema("crmbot_day_test")


@pytest.fixture(scope="module")
def day_postgres() -> Iterator[Database]:
    """One migrated schema for this module's PostgreSQL half, emptied before each test."""
    engine = postgres_schema_engine(DAY_SCHEMA)
    yield Database(engine, session_factory(engine))
    engine.dispose()
    drop_postgres_schema(DAY_SCHEMA)


@pytest.fixture(params=["sqlite", "postgresql"])
def testbot(
    request: pytest.FixtureRequest, template_db: Path, tmp_path: Path, parser: Parser
) -> Iterator[TestBot]:
    """The conversation tests of this module run on SQLite and on PostgreSQL alike."""
    if request.param == "sqlite":
        path = tmp_path / "bot.db"
        shutil.copy(template_db, path)
        database = open_database(f"sqlite:///{path}")
    else:
        database = request.getfixturevalue("day_postgres")
        tables = [t.name for t in Base.metadata.sorted_tables if t.name != "pipeline_stages"]
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    bot = TestBot(database, Engine(database, parser, tz=TZ))
    yield bot
    if request.param == "sqlite":
        database.dispose()


@pytest.fixture
def scripted() -> Scripted:
    return Scripted()


@pytest.fixture
def daybot(scripted: Scripted, testbot: TestBot) -> Iterator[TestBot]:
    """The `testbot` (and its `team`) with the scripted parser in place of the trained one."""
    testbot.engine = Engine(testbot.database, scripted, tz=TZ)
    yield testbot


def run(bot: TestBot, scripted: Scripted, lines: list[tuple[Any, ...]], user: str = "alex") -> None:
    """Say each line and check the reply starts with what must be said, then the database."""
    for typed, parse, said, check in lines:
        if parse is not None:
            scripted.script[typed] = parse
        out = bot.say(typed, user=user)
        assert out.startswith(said), f"{typed!r} -> {out!r}"
        if check is not None:
            with bot.db() as s:
                assert check(s), f"after {typed!r}: database check failed ({out!r})"


def _task(bot: TestBot, owner: int, text: str, due: datetime, customer: int | None = None) -> int:
    with bot.db() as s:
        actor = Actor(user_id=owner, label="test", platform="console")
        return tasks.create_task(
            session=s, actor=actor, text=text, due_at=due, customer_id=customer
        ).id


def _one(session: Session, model: type[T], row_id: int) -> T:
    row = session.get(model, row_id)
    assert row is not None
    return row


def _status(task_id: int) -> Callable[[Session], str]:
    return lambda s: _one(s, Task, task_id).status


def test_tasks_done_cancelled_and_moved(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    now = daybot.now
    call = _task(daybot, team["alex"], "call Initech", now + timedelta(hours=2), team["Initech"])
    send = _task(
        daybot,
        team["alex"],
        "send the Umbrella contract",
        now + timedelta(days=1),
        team["Umbrella Corp"],
    )
    deck = _task(daybot, team["alex"], "prepare the QBR deck", now + timedelta(days=2))
    monday = "2026-11-30"
    run(
        daybot,
        scripted,
        [
            (
                f"done #{call}",
                ("update_task", {"task_id": call, "status": "done"}),
                f"Done: #{call} call Initech.",
                lambda s: _status(call)(s) == "done",
            ),
            (
                "snooze the umbrella follow up till monday",
                ("update_task", {"customer": "umbrella", "when": monday}),
                f"Moved #{send} to Mon 30 Nov 09:00: send the Umbrella contract.",
                lambda s: _one(s, Task, send).due_at == datetime(2026, 11, 30, 9, tzinfo=TZ),
            ),
            (
                "cancel the qbr deck task",
                ("update_task", {"text": "qbr deck", "status": "cancelled"}),
                f"Cancelled: #{deck} prepare the QBR deck.",
                lambda s: _status(deck)(s) == "cancelled",
            ),
            (
                f"done #{call}",
                ("update_task", {"task_id": call, "status": "done"}),
                "That didn't work",
                lambda s: _status(call)(s) == "done",
            ),
        ],
    )
    with daybot.db() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_type == Task.__tablename__)
        ).all()
    assert {"task.complete", "task.snooze", "task.cancel"} <= set(actions)


def test_which_task_is_asked_never_guessed(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    now = daybot.now
    first = _task(daybot, team["alex"], "call Hooli", now + timedelta(hours=1), team["Hooli"])
    second = _task(
        daybot, team["alex"], "email Hooli the quote", now + timedelta(hours=3), team["Hooli"]
    )
    run(
        daybot,
        scripted,
        [
            (
                "mark the hooli task done",
                ("update_task", {"customer": "Hooli", "status": "done"}),
                "Which task?",
                lambda s: _status(first)(s) == _status(second)(s) == "open",
            ),
            (
                "2",
                None,
                f"Done: #{second} email Hooli the quote.",
                lambda s: _status(second)(s) == "done" and _status(first)(s) == "open",
            ),
        ],
    )


def test_someone_elses_task_is_refused(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    theirs = _task(daybot, team["wes"], "call Apex", daybot.now + timedelta(hours=1))
    run(
        daybot,
        scripted,
        [
            (
                f"done {theirs}",
                ("update_task", {"task_id": theirs, "status": "done"}),
                "That didn't work",
                lambda s: _status(theirs)(s) == "open",
            ),
        ],
    )


def _deal(
    bot: TestBot, owner: int, customer: int, amount: int, stage: str, close: date | None
) -> int:
    with bot.db() as s:
        actor = Actor(user_id=owner, label="test", platform="console")
        return deals.create_deal(
            session=s,
            actor=actor,
            customer_id=customer,
            amount=Decimal(amount),
            stage=stage,
            close_date=close,
            owner_id=owner,
        ).id


def test_list_deals_filters_and_names_undated_ones(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    dec = _deal(
        daybot, team["alex"], team["Acme Corp, Inc."], 48000, "proposal", date(2026, 12, 10)
    )
    jan = _deal(daybot, team["alex"], team["Initech"], 12000, "qualification", date(2027, 1, 20))
    undated = _deal(daybot, team["alex"], team["Hooli"], 30000, "prospecting", None)
    _deal(daybot, team["wes"], team["Globex Corporation"], 99000, "proposal", date(2026, 12, 5))
    december = {"start": "2026-12-01", "end": "2026-12-31"}
    run(
        daybot,
        scripted,
        [
            (
                "list my deals",
                ("list_deals", {"owner": "me"}),
                "Your open deals: 3 ($90,000). 1 of them have no close date",
                None,
            ),
            (
                "which of my deals close next month?",
                ("list_deals", {"owner": "me", "period": december}),
                "Your open deals closing 1 Dec – 31 Dec 2026: 1 ($48,000).",
                None,
            ),
            (
                "deals over 20k",
                ("list_deals", {"amount": 20000, "comparator": ">"}),
                "Your open deals over $20,000: 2 ($78,000).",
                None,
            ),
        ],
    )
    listing = daybot.say("list my deals")
    assert f"#{dec}" in listing and f"#{jan}" in listing and f"#{undated}" in listing
    assert "Globex" not in listing  # wes's deal: not mine, not my team's to a rep


def test_deal_card_by_number(daybot: TestBot, scripted: Scripted, team: dict[str, int]) -> None:
    deal_id = _deal(
        daybot, team["alex"], team["Northwind Traders"], 25000, "proposal", date(2026, 11, 1)
    )
    scripted.script["show deal"] = ("list_deals", {"deal_id": deal_id})
    card = daybot.say("show deal")
    assert card.startswith("Northwind Traders · proposal · $25,000")
    assert "past its close date by 22 days" in card and "single contact" in card
    assert "Priya Shah" in card and "Next task" in card


def test_save_contact_adds_then_updates(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    def jane(s: Session) -> Contact | None:
        return s.scalars(select(Contact).where(Contact.name == "Jane Roe")).one_or_none()

    run(
        daybot,
        scripted,
        [
            (
                "add Jane Roe to Acme as CFO, jane@acme.com",
                (
                    "save_contact",
                    {
                        "contact": "Jane Roe",
                        "customer": "Acme",
                        "title": "CFO",
                        "email": "jane@acme.com",
                    },
                ),
                "Added Jane Roe to Acme Corp, Inc. (CFO, jane@acme.com).",
                lambda s: (c := jane(s)) is not None and c.title == "CFO",
            ),
            (
                "jane roe at acme has a new email jane.roe@acme.com",
                (
                    "save_contact",
                    {"contact": "jane roe", "customer": "acme", "email": "jane.roe@acme.com"},
                ),
                "Updated Jane Roe at Acme Corp, Inc.: email jane.roe@acme.com.",
                lambda s: (c := jane(s)) is not None and c.email == "jane.roe@acme.com",
            ),
            (
                "jane's email is not-an-email",
                (
                    "save_contact",
                    {"contact": "Jane Roe", "customer": "Acme", "email": "not-an-email"},
                ),
                "That didn't work",
                lambda s: (c := jane(s)) is not None and c.email == "jane.roe@acme.com",
            ),
        ],
    )


def _lead(bot: TestBot, owner: int, contact: str, company: str) -> int:
    with bot.db() as s:
        actor = Actor(user_id=owner, label="test", platform="console")
        return leads.create_lead(
            session=s, actor=actor, contact_name=contact, company=company, owner_id=owner
        ).id


def test_leads_move_on_and_convert(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    wei = _lead(daybot, team["alex"], "Wei Cohen", "Cohen Metals")
    sam = _lead(daybot, team["alex"], "Sam Lee", "Lee Robotics")
    run(
        daybot,
        scripted,
        [
            (
                "mark the Wei Cohen lead as contacted",
                ("update_lead", {"contact": "Wei Cohen", "status": "contacted"}),
                f"Lead #{wei} (Wei Cohen at Cohen Metals) is now contacted.",
                lambda s: _one(s, Lead, wei).status == "contacted",
            ),
            (
                f"disqualify lead #{wei}, no budget",
                ("update_lead", {"lead_id": wei, "status": "disqualified", "reason": "no budget"}),
                f"Lead #{wei} (Wei Cohen at Cohen Metals) is disqualified: no budget.",
                None,
            ),
            (
                f"convert lead {sam} with a 40k deal",
                ("update_lead", {"lead_id": sam, "status": "converted", "amount": 40000}),
                f"Convert lead #{sam} (Sam Lee at Lee Robotics) into a customer"
                " with a $40,000 deal?",
                lambda s: _one(s, Lead, sam).status == "new",
            ),
            (
                "yes",
                None,
                f"Converted lead #{sam}: Lee Robotics is a customer, with Sam Lee as contact",
                lambda s: (
                    s.scalars(select(Deal).join(Customer).where(Customer.name == "Lee Robotics"))
                    .one()
                    .amount
                    == Decimal(40000)
                ),
            ),
        ],
    )
    with daybot.db() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "lead.status", AuditEntry.entity_id == wei)
            .order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None and entry.data["after"]["reason"] == "no budget"


def test_feedback_read_back(daybot: TestBot, scripted: Scripted, team: dict[str, int]) -> None:
    with daybot.db() as s:
        actor = Actor(user_id=team["alex"], label="test", platform="console")
        feedback.log_feedback(
            session=s,
            actor=actor,
            team="product",
            text="wants SSO",
            customer_id=team["Acme Corp, Inc."],
        )
        feedback.log_feedback(
            session=s, actor=actor, team="finance", text="invoice twice", customer_id=team["Hooli"]
        )
    run(
        daybot,
        scripted,
        [
            (
                "open feedback for product",
                ("list_feedback", {"team": "product", "status": "open"}),
                "Open feedback for product: 1.",
                None,
            ),
            (
                "what did hooli ask for",
                ("list_feedback", {"customer": "Hooli"}),
                "Feedback about Hooli: 1.",
                None,
            ),
            (
                "feedback for support",
                ("list_feedback", {"team": "support"}),
                "No feedback for support.",
                None,
            ),
        ],
    )


def test_one_fact_of_a_customer_in_one_line(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    run(
        daybot,
        scripted,
        [
            (
                "who owns acme?",
                ("customer_history", {"customer": "acme"}),
                "Acme Corp, Inc. is owned by Alex Kim.",
                None,
            ),
            (
                "who's our contact at northwind",
                ("customer_history", {"customer": "northwind"}),
                "Our contacts at Northwind Traders: Priya Shah.",
                None,
            ),
            (
                "who do we know at initech",
                ("customer_history", {"customer": "initech"}),
                "No contact on record at Initech yet",
                None,
            ),
            (
                "what's going on with hooli",
                ("customer_history", {"customer": "hooli"}),
                "Hooli: last contact",
                None,
            ),
        ],
    )


def test_overdue_means_late_and_tomorrow_means_tomorrow(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    now = daybot.now
    late = _task(daybot, team["alex"], "call Initech", now - timedelta(days=2))
    tomorrow = _task(daybot, team["alex"], "send Hooli the quote", now + timedelta(days=1))
    _task(daybot, team["alex"], "QBR prep", now + timedelta(days=4))
    # A colleague's reminder for me is mine to see.
    with daybot.db() as s:
        tasks.create_task(
            session=s,
            actor=Actor(user_id=team["morgan"], label="test", platform="console"),
            text="review the Acme pricing",
            due_at=now + timedelta(days=1, hours=2),
            target_user_id=team["alex"],
        )
    scripted.script["what's overdue?"] = ("list_tasks", {})
    overdue = daybot.say("what's overdue?")
    assert overdue.startswith("Your overdue tasks: 1.") and f"#{late}" in overdue
    assert f"#{tomorrow}" not in overdue
    scripted.script["what's due tomorrow"] = ("list_tasks", {"when": "2026-11-24"})
    due = daybot.say("what's due tomorrow")
    assert due.startswith("Your tasks Tue 24 Nov 2026: 2."), due
    assert f"#{tomorrow}" in due and "review the Acme pricing" in due
    assert f"#{late}" not in due and "QBR prep" not in due


def test_feedback_goes_to_the_team_channel_and_back_when_done(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    from crm_core.models import Feedback, OutboxMessage
    from crm_core.services import users
    from jobs.team_config import set_team_config

    with daybot.db() as s:
        system = Actor.system("tests")
        pat = users.create_user(
            session=s, actor=system, name="pat", display_name="Pat Lin", role="rep", team="product"
        )
        users.link_identity(
            session=s, actor=system, user_id=pat.id, platform="console", external_id="pat"
        )
    scripted.script["tell support acme's invoices are wrong"] = (
        "log_feedback",
        {"team": "support", "customer": "acme", "text": "invoices are wrong"},
    )
    said = daybot.say("tell support acme's invoices are wrong")
    assert "The support team has no channel yet" in said
    with daybot.db() as s:
        set_team_config(s, "product", channel="#Product")
    scripted.script["tell product that acme wants SSO"] = (
        "log_feedback",
        {"team": "product", "customer": "acme", "text": "wants SSO"},
    )
    said = daybot.say("tell product that acme wants SSO")
    assert said.startswith("Passed to product (feedback #2) about Acme Corp, Inc.: “wants SSO”.")
    assert "Posted in #product." in said
    with daybot.db() as s:
        [push] = s.scalars(select(OutboxMessage)).all()
    assert push.target == "channel:#product" and push.kind == "feedback"
    assert "wants SSO" in push.payload["text"]
    actions = {(b["action"], b["value"]) for b in push.payload["buttons"]}
    assert actions == {("feedback_status", "2:acknowledged"), ("feedback_status", "2:resolved")}
    # Not product's own rep: refused, nothing changes.
    assert daybot.click("feedback_status", "2:resolved", user="alex").startswith(
        "Feedback #2 is for product"
    )
    assert (
        daybot.click("feedback_status", "2:resolved", user="pat") == "Feedback #2 is now resolved."
    )
    with daybot.db() as s:
        item = s.get(Feedback, 2)
        pushes = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert item is not None and item.status == "resolved"
    assert pushes[-1].target == f"user:{team['alex']}"
    assert pushes[-1].payload["text"].startswith("Product marked your feedback #2 about Acme")


def test_each_person_types_and_reads_in_their_own_time_zone(
    testbot: TestBot, team: dict[str, int]
) -> None:
    from zoneinfo import ZoneInfo

    from crm_core.models import User

    with testbot.db() as s:
        alex = s.get(User, team["alex"])
        assert alex is not None
        alex.timezone = "America/New_York"
    said = testbot.say("remind me to call Acme tomorrow at 9")
    assert "tomorrow 09:00" in said, said
    with testbot.db() as s:
        task = s.scalars(select(Task)).one()
    assert task.due_at == datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    # dana keeps the team's zone (Berlin)
    testbot.say("remind me to call Hooli tomorrow at 9", user="dana")
    with testbot.db() as s:
        dana_task = s.scalars(select(Task).where(Task.owner_id == team["dana"])).one()
    assert dana_task.due_at == datetime(2026, 11, 24, 9, 0, tzinfo=TZ)


def test_help_inside_a_question_and_none_of_these(testbot: TestBot, team: dict[str, int]) -> None:
    from crm_core.models import ConversationState, Interaction

    asked = testbot.say("log a call with Apex")
    assert asked.startswith("Which “Apex” do you mean?"), asked
    helped = testbot.say("help")
    assert "I'm still waiting for an answer to: Which “Apex” do you mean?" in helped
    with testbot.db() as s:
        assert s.scalars(select(ConversationState)).one() is not None
        assert s.scalars(select(Customer).where(Customer.name == "help")).all() == []
    offered = testbot.say("none of these, it's a new customer")
    assert offered.startswith("I don't know “Apex” yet. Create it as a new customer?"), offered
    done = testbot.say("yes")
    assert done.startswith("Logged a call with Apex"), done
    with testbot.db() as s:
        apex = s.scalars(select(Customer).where(Customer.name == "Apex")).one()
        assert s.scalars(select(Interaction)).one().customer_id == apex.id


def test_several_asks_in_one_message(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    deal_id = _deal(daybot, team["alex"], team["Umbrella Corp"], 20000, "proposal", None)
    text = (
        "called umbrella, they agreed to 30k, move deal to negotiation and remind me to send"
        " contract tmrw, and what about nobody ltd"
    )
    scripted.script[text] = (
        "log_interaction",
        {"kind": "call", "customer": "umbrella", "summary": "they agreed to 30k"},
    )
    scripted.also[text] = [
        {
            "intent": "update_deal",
            "confidence": 0.9,
            "entities": {"customer": "umbrella", "amount": 30000, "stage": "negotiation"},
        },
        {
            "intent": "set_reminder",
            "confidence": 0.95,
            "entities": {"text": "send contract", "when": "2026-11-24", "target": "me"},
        },
        {"intent": "customer_history", "confidence": 0.9, "entities": {"customer": "Nobody Ltd"}},
    ]
    said = daybot.say(text).splitlines()
    assert said[0].startswith("Logged a call with Umbrella Corp")
    assert said[1].startswith(
        "Updated Umbrella Corp deal: proposal → negotiation, amount $20,000 → $30,000."
    )
    assert said[2].startswith("OK, I'll remind you tomorrow 09:00: send contract")
    assert said[3] == "I don't know a customer called “Nobody Ltd”."  # named, not skipped
    with daybot.db() as s:
        deal = _one(s, Deal, deal_id)
        assert (deal.stage, deal.amount) == ("negotiation", Decimal(30000))
        assert s.scalars(select(Task).where(Task.text == "send contract")).one() is not None
    undone = daybot.say("undo")
    assert undone.startswith("Undone:"), undone
    with daybot.db() as s:
        deal = _one(s, Deal, deal_id)
        assert (deal.stage, deal.amount) == ("proposal", Decimal(20000))
        assert s.scalars(select(Task).where(Task.text == "send contract")).all() == []


def test_a_question_in_the_middle_keeps_the_rest(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    text = "log a call with Hooli and remind me to send the deck friday"
    scripted.script[text] = ("log_interaction", {"customer": "Hooli"})
    scripted.also[text] = [
        {"intent": "set_reminder", "entities": {"text": "send the deck", "when": "2026-11-27"}}
    ]
    asked = daybot.say(text)
    assert asked.startswith("What was it: a call, email")
    said = daybot.say("call").splitlines()
    assert said[0].startswith("Logged a call with Hooli")
    assert said[1].startswith("OK, I'll remind you Fri 27 Nov 09:00: send the deck")


def test_unassigned_means_unassigned_and_a_share_out_stays_in_the_team(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    mine = _lead(daybot, team["alex"], "Ann Ode", "Ode Labs")
    with daybot.db() as s:
        system = Actor.system("tests")
        ours = leads.create_lead(
            session=s, actor=system, company="Maple Freight", region="North America"
        ).id
        theirs = leads.create_lead(session=s, actor=system, company="Rhein AG", region="Europe").id
        users_row = _one(s, Lead, theirs)
        assert users_row.owner_id is None
    scripted.script["any unassigned leads?"] = ("list_leads", {})
    listed = daybot.say("any unassigned leads?", user="morgan")
    assert listed.startswith("Unassigned open leads: 2."), listed
    assert "Ode Labs" not in listed and "Maple Freight" in listed and "Rhein AG" in listed
    scripted.script["share out the new leads round robin"] = (
        "assign_lead",
        {"strategy": "round_robin"},
    )
    daybot.say("share out the new leads round robin", user="morgan")
    said = daybot.say("yes", user="morgan")
    assert "1 lead in regions no rep of team east covers" in said, said
    with daybot.db() as s:
        assert _one(s, Lead, ours).owner_id in (team["alex"], team["dana"])
        assert _one(s, Lead, theirs).owner_id is None
        assert _one(s, Lead, mine).owner_id == team["alex"]


def test_scope_my_is_mine_and_other_teams_are_refused(
    testbot: TestBot, team: dict[str, int]
) -> None:
    refused = testbot.say("forecast for wes this quarter", user="morgan")
    assert refused.startswith("That didn't work: Wes Park is not in your team (east)"), refused
    testbot.say("new deal Acme 50k closing Dec 10")
    testbot.say("Acme deal won")
    testbot.say("log call with Acme")
    mine = testbot.say("who are my top 5 accounts")
    assert "Acme" in mine, mine
    # dana owns no customer: her top accounts are none, not the company's
    assert testbot.say("who are my top 5 accounts", user="dana").startswith("No top customers")
    assert "Acme" in testbot.say("who are the top 5 accounts", user="dana")


def test_a_manager_merges_two_records_after_a_yes(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    from crm_core.models import CustomerAlias, Interaction
    from crm_core.services import customers, interactions

    with daybot.db() as s:
        system = Actor.system("tests")
        dup = customers.create_customer(session=s, actor=system, name="Acme West").id
        interactions.log_interaction(
            session=s, actor=system, customer_id=dup, kind="call", now=daybot.now
        )
    text = "merge Acme West into Acme Corp"
    scripted.script[text] = (
        "merge_customers",
        {"customer": "Acme West", "into": "Acme Corp"},
    )
    refused = daybot.say(text, user="alex")
    assert refused.startswith("That didn't work: only a manager or an admin can merge customers")
    asked = daybot.say(text, user="morgan")
    assert asked.startswith("Merge Acme West into Acme Corp, Inc.?"), asked
    merged = daybot.say("yes", user="morgan")
    assert merged.startswith("Merged Acme West into Acme Corp, Inc.: moved 1 interaction.")
    with daybot.db() as s:
        assert s.get(Customer, dup) is None
        assert _one(s, Interaction, 1).customer_id == team["Acme Corp, Inc."]
        aliases = s.scalars(select(CustomerAlias.alias)).all()
        assert "Acme West" in aliases
    undone = daybot.say("undo", user="morgan")
    assert undone.startswith("Undone: split Acme West out again"), undone
    with daybot.db() as s:
        assert _one(s, Customer, dup).name == "Acme West"
        assert _one(s, Interaction, 1).customer_id == dup
        assert "Acme West" not in s.scalars(select(CustomerAlias.alias)).all()


def test_a_deal_is_chosen_by_what_is_said_of_it(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new deal Acme 48k closing Dec 15")
    testbot.say("new deal Acme 12k closing Jan 20")
    asked = testbot.say("Acme is in negotiation")
    assert asked.startswith("Acme Corp, Inc. has 2 open deals. Which one?"), asked
    assert "1. #1 Acme Corp, Inc. deal ($48,000, prospecting)" in asked
    done = testbot.say("the 48k one")
    assert done.startswith("Updated"), done
    with testbot.db() as s:
        stages = {amount: stage for amount, stage in s.execute(select(Deal.amount, Deal.stage))}
    assert stages == {Decimal(48000): "negotiation", Decimal(12000): "prospecting"}


def test_done_by_position_in_the_list_just_shown(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    now = daybot.now
    later = _task(daybot, team["alex"], "prepare the QBR", now + timedelta(days=3))
    first = _task(daybot, team["alex"], "call Initech", now + timedelta(hours=1))
    second = _task(daybot, team["alex"], "email Globex", now + timedelta(hours=5))
    scripted.script["my tasks"] = ("list_tasks", {})
    shown = daybot.say("my tasks")
    assert shown.index(f"#{first}") < shown.index(f"#{second}") < shown.index(f"#{later}")
    # The parser may read the 2 as a task id; without "#" it is the 2nd task shown.
    scripted.script["done 2"] = ("update_task", {"task_id": 2, "status": "done"})
    scripted.script["done #2"] = ("update_task", {"task_id": 2, "status": "done"})
    assert daybot.say("done 2").startswith(f"Done: #{second} email Globex.")
    assert daybot.say("done #2").startswith(f"Done: #{first} call Initech.")
    assert first == 2


def test_reports_over_a_period_name_the_deals_with_no_close_date(
    testbot: TestBot, team: dict[str, int]
) -> None:
    with testbot.db() as s:
        actor = Actor(user_id=team["alex"], label="test", platform="console")
        deals.create_deal(
            session=s,
            actor=actor,
            customer_id=team["Hooli"],
            amount=Decimal(48000),
            owner_id=team["alex"],
        )
    said = testbot.say("forecast for this quarter")
    assert "Not counted: 1 open deal ($48,000) with no close date." in said, said
    assert "Not counted" not in testbot.say("forecast for this quarter", user="dana")


def test_a_logged_call_audits_its_side_effects_and_undo_reverses_them(
    testbot: TestBot, team: dict[str, int]
) -> None:
    with testbot.db() as s:
        actor = Actor(user_id=team["alex"], label="test", platform="console")
        deal_id = deals.create_deal(
            session=s,
            actor=actor,
            customer_id=team["Initech"],
            amount=Decimal(9000),
            owner_id=team["alex"],
            close_date=date(2026, 12, 20),
            now=testbot.now - timedelta(days=3),
        ).id
        lead = leads.create_lead(
            session=s,
            actor=actor,
            contact_name="Bill Lumbergh",
            company="Initech",
            owner_id=team["alex"],
            now=testbot.now - timedelta(days=3),
        )
        lead_id = lead.id
        assert lead.customer_id == team["Initech"]
        deal_activity = _one(s, Deal, deal_id).last_activity_at
    testbot.say("log call with Initech, they liked the demo")
    with testbot.db() as s:
        assert _one(s, Lead, lead_id).status == "contacted"
        assert _one(s, Deal, deal_id).last_activity_at != deal_activity
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "interaction.create")).one()
        assert set(entry.data["touched"]["deals"]) == {str(deal_id)}
        assert set(entry.data["touched"]["leads"]) == {str(lead_id)}
    assert testbot.say("undo").startswith("Undone: removed the interaction")
    with testbot.db() as s:
        assert _one(s, Lead, lead_id).status == "new"
        assert _one(s, Lead, lead_id).contacted_at is None
        assert _one(s, Deal, deal_id).last_activity_at == deal_activity


def test_long_lists_come_a_page_at_a_time(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    for n in range(20):
        _task(daybot, team["alex"], f"call prospect {n:02d}", daybot.now + timedelta(hours=n + 1))
    scripted.script["my tasks"] = ("list_tasks", {})
    first = daybot.say("my tasks")
    assert first.startswith("Your tasks 23 Nov – 29 Nov 2026: 20.")
    assert "1. #1 " in first and "12. #12 " in first and "13. #13" not in first
    assert "Say “more” for the next ones." in first and "[More]" in first
    second = daybot.say("more")
    assert "13. #13 " in second and "20. #20 " in second and "1. #1 " not in second
    assert "[More]" not in second
    # after the last page, "more" is nothing special; after a list, a new request is just that
    daybot.say("my tasks")
    scripted.script["log call with hooli"] = (
        "log_interaction",
        {"kind": "call", "customer": "hooli"},
    )
    logged = daybot.say("log call with hooli")
    assert logged.startswith("Logged a call with Hooli"), logged
    daybot.say("my tasks")
    by_button = daybot.click("more")
    assert "13. #13 " in by_button


def test_a_person_named_in_a_log_is_linked_or_added_after_one_question(
    testbot: TestBot, team: dict[str, int]
) -> None:
    from crm_core.models import Interaction

    linked = testbot.say("had a demo with Priya at Northwind yesterday")
    assert linked.startswith("Logged a demo with Priya at Northwind Traders"), linked
    asked = testbot.say("called Omar at Northwind about the renewal")
    assert asked.startswith("Omar is not a contact at Northwind Traders yet. Add them?"), asked
    added = testbot.say("yes")
    assert "(added Omar as a contact at Northwind Traders)" in added, added
    testbot.say("called Lena at Northwind")
    skipped = testbot.say("no, just log it")
    assert skipped.startswith("Logged a call with Lena at Northwind Traders"), skipped
    with testbot.db() as s:
        names = s.scalars(
            select(Contact.name).where(Contact.customer_id == team["Northwind Traders"])
        ).all()
        assert sorted(names) == ["Omar", "Priya Shah"]
        calls = s.scalars(select(Interaction).order_by(Interaction.id)).all()
        assert [c.contact_id is not None for c in calls] == [True, True, False]


def test_people_are_found_however_they_are_written(
    daybot: TestBot, scripted: Scripted, team: dict[str, int]
) -> None:
    """A contact saved with a form of address is saved by name; written alone later, or by
    family name with a form of address, the person is found at their customer; a name two
    customers' contacts share is asked about."""

    def anna(s: Session) -> Contact | None:
        return s.scalars(select(Contact).where(Contact.name == "Anna Kowalska")).one_or_none()

    def last_with(contact: Callable[[Session], Contact | None], customer: int) -> Check:
        def check(s: Session) -> bool:
            row = s.scalars(select(Interaction).order_by(Interaction.id.desc())).first()
            person = contact(s)
            return (
                row is not None
                and person is not None
                and (row.customer_id, row.contact_id) == (customer, person.id)
            )

        return check

    run(
        daybot,
        scripted,
        [
            (
                "add Ms. Anna Kowalska to Acme as head of buying",
                (
                    "save_contact",
                    {"contact": "Ms. Anna Kowalska", "customer": "Acme", "title": "head of buying"},
                ),
                "Added Anna Kowalska to Acme Corp, Inc. (head of buying).",
                lambda s: (c := anna(s)) is not None and c.customer_id == team["Acme Corp, Inc."],
            ),
            (
                "met w/ anna kowalska yesterday, wants the pilot",
                ("log_interaction", {"kind": "meeting", "customer": "anna kowalska",
                                     "summary": "wants the pilot"}),
                "Logged a meeting with anna kowalska at Acme Corp, Inc.",
                last_with(anna, team["Acme Corp, Inc."]),
            ),
            (
                "call with Kowalska-san at acme, she signed",
                ("log_interaction", {"kind": "call", "contact": "Kowalska-san",
                                     "customer": "acme", "summary": "she signed"}),
                "Logged a call with Kowalska-san at Acme Corp, Inc.",
                last_with(anna, team["Acme Corp, Inc."]),
            ),
            (
                "add Anna Kowalska to Hooli",
                ("save_contact", {"contact": "Anna Kowalska", "customer": "Hooli"}),
                "Added Anna Kowalska to Hooli.",
                lambda s: len(s.scalars(select(Contact).where(Contact.name == "Anna Kowalska"))
                              .all()) == 2,
            ),
            (
                "emailed Anna Kowalska the deck",
                ("log_interaction", {"kind": "email", "customer": "Anna Kowalska",
                                     "summary": "the deck"}),
                "Anna Kowalska is a contact at more than one customer. Which one?",
                lambda s: s.scalar(select(func.count(Interaction.id))) == 2,
            ),
            (
                "Hooli",
                None,
                "Logged an email with Anna Kowalska at Hooli.",
                lambda s: s.scalar(select(func.count(Interaction.id))) == 3,
            ),
        ],
    )  # fmt: skip
