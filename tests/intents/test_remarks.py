"""A remark on an interaction ("that meeting was a slog") and praise for a colleague are chatter;
the same words with something to record, a command word or a known customer are writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from intents.registry import WRITE_INTENTS
from tests.intents.checks import ParseFn, check_parse
from tests.intents.conftest import NOW

if TYPE_CHECKING:
    from intents.parser import Parser

REMARKS = [
    "that meeting with the Leeds crowd was a slog",
    "the demo this morning was painful lol",
    "this call is taking forever",
    "Priya, great job on the Falcon Ridge close yesterday!",
    "well done on the Kestrel renewal everyone",
    "congrats on the new role Sam",
]

RECORDS = [
    ("the demo went fine, they want a trial next week", "log_interaction", {"kind": "demo"}),
    ("the call with Falcon Ridge was good, log it", "log_interaction",
     {"kind": "call", "customer": "Falcon Ridge"}),
    ("well done on Kestrel, mark the deal won", "update_deal", {"stage": "won"}),
]  # fmt: skip


@pytest.mark.parametrize("text", REMARKS)
def test_a_remark_or_praise_is_no_write(parse: ParseFn, text: str) -> None:
    got = parse(text)
    assert got["intent"] not in WRITE_INTENTS, got


@pytest.mark.parametrize(("text", "intent", "entities"), RECORDS)
def test_the_same_words_with_a_record_are_one(
    parse: ParseFn, text: str, intent: str, entities: dict[str, str]
) -> None:
    check_parse(parse(text), intent, entities)


@pytest.fixture()
def known(parser: Parser) -> Iterator[Parser]:
    parser.set_gazetteer([(7, "Falcon Ridge Outfitters", ["Falcon Ridge"])])
    yield parser
    parser.set_gazetteer([])


def test_a_remark_on_a_known_customer_is_a_record(known: Parser) -> None:
    got = known.parse("the meeting with Falcon Ridge went really well", now=NOW)
    check_parse(got, "log_interaction", {"kind": "meeting", "customer_id": 7})


# a message that opens by asking for a campaign is one, whichever segment it is for
CAMPAIGNS = [
    ("Could marketing set up an email campaign for the dormant accounts?", {"segment": "dormant",
     "channel": "email"}),
    ("please plan a mailshot to our loyal customers for 4 January", {"segment": "loyal",
     "channel": "mail"}),
    ("prepare an emailing for the loyal customers for the spring release", {"segment": "loyal"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "entities"), CAMPAIGNS)
def test_a_campaign_asked_for_first_is_the_ask(
    parse: ParseFn, text: str, entities: dict[str, str]
) -> None:
    check_parse(parse(text), "create_campaign", entities)


def test_asking_how_to_plan_a_campaign_is_help(parse: ParseFn) -> None:
    assert parse("how would I plan a campaign for at-risk accounts?")["intent"] == "help"
