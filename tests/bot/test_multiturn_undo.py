"""Questions and answers across messages, confirmations, choices, cancel, expiry and undo."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from crm_core.models import ConversationState, Customer, Deal, DealStageChange, Interaction, Task
from tests.bot.conftest import TestBot

if TYPE_CHECKING:
    from intents import Parser
    from intents.parser import ParseResult


def count(bot: TestBot, model: type) -> int:
    with bot.db() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_missing_customer_is_asked_and_the_answer_completes(
    testbot: TestBot, team: dict[str, int]
) -> None:
    assert testbot.say("log a call") == "Which customer was the call with?"
    assert count(testbot, Interaction) == 0
    out = testbot.say("with Initech")
    assert out.startswith("Logged a call with Initech")
    assert count(testbot, Interaction) == 1 and count(testbot, ConversationState) == 0


def test_state_is_per_user_and_channel(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("log a call")
    # dana's message is her own, not an answer to alex's question
    assert testbot.say("Initech", user="dana").startswith("Initech:")
    assert testbot.say("Initech", channel="other").startswith("Initech:")
    assert testbot.say("Initech").startswith("Logged a call with Initech")


def test_ambiguous_name_offers_choices_by_number_or_button(
    testbot: TestBot, team: dict[str, int]
) -> None:
    out = testbot.say("log email with apex")
    assert out.startswith("Which “apex” do you mean?\n1. Apex Brewing\n2. Apex Devices")
    assert testbot.say("2").startswith("Logged an email with Apex Devices")
    testbot.say("log email with apex")
    assert testbot.click("choose", str(team["Apex Brewing"])).startswith(
        "Logged an email with Apex Brewing"
    )
    with testbot.db() as s:
        ids = s.scalars(select(Interaction.customer_id).order_by(Interaction.id)).all()
    assert ids == [team["Apex Devices"], team["Apex Brewing"]]


def test_fuzzy_match_is_confirmed_for_writes_but_used_for_reads(
    testbot: TestBot, team: dict[str, int]
) -> None:
    assert testbot.say("log call with Globx") == "Did you mean Globex Corporation?\n\n(yes / no)"
    assert testbot.say("yes").startswith("Logged a call with Globex Corporation")
    read = testbot.say("what's going on with Globx?")
    assert (
        read.startswith("Globex Corporation:") and "(matched “Globx” to Globex Corporation)" in read
    )


def test_unknown_customer_on_a_write_offers_to_create(
    testbot: TestBot, team: dict[str, int]
) -> None:
    assert testbot.say("log meeting with Zorblax Ltd").startswith(
        "I don't know “Zorblax Ltd” yet. Create it as a new customer?"
    )
    assert testbot.say("no") == "OK, I won't. Nothing was changed."
    assert count(testbot, Customer) == 9
    testbot.say("log meeting with Zorblax Ltd")
    out = testbot.say("yes")
    assert out.startswith("Logged a meeting with Zorblax Ltd") and "(created the customer" in out
    with testbot.db() as s:
        created = s.scalars(select(Customer).where(Customer.name == "Zorblax Ltd")).one()
    assert created.owner_id == team["alex"]
    assert (
        testbot.say("what's going on with Qwertyuiop Ltd?")
        == "I don't know a customer called “Qwertyuiop Ltd”."
    )


def test_cancel_drops_the_question_and_changes_nothing(
    testbot: TestBot, team: dict[str, int]
) -> None:
    testbot.say("new deal Initech")
    assert testbot.say("cancel") == "OK, dropped it. Nothing was changed."
    assert testbot.say("cancel") == "There's nothing to cancel."
    assert count(testbot, Deal) == 0


def test_missing_amount_then_answer(testbot: TestBot, team: dict[str, int]) -> None:
    assert testbot.say("new deal Initech") == "How much is the Initech deal worth?"
    assert testbot.say("about 30k I think").startswith(
        "When do you expect the Initech deal to close?"
    )
    assert testbot.say("end of march").startswith(
        "New deal #1: Initech deal, $30,000, prospecting, closing Wed 31 Mar 2027."
    )


def test_a_deal_may_be_kept_without_a_close_date_and_says_so(
    testbot: TestBot, team: dict[str, int]
) -> None:
    testbot.say("new deal Initech 30k")
    out = testbot.say("no idea")
    assert out.startswith("New deal #1: Initech deal, $30,000, prospecting.")
    assert "No close date yet, so no forecast counts it." in out


def test_a_new_request_replaces_a_pending_question(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new deal Initech")
    out = testbot.say("what's going on with Hooli?")
    assert out.startswith("(I dropped my earlier question.) Hooli:")
    assert count(testbot, ConversationState) == 0


def test_pending_question_expires(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("log a call")
    out = testbot.say("Initech", advance=timedelta(minutes=31))
    assert out.startswith("Initech:")  # read as a fresh message: a history lookup
    assert count(testbot, Interaction) == 0


def test_undo_reverses_the_whole_last_message(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("log call with Acme, follow up Friday")
    assert count(testbot, Interaction) == 1 and count(testbot, Task) == 1
    out = testbot.say("undo")
    assert out.startswith("Undone: removed the task #1; removed the interaction #1")
    assert count(testbot, Interaction) == 0 and count(testbot, Task) == 0
    assert testbot.say("undo") == "There's nothing of yours from the last 10 minutes to undo."


def test_undo_restores_a_deal_and_its_history(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new deal Hooli 40k closing Dec 18")
    testbot.say("Hooli is in negotiation")
    testbot.say("undo")
    with testbot.db() as s:
        deal = s.scalars(select(Deal)).one()
        stages = s.scalars(select(DealStageChange.to_stage)).all()
    assert deal.stage == "prospecting" and stages == ["prospecting"]


def test_undo_only_within_ten_minutes_and_only_your_own(
    testbot: TestBot, team: dict[str, int]
) -> None:
    testbot.say("log call with Hooli")
    assert testbot.say("undo", user="dana").startswith("There's nothing of yours")
    assert testbot.say("undo", advance=timedelta(minutes=11)).startswith("There's nothing of yours")
    assert count(testbot, Interaction) == 1


class _Unsure:
    """Wraps the real parser and lowers its confidence, as for a garbled message."""

    def __init__(self, parser: Parser, confidence: float) -> None:
        self.parser, self.confidence = parser, confidence

    def parse(self, text: str, now: datetime | None = None) -> ParseResult:
        result = self.parser.parse(text, now=now)
        if result["intent"] != "unknown":
            result["confidence"] = self.confidence
        return result


def test_unsure_write_is_confirmed_after_missing_details(
    testbot: TestBot, team: dict[str, int], parser: Parser
) -> None:
    from bot.engine import Engine

    testbot.engine = Engine(testbot.database, _Unsure(parser, 0.6), tz=testbot.engine.tz)
    assert testbot.say("log a call") == "Which customer was the call with?"
    question = testbot.say("Initech")
    assert question.startswith(
        "Just to check: you want to log an interaction (kind: call, customer: Initech)?"
    )
    assert count(testbot, Interaction) == 0
    assert testbot.say("yes").startswith("Logged a call with Initech")
    # reads are never held up by a confirmation
    assert testbot.say("what's going on with Initech?").startswith("Initech:")
