"""A name typed all in lower case goes on to what the business is (now = Monday 2026-11-23
10:00, Berlin): "mesa verde cold storage", "laredo bottling", "copper creek dental"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn, check_parse

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("whats the history w/ mesa verde cold storage", "customer_history",
     {"customer": "mesa verde cold storage"}),
    ("move laredo bottling to negotiation", "update_deal", {"customer": "laredo bottling"}),
    ("log call with copper creek dental, they want a quote", "log_interaction",
     {"customer": "copper creek dental"}),
    # property managers, associations and places to eat say what they are too
    ("who's our contact at juniper row mgmt", "customer_history",
     {"customer": "juniper row mgmt"}),
    ("move larkspur hill condos to negotiation", "update_deal",
     {"customer": "larkspur hill condos"}),
    ("log call with saltbush diner, they want a quote", "log_interaction",
     {"customer": "saltbush diner"}),
    # written with capitals, the name ends where it ends
    ("log call with Pecos Valley about freight rates", "log_interaction",
     {"customer": "Pecos Valley"}),
]  # fmt: skip


@pytest.mark.parametrize("text, intent, entities", CASES)
def test_lower_case_names(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)
