"""Generate the parser's training and evaluation data (seeded, reproducible).

    python -m intents.data.generate            # writes train.jsonl and eval.jsonl here

Each line: {"text", "intent", "entities"} with gold entities per the contract, dates resolved
against NOW (2026-11-23T10:00 Europe/Berlin, a Monday; stored in each file's first line as
{"now": ...}).

The evaluation split is held out: its templates (phrasings), company names, person names,
handles, summaries and free texts differ from the training split's, so its scores measure
generalisation, not memory. Augmentations for both: lower case, typos in the template words,
Slack mentions of the bot, emoji, politeness, long rambling prefixes.
"""

from __future__ import annotations

import json
import random
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))

# --------------------------------------------------------------------------- slot values
COMPANIES = {
    "train": [
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Northwind",
        "Wonka Industries",
        "Stark Industries",
        "Wayne Enterprises",
        "Cyberdyne",
        "Soylent",
        "Vandelay Industries",
        "Pied Piper",
        "Massive Dynamic",
        "Tyrell Corp",
        "Aperture Labs",
        "Gringotts",
        "Dunder Mifflin",
        "Oscorp",
        "Vehement Capital",
        "Blue Harbor Logistics",
        "Contoso",
        "Fabrikam",
        "Tailspin Toys",
        "Litware",
        "Adventure Works",
        "Wingtip",
        "Zentrix",
        "Bluth Company",
        "Sterling Cooper",
        "Prestige Worldwide",
        "Nakatomi",
        "Monarch Solutions",
        "Kwik-E-Mart",
        "Los Pollos Hermanos",
        "Gekko & Co",
        "Rekall",
        "Virtucon",
        "Omni Consumer",
        "Duff",
        "Krusty Krab",
        "Spacely Sprockets",
        "Cogswell Cogs",
        "Ollivanders",
        "Planet Express",
        "Nimbus Analytics",
        "Brightwave",
        "Quantum Leap Tech",
        "Redwood Partners",
        "Silverline",
        "Orbital GmbH",
        "Helix Health",
        "Granite Software",
        "Nova Retail",
        "Pinnacle Foods",
        "Ironclad Inc",
        "Lumen Media",
        "Kestrel Ventures",
        "Atlas Robotics",
        "Polaris Networks",
    ],
    "eval": [
        "Dynacorp",
        "Bluebird Systems",
        "Vertex",
        "Sunrise Dairy",
        "Zenith Labs",
        "Frobozz",
        "Tessaract Inc",
        "Orion Pharma",
        "Maplewood Group",
        "Cobalt AI",
        "Harbor Freight Co",
        "Evergreen Energy",
        "Starlight Studios",
        "Riverbend Insurance",
        "Copperfield",
        "Quillon",
        "Ridgeline Motors",
        "Saffron Digital",
        "Alderaan Airlines",
        "Krypton Cloud",
        "Yoyodyne",
        "Octan",
        "Hanso Foundation",
        "Paperstreet",
        "Ultra Consulting",
        "Brightside Retail",
        "Medusa Networks",
        "Falcon Works",
        "Tidewater",
        "Greenleaf",
    ],
}
PERSONS = {
    "train": [
        "Priya",
        "Sam Lee",
        "Dana",
        "Maria Garcia",
        "John",
        "Aisha",
        "Tom Becker",
        "Lena",
        "Carlos",
        "Mei Chen",
        "Raj",
        "Sophie Martin",
        "Omar",
        "Julia",
        "Kenji Sato",
        "Nina",
        "Peter",
        "Laura Rossi",
        "Hassan",
        "Emma",
        "David Kim",
        "Anna",
        "Lukas",
        "Fatima",
        "Mike Johnson",
        "Sara",
        "Ivan",
        "Chloe",
        "Diego",
        "Olivia Brown",
    ],
    "eval": [
        "Rahul",
        "Elena Petrova",
        "Marcus",
        "Yuki",
        "Grace Hopper",
        "Bianca",
        "Felix Wagner",
        "Noor",
        "Jonas",
        "Isabel Cruz",
        "Arjun",
        "Freya",
        "Tobias Lang",
        "Camila",
        "Victoria",
    ],
}
# Hard real-world shapes (digits, &, "n", "of", hyphens, apostrophes, weekday and month words,
# ordinary words as names), each split its own.
HARD_COMPANIES = {
    "train": [
        "7-Eleven",
        "H&M",
        "Ben n Jerry's",
        "Bank of America",
        "Coca-Cola",
        "D'Angelo Foods",
        "Sun Microsystems",
        "May Department Stores",
        "Gap",
        "Visa",
        "Square",
        "Sprint",
        "AT&T",
        "3M",
        "Procter & Gamble",
        "Marks and Spencer",
        "Monday Labs",
        "March Networks",
        "Target",
        "Shell",
        "Orange",
        "Chase",
        "Best Buy",
        "Home Depot",
        "Rock n Roll Sushi",
        "Toys R Us",
        "Forever 21",
        "Route 66 Diner",
        "O'Reilly Auto Parts",
        "McDonald's",
        "Hewlett-Packard",
        "Rolls-Royce",
        "Bank of Ireland",
        "Sun Life",
        "June Health",
        "August Home",
        "Tuesday Morning",
        "Friday Harbor Foods",
        "Apple Tree Dental",
        "Block",
        "Mint",
        "Canvas",
        "Signal",
        "Bloom & Wild",
        "24 Hour Fitness",
        "House of Fraser",
        "Jack in the Box",
    ],
    "eval": [
        "Seven Seas Shipping",
        "A&W",
        "Barnes n Noble",
        "Bank of Montreal",
        "Rite-Aid",
        "D'Arcy Media",
        "Wed Design Studio",
        "Sunday Riley",
        "April Air",
        "Stripe",
        "Notion",
        "Ample",
        "Harbor & Pine",
        "Studio 54",
        "Sprout",
        "Lord of the Fries",
    ],
}


def _faker_names(split: str) -> tuple[list[str], list[str]]:
    """Company and person names from faker in many locales (train and eval use other locales)."""
    from faker import Faker

    locales = {
        "train": ["en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "sv_SE", "pl_PL", "en_IN"],
        "eval": ["en_GB", "pt_BR", "tr_TR", "fi_FI", "da_DK"],
    }[split]
    companies: list[str] = []
    people: list[str] = []
    n_companies, n_people = (30, 16) if split == "train" else (12, 8)
    for i, loc in enumerate(locales):
        fk = Faker(loc)
        fk.seed_instance(1000 + i + (0 if split == "train" else 500))
        for _ in range(n_companies):
            name = fk.company()
            if "," in name or name.count(".") > 1 or len(name.split()) > 4:
                name = fk.last_name() + " " + fk.random_element(["Group", "Labs", "Foods", "Tech"])
            companies.append(name)
        for _ in range(n_people):
            people.append(fk.first_name() + " " + fk.last_name())
            people.append(fk.first_name())
    return companies, people


# Small businesses are named with ordinary words ("Top Notch Fitness", "Rise & Grind", "The Corner
# Bakery", "Call Box Coffee"), often typed in lower case: the recogniser must learn such names from
# their shape and place, not from capitals or an unknown word. Training only (the evaluation split
# keeps its own hand-picked hard names).
_SHOP_WORDS = {
    "adj": "Golden Little Blue Green Red Silver Happy Lucky Bright Wild Urban Rustic Humble Bold "
    "Quiet Northern Old New Sunny Sweet Fresh Daily Simple Honest Corner Copper Iron Black White "
    "Top Open Good Early Second Hidden Tiny Twisted Salty".split(),
    "noun": "Oak Fox Bear Anchor Lantern Harbor Meadow Pine Maple River Stone Bridge Bell Crown "
    "Kettle Spoon Sparrow Wren Owl Hive Acorn Willow Compass Arrow Garden Orchard Barn Mill Forge "
    "Pier Pepper Clover Olive Fig Honey Mustard Ember Tide Summit Door Grind Rise Box Table "
    "Notch Loaf Crumb Whisk Barrel Ladder Window Basket Thread Needle".split(),
    "type": "Coffee Bakery Fitness Dental Studio Salon Deli Garage Print Supply Kitchen Brewing "
    "Florist Cafe Gym Pharmacy Motors Plumbing Books Yoga Barbers Vets Catering Electric Roofing "
    "Joinery Pizza Bistro Tavern Grocers Laundry Cycles Optics Framing".split(),
}
_SHOP_PATTERNS = (
    "{adj} {noun}",
    "{noun} & {noun}",
    "The {adj} {noun}",
    "The {noun} {type}",
    "{noun} {type}",
    "{adj} {noun} {type}",
    "{noun} and {noun}",
    "{noun} n {noun}",
    "{adj} {type}",
)


def _shop_names(n: int, seed: int) -> list[str]:
    """Ordinary-word business names, composed from _SHOP_WORDS (seeded, so reproducible)."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        pattern = _SHOP_PATTERNS[len(out) % len(_SHOP_PATTERNS)]
        name = re.sub(r"\{(\w+)\}", lambda m: rng.choice(_SHOP_WORDS[m.group(1)]), pattern)
        if name not in out and len(set(name.split())) == len(name.split()):
            out.append(name)
    return out


HARD_COMPANIES["train"] += _shop_names(180, 4242)

for _split in ("train", "eval"):
    _comp, _people = _faker_names(_split)
    COMPANIES[_split] = list(dict.fromkeys(COMPANIES[_split] + _comp + HARD_COMPANIES[_split]))
    PERSONS[_split] = list(dict.fromkeys(PERSONS[_split] + _people))
for _split, _other in (("eval", "train"), ("train", "eval")):
    COMPANIES[_split] = [c for c in COMPANIES[_split] if c not in COMPANIES[_other]]
    PERSONS[_split] = [c for c in PERSONS[_split] if c not in PERSONS[_other]]

HANDLES = {
    "train": [
        ("<@U02AB3CD>", "U02AB3CD"),
        ("<@U07XY12Z>", "U07XY12Z"),
        ("@dana", "dana"),
        ("@mike", "mike"),
        ("@sara.k", "sara.k"),
        ("@tom_b", "tom_b"),
        ("@lena", "lena"),
        ("@raj", "raj"),
        ("<@W1234ABC>", "W1234ABC"),
        ("@olivia", "olivia"),
    ],
    "eval": [
        ("<@U09QQ77R>", "U09QQ77R"),
        ("@marcus", "marcus"),
        ("@j.doe", "j.doe"),
        ("<@U1ZZ00AA>", "U1ZZ00AA"),
        ("@felix_w", "felix_w"),
        ("@noor", "noor"),
    ],
}
REP_NAMES = {
    "train": ["Dana", "Mike", "Sara", "Tom", "Lena", "Raj", "Olivia"],
    "eval": ["Marcus", "Noor", "Felix", "Bianca"],
}

KIND_NOUN = {
    "train": [
        ("call", "call"),
        ("phone call", "call"),
        ("email", "email"),
        ("meeting", "meeting"),
        ("demo", "demo"),
        ("note", "note"),
        ("message", "message"),
        ("sync", "meeting"),
        ("lunch", "meeting"),
        ("zoom call", "call"),
    ],
    "eval": [
        ("call", "call"),
        ("e-mail", "email"),
        ("meeting", "meeting"),
        ("demo", "demo"),
        ("product tour", "demo"),
        ("catch-up", "meeting"),
        ("note", "note"),
        ("message", "message"),
    ],
}
KIND_PLURAL = {
    "train": [
        ("calls", "call"),
        ("emails", "email"),
        ("meetings", "meeting"),
        ("demos", "demo"),
        ("notes", "note"),
        ("messages", "message"),
    ],
    "eval": [("calls", "call"), ("emails", "email"), ("meetings", "meeting"), ("notes", "note")],
}
KIND_VERB = {
    "train": [
        ("called", "call"),
        ("phoned", "call"),
        ("emailed", "email"),
        ("met with", "meeting"),
        ("demoed", "demo"),
        ("messaged", "message"),
        ("pinged", "message"),
        ("rang", "call"),
        ("spoke with", "call"),
        ("texted", "message"),
        ("spoke to", "call"),
        ("visited", "meeting"),
        ("caught up with", "meeting"),
        ("had lunch with", "meeting"),
        ("had coffee with", "meeting"),
        ("stopped by", "meeting"),
        ("got off the phone with", "call"),
        ("jumped on a call with", "call"),
        ("left a voicemail for", "call"),
        ("wrote to", "email"),
        ("sent an email to", "email"),
        ("whatsapped", "message"),
        ("slacked", "message"),
        ("presented to", "demo"),
    ],
    "eval": [
        ("called", "call"),
        ("e-mailed", "email"),
        ("met", "meeting"),
        ("talked to", "call"),
        ("dm'd", "message"),
        ("demoed", "demo"),
    ],
}
PAST_DATES = {
    "train": [
        "yesterday",
        "today",
        "this morning",
        "on Friday",
        "last Tuesday",
        "on Monday",
        "2 days ago",
        "last week",
        "Nov 20",
        "on the 19th",
        "yesterday afternoon",
        "Thursday",
        "3 days ago",
        "earlier today",
        "last Thursday",
        "yday",
    ],
    "eval": [
        "yesterday",
        "this afternoon",
        "on Wednesday",
        "last Friday",
        "Nov 18",
        "a week ago",
        "today",
        "Friday",
    ],
}
FUTURE_DATES = {
    "train": [
        "Friday",
        "tomorrow",
        "next week",
        "Dec 15",
        "in 2 weeks",
        "on Thursday",
        "Monday",
        "next Tuesday",
        "end of month",
        "tomorrow at 9",
        "Friday at 3pm",
        "in 3 days",
        "Dec 1",
        "next Friday",
        "on Wednesday",
        "end of quarter",
        "January 10",
        "tmrw",
        "at 4pm",
        "the 30th",
        "in a week",
        "12/18",
    ],
    "eval": [
        "Thursday",
        "tomorrow morning",
        "Dec 3",
        "in 10 days",
        "next Monday",
        "end of week",
        "on Tuesday at 11am",
        "Jan 15",
        "the day after tomorrow",
        "end of the year",
        "Wednesday",
        "December 20th",
        "in two weeks",
    ],
}
AMOUNTS = {
    "train": [
        ("50k", 50000),
        ("$1.2M", 1200000),
        ("40,000 USD", 40000),
        ("25k", 25000),
        ("$12,500", 12500),
        ("100k", 100000),
        ("€80k", 80000),
        ("$3.5k", 3500),
        ("250000", 250000),
        ("75K", 75000),
        ("$2M", 2000000),
        ("15k EUR", 15000),
        ("$90,000", 90000),
        ("1.5m", 1500000),
        ("€ 20,000", 20000),
        ("60 k", 60000),
        ("$500", 500),
        ("300k dollars", 300000),
        ("$45k", 45000),
    ],
    "eval": [
        ("30k", 30000),
        ("$2.4M", 2400000),
        ("55,000 USD", 55000),
        ("$8,000", 8000),
        ("120K", 120000),
        ("€65k", 65000),
        ("$750k", 750000),
        ("18000 EUR", 18000),
        ("1.1m", 1100000),
        ("$99k", 99000),
    ],
}
THRESHOLDS = {
    "train": [
        ("200k", 200000),
        ("$1M", 1000000),
        ("50k", 50000),
        ("500,000", 500000),
        ("$100k", 100000),
        ("2M", 2000000),
        ("$250k", 250000),
        ("80k", 80000),
    ],
    "eval": [("150k", 150000), ("$300k", 300000), ("1.5M", 1500000), ("400,000", 400000)],
}
PROBS = {
    "train": [
        ("70%", 0.7),
        ("50%", 0.5),
        ("90%", 0.9),
        ("25%", 0.25),
        ("80 %", 0.8),
        ("60 percent", 0.6),
        ("35%", 0.35),
        ("0.4", 0.4),
        ("10%", 0.1),
    ],
    "eval": [("75%", 0.75), ("40%", 0.4), ("95%", 0.95), ("65 percent", 0.65), ("20%", 0.2)],
}
STAGES_UPDATE = {
    "train": [
        ("negotiation", "negotiation"),
        ("proposal", "proposal"),
        ("qualification", "qualification"),
        ("won", "won"),
        ("lost", "lost"),
        ("prospecting", "prospecting"),
        ("closed won", "won"),
        ("closed lost", "lost"),
        ("negotiating", "negotiation"),
        ("discovery", "qualification"),
    ],
    "eval": [
        ("negotiation", "negotiation"),
        ("proposal", "proposal"),
        ("won", "won"),
        ("lost", "lost"),
        ("qualification", "qualification"),
        ("closed-won", "won"),
        ("prospecting", "prospecting"),
    ],
}
PERIODS = {
    "train": [
        "this quarter",
        "next month",
        "Q1",
        "this month",
        "December",
        "this year",
        "last quarter",
        "Q4",
        "next quarter",
        "last month",
        "this week",
        "Q2 2027",
        "January",
        "ytd",
        "the last 30 days",
        "last week",
    ],
    "eval": [
        "this quarter",
        "next quarter",
        "Q3",
        "March",
        "this month",
        "last 90 days",
        "this year",
        "next month",
        "Q1 2027",
    ],
}
TASK_PERIODS = {
    "train": ["today", "this week", "tomorrow", "next week"],
    "eval": ["today", "this week", "tomorrow"],
}
SEGMENTS = {
    "train": [
        ("top", "top"),
        ("at-risk", "at_risk"),
        ("at risk", "at_risk"),
        ("loyal", "loyal"),
        ("high potential", "potential"),
        ("dormant", "dormant"),
        ("new", "new"),
        ("inactive", "dormant"),
        ("biggest", "top"),
        ("promising", "potential"),
    ],
    "eval": [
        ("top", "top"),
        ("at-risk", "at_risk"),
        ("loyal", "loyal"),
        ("potential", "potential"),
        ("dormant", "dormant"),
        ("new", "new"),
        ("churning", "at_risk"),
        ("lapsed", "dormant"),
    ],
}
METRICS = {
    "train": [
        ("pipeline", "pipeline"),
        ("the forecast", "forecast"),
        ("forecast", "forecast"),
        ("won revenue", "won"),
        ("my pipeline", "pipeline"),
        ("total pipeline", "pipeline"),
        ("closed won", "won"),
    ],
    "eval": [
        ("pipeline", "pipeline"),
        ("the forecast", "forecast"),
        ("won revenue", "won"),
        ("open pipeline", "pipeline"),
    ],
}
COMPARATORS = {
    "train": [
        ("drops below", "<"),
        ("falls under", "<"),
        ("goes above", ">"),
        ("is over", ">"),
        ("exceeds", ">"),
        ("is below", "<"),
        ("dips below", "<"),
        ("gets above", ">"),
        ("is less than", "<"),
        ("is more than", ">"),
    ],
    "eval": [("falls below", "<"), ("goes over", ">"), ("drops under", "<"), ("passes", ">")],
}
CHANNELS = {
    "train": [
        ("email", "email"),
        ("phone", "phone"),
        ("sms", "sms"),
        ("social", "social"),
        ("event", "event"),
        ("direct mail", "mail"),
        ("linkedin", "social"),
        ("webinar", "event"),
        ("newsletter", "email"),
        ("text", "sms"),
        ("cold call", "phone"),
    ],
    "eval": [
        ("email", "email"),
        ("phone", "phone"),
        ("SMS", "sms"),
        ("social media", "social"),
        ("event", "event"),
        ("postal mail", "mail"),
    ],
}
STRATEGIES = {
    "train": [
        ("round robin", "round_robin"),
        ("using round robin", "round_robin"),
        ("evenly", "round_robin"),
        ("to whoever is least busy", "least_loaded"),
        ("least loaded first", "least_loaded"),
        ("by territory", "territory"),
        ("by region", "territory"),
        ("round-robin", "round_robin"),
    ],
    "eval": [
        ("round robin", "round_robin"),
        ("equally", "round_robin"),
        ("by territory", "territory"),
        ("to the least loaded reps", "least_loaded"),
        ("per region", "territory"),
    ],
}
GROUPS = {
    "train": [
        ("stage", "stage"),
        ("owner", "owner"),
        ("rep", "owner"),
        ("region", "region"),
        ("month", "month"),
        ("territory", "region"),
    ],
    "eval": [
        ("stage", "stage"),
        ("owner", "owner"),
        ("region", "region"),
        ("month", "month"),
        ("salesperson", "owner"),
    ],
}
TEAMS = {
    "train": [
        ("product", "product"),
        ("support", "support"),
        ("engineering", "engineering"),
        ("marketing", "marketing"),
        ("finance", "finance"),
        ("the product team", "product"),
        ("eng", "engineering"),
        ("legal", "legal"),
        ("the support team", "support"),
        ("billing", "finance"),
    ],
    "eval": [
        ("product", "product"),
        ("support", "support"),
        ("engineering", "engineering"),
        ("marketing", "marketing"),
        ("finance", "finance"),
        ("the devs", "engineering"),
    ],
}
STATUSES = {
    "train": [
        ("new", "new"),
        ("contacted", "contacted"),
        ("qualified", "qualified"),
        ("disqualified", "disqualified"),
        ("converted", "converted"),
    ],
    "eval": [
        ("new", "new"),
        ("contacted", "contacted"),
        ("qualified", "qualified"),
        ("converted", "converted"),
        ("disqualified", "disqualified"),
    ],
}
SOURCES = {
    "train": ["LinkedIn", "the website", "referral", "webinar", "Google Ads", "a trade show"],
    "eval": ["the conference", "LinkedIn", "inbound", "a partner"],
}
EMAILS = {
    "train": [
        "sam@initech.io",
        "j.doe@acme.com",
        "priya@northwind.co",
        "sales@globex.com",
        "m.garcia@hooli.xyz",
        "tom.b@umbrella.org",
    ],
    "eval": ["rahul@dynacorp.com", "e.petrova@vertex.io", "marcus@zenith-labs.com"],
}
PHONES = {
    "train": [
        "+1 415 555 0101",
        "555-0123",
        "+44 20 7946 0958",
        "(212) 555-7890",
        "+49 30 1234567",
    ],
    "eval": ["+1 646 555 0199", "020 7946 0000", "555-0456"],
}
LIMITS = {"train": [3, 5, 10, 20, 2], "eval": [4, 5, 10, 15]}
STALE_DAYS = {"train": [14, 30, 7, 21, 10], "eval": [14, 45, 20]}
SUMMARIES = {
    "train": [
        "pricing",
        "the renewal",
        "onboarding issues",
        "the new pricing tiers",
        "contract terms",
        "integration questions",
        "a discount request",
        "the security review",
        "adding more seats",
        "their roadmap",
        "the pilot results",
        "budget approval",
        "the API limits",
    ],
    "eval": [
        "the migration plan",
        "volume discounts",
        "SSO setup",
        "the annual contract",
        "support response times",
        "a second pilot",
    ],
}
REMINDER_TEXTS = {
    "train": [
        "send {C} the contract",
        "call {C}",
        "email {C} the quote",
        "check in with {C}",
        "update the forecast",
        "prepare the QBR deck",
        "follow up with {C}",
        "send the invoice",
        "book a demo with {C}",
        "review the {C} proposal",
    ],
    "eval": [
        "ping {C} about the renewal",
        "draft the {C} proposal",
        "chase the signed contract",
        "ring {C}",
        "finish the board slides",
    ],
}
FEEDBACK_TEXTS = {
    "train": [
        "SSO",
        "a dark mode",
        "better reporting",
        "an API for invoices",
        "faster support replies",
        "cheaper pricing",
        "an Outlook integration",
        "bulk export",
        "two-factor login",
        "a mobile app",
    ],
    "eval": [
        "audit logs",
        "a Salesforce sync",
        "monthly billing",
        "custom dashboards",
        "SAML login",
    ],
}
NAMES = {
    "train": [
        "Spring Promo",
        "Q1 Renewal Push",
        "Win Back 2027",
        "Platinum Upgrade",
        "Holiday Blast",
        "Expansion Deal",
        "Summer Kickoff",
    ],
    "eval": ["Autumn Boost", "Loyalty Thanks", "Enterprise Upsell", "New Year Reboot"],
}

# --------------------------------------------------------------------------- templates
# {SLOT} or {SLOT:key}. Slots: C company, P person, PF full-name person, KN kind noun,
# KP kind plural, KV kind verb, PAST, FUT, AMT, THR, PROB, STG, MEN mention/handle, REP rep
# name, PER period, TPER task period, SEG, MET, CMP, CH, STRAT, GB, TEAM, STATUS, SRC, EMAIL,
# PHONE, LIM, DAYS, SUM summary, RT reminder text, FT feedback text, NAME quoted name.
T: dict[str, dict[str, list[str]]] = {}

T["log_interaction"] = {
    "train": [
        "log {KN} with {C}",
        "log a {KN} with {C}",
        "log {KN} with {P} at {C}",
        "had a {KN} with {C} {PAST:when}",
        "had a {KN} with {P} at {C} {PAST:when}",
        "{KV} {C} {PAST:when}",
        "just {KV} {C}",
        "{KV} {P} from {C} about {SUM}",
        "log {KN} with {C} about {SUM}",
        "log {KN} with {C}, follow up {FUT:follow_up}",
        "{KN} with {C} {PAST:when} re {SUM}",
        "record a {KN} with {C} {PAST:when}",
        "quick {KN} w/ {C} about {SUM}",
        "add a {KN} for {C}: {SUM}",
        "{PAST:when} I had a {KN} with {C} about {SUM}",
        "log that I {KV} {C} {PAST:when}",
        "{KV} {C} {PAST:when}, follow up {FUT:follow_up}",
        "just got off a {KN} with {P} ({C})",
        "log {KN} with {P} ({C}) about {SUM}",
        "please log a {KN} with {C} {PAST:when}",
        "{KV} {P} at {C} regarding {SUM}",
        "had {KN} with {C}, need to follow up {FUT:follow_up}",
        "can you log a {KN} with {C} from {PAST:when}",
        "I {KV} {C} {PAST:when} about {SUM}",
        "lgo {KN} with {C}",
        "log {KN} w/ {C}",
        "log {KN} {C}",
        "{KN} with {C} done, follow up {FUT:follow_up}",
        "note on {C}: {SUM}",
        "log a {KN} with {P} from {C} {PAST:when}, follow-up {FUT:follow_up}",
    ],
    "eval": [
        "please record that I {KV} {C} {PAST:when}",
        "{KN} w/ {P} from {C} went well, follow up {FUT:follow_up}",
        "we did a {KN} with {C} {PAST:when}",
        "log my {KN} with {P} at {C}",
        "jot down a {KN} with {C} {PAST:when}, follow up {FUT:follow_up}",
        "{PAST:when} {KV} {P} at {C}",
        "record {KN} with {C} regarding {SUM}",
        "had a quick {KN} with {C} about {SUM}",
        "add a {KN} with {C}",
        "{KV} {C} {PAST:when} to discuss {SUM}",
    ],
}
T["customer_history"] = {
    "train": [
        "what's going on with {C}?",
        "what's up with {C}",
        "show me {C}",
        "history for {C}",
        "tell me about {C}",
        "{C} history",
        "pull up {C}",
        "status of {C}",
        "any news on {C}?",
        "open deals for {C}",
        "who are the contacts at {C}",
        "show {C}'s history",
        "last {LIM:limit} {KP:kind} with {C}",
        "show {KP:kind} with {C}",
        "what did we last discuss with {C}",
        "is {C} at risk?",
        "how much is {C} worth",
        "give me the rundown on {C}",
        "brief me on {C}",
        "everything on {C}",
        "what's the latest with {C}",
        "show me the {C} account",
        "how are things with {C}",
        "timeline for {C}",
        "info on {C} pls",
        "{C}?",
        "what happened with {C} recently",
        "show last {LIM:limit} interactions with {C}",
        "whats up w/ {C}",
        "lookup {C}",
    ],
    "eval": [
        "where do we stand with {C}",
        "catch me up on {C}",
        "{C} - what's the latest?",
        "recent {KP:kind} for {C}",
        "last {LIM:limit} touchpoints with {C}",
        "what's the story with {C}",
        "summary of {C} please",
        "show the account {C}",
        "can I see the history of {C}",
        "open the {C} record",
    ],
}
T["create_lead"] = {
    "train": [
        "new lead {PF} from {C}",
        "new lead {PF} from {C}, {EMAIL}",
        "add lead {PF} ({C}) {EMAIL}",
        "create a lead for {C}",
        "add {PF} from {C} as a lead",
        "lead: {PF}, {C}, {PHONE}",
        "got a new lead: {PF} at {C}, phone {PHONE}",
        "new prospect {C}, contact {PF}, {EMAIL}",
        "add a lead {C} via {SRC}",
        "new lead from {SRC}: {PF} at {C}",
        "{PF} from {C} is interested, add as lead",
        "add new lead {C}",
        "create lead {PF} {EMAIL} {PHONE}",
        "new lead {C}",
        "please add a new lead {PF} at {C}",
        "add prospect {PF} ({C}), {PHONE}",
        "new inbound lead {PF} {EMAIL}",
        "make a lead for {PF} from {C}",
        "create a new lead: {C}, {PF}, {EMAIL}, {PHONE}",
        "lead {PF} at {C} came in via {SRC}",
        "neww lead {PF} from {C}",
        "add {C} as a prospect",
    ],
    "eval": [
        "new prospect: {PF} ({C}), {EMAIL}",
        "register lead {C} - {PF} - {PHONE}",
        "add {C} to leads, contact {PF} {EMAIL}",
        "we have a new lead {PF} working at {C}",
        "lead from {SRC}: {C}",
        "please create a lead {PF} from {C}, email {EMAIL}",
        "capture a new lead: {PF} at {C}",
    ],
}
T["assign_lead"] = {
    "train": [
        "give {C} to {MEN:assignee}",
        "assign {C} to {MEN:assignee}",
        "assign the {C} lead to {MEN:assignee}",
        "hand {C} over to {MEN:assignee}",
        "{MEN:assignee} should take {C}",
        "assign {PF} ({C}) to {MEN:assignee}",
        "give the {C} lead to me",
        "I'll take {C}",
        "assign unassigned leads {STRAT}",
        "distribute new leads {STRAT}",
        "share out the unassigned leads {STRAT}",
        "route leads {STRAT}",
        "reassign {C} to {MEN:assignee}",
        "let {MEN:assignee} handle {C}",
        "transfer {C} to {MEN:assignee}",
        "assign {C} to {REP:assignee}",
        "give {PF} at {C} to {MEN:assignee}",
        "assign leads {STRAT}",
        "assign me the {C} lead",
        "hand out the open leads {STRAT}",
        "asign {C} to {MEN:assignee}",
        "give {C} lead to {REP:assignee} pls",
    ],
    "eval": [
        "can {MEN:assignee} own the {C} lead",
        "move {C} over to {MEN:assignee}",
        "{C} goes to {MEN:assignee}",
        "spread the unassigned leads {STRAT}",
        "allocate new leads {STRAT}",
        "put {REP:assignee} on {C}",
        "please assign {PF} from {C} to {MEN:assignee}",
        "I want the {C} lead",
    ],
}
T["list_leads"] = {
    "train": [
        "show my leads",
        "list leads",
        "my {STATUS:status} leads",
        "{STATUS:status} leads",
        "leads for {MEN:owner}",
        "what leads do I have",
        "list all {STATUS:status} leads",
        "which leads are {STATUS:status}",
        "leads owned by {MEN:owner}",
        "any new leads?",
        "show leads",
        "show {REP:owner}'s leads",
        "my leads please",
        "list {STATUS:status} leads for {MEN:owner}",
        "how many leads do I have",
        "show me all leads",
        "which leads does {REP:owner} have",
        "lsit my leads",
    ],
    "eval": [
        "pull up {STATUS:status} leads for {MEN:owner}",
        "leads assigned to me",
        "what prospects does {REP:owner} have",
        "display my {STATUS:status} leads",
        "give me the list of leads",
        "what leads are {STATUS:status}",
    ],
}
T["create_deal"] = {
    "train": [
        "new deal {C} {AMT} closing {FUT:close_date}",
        "create a deal for {C} worth {AMT}",
        "open an opportunity with {C} for {AMT}",
        "new opp {C} {AMT}",
        "add deal {C}, {AMT}, close {FUT:close_date}",
        "new deal for {C} in {STG:stage}",
        "create deal {NAME} for {C} {AMT}",
        "start a deal with {C}, {AMT}, expected close {FUT:close_date}",
        "log a new {AMT} opportunity for {C}",
        "new {AMT} deal with {C}",
        "create an opportunity for {C}",
        "new deal {C}",
        "open a deal for {C} at {AMT}, stage {STG:stage}",
        "add a {AMT} deal for {C} closing {FUT:close_date}",
        "create opp {NAME} with {C}, {AMT}",
        "new deal: {C}, {AMT}",
        "{C} new deal {AMT} close {FUT:close_date}",
        "please create a new deal for {C} of {AMT}",
        "nwe deal {C} {AMT}",
        "open deal {C} {AMT} {STG:stage}",
    ],
    "eval": [
        "set up an opportunity: {C}, {AMT}, target close {FUT:close_date}",
        "create a {AMT} deal for {C}",
        "please open a {AMT} deal called {NAME} with {C}",
        "new opportunity {C} {AMT} closing {FUT:close_date}",
        "add an opportunity for {C} worth {AMT}",
        "start a new deal for {C}, stage {STG:stage}",
    ],
}
T["update_deal"] = {
    "train": [
        "{C} is in {STG:stage}",
        "{C} deal {WL:stage}!!",
        "mark {C} as {STG:stage}",
        "move {C} to {STG:stage}",
        "{C} moved to {STG:stage}",
        "we won {C}",
        "lost {C} to a competitor",
        "update {C} amount to {AMT}",
        "{C} deal is now {AMT}",
        "set {C} probability to {PROB}",
        "{C} close date {FUT:close_date}",
        "push {C} close date to {FUT:close_date}",
        "bump {C} to {PROB}",
        "change {C} stage to {STG:stage}",
        "{C} signed!",
        "{C} now {AMT} and {PROB}",
        "{C} slipped to {FUT:close_date}",
        "{C} deal {WL:stage}",
        "mark the {C} deal {WL:stage}",
        "update {C} to {STG:stage}",
        "{C} is at {PROB}",
        "{C}'s deal is {WL:stage}",
        "{C} deal now {PROB} likely",
        "set the {C} deal to {AMT}",
        "change close date for {C} to {FUT:close_date}",
        "{C} went {STG:stage}",
        "udpate {C} to {STG:stage}",
        "{C} deal {WL:stage} 🎉",
        "{C} moves to {STG:stage}, {PROB}",
    ],
    "eval": [
        "{C}'s deal closed won",
        "update: {C} -> {STG:stage}",
        "please set the {C} opportunity to {STG:stage}",
        "{C} entered {STG:stage}",
        "{C} is {PROB} likely to close {FUT:close_date}",
        "revise {C} to {AMT}",
        "{C} fell through",
        "we just {WLV:stage} {C}",
        "{C} opportunity {WL:stage}",
    ],
}
T["pipeline_report"] = {
    "train": [
        "pipeline by {GB:group_by}",
        "show my pipeline",
        "pipeline for {PER:period}",
        "what's in the pipeline",
        "pipeline report",
        "total pipeline {PER:period}",
        "how big is the pipeline",
        "open pipeline by {GB:group_by} {PER:period}",
        "{REP:owner}'s pipeline",
        "pipeline for {MEN:owner}",
        "break down pipeline by {GB:group_by}",
        "what's my pipe look like",
        "show pipeline per {GB:group_by}",
        "my pipeline {PER:period}",
        "pipeline totals",
        "how much is in the pipeline {PER:period}",
        "piepline by {GB:group_by}",
        "show open deals by {GB:group_by}",
        "pipeline for {MEN:owner} by {GB:group_by}",
    ],
    "eval": [
        "pipeline summary grouped by {GB:group_by}",
        "how much is open in the pipe {PER:period}",
        "pipeline numbers per {GB:group_by}",
        "total open pipeline for {MEN:owner}",
        "what does my pipeline look like {PER:period}",
        "give me the pipeline split by {GB:group_by}",
    ],
}
T["forecast"] = {
    "train": [
        "forecast for {PER:period}",
        "what's the forecast",
        "weighted forecast {PER:period}",
        "my forecast {PER:period}",
        "forecast for {MEN:owner} {PER:period}",
        "how are we tracking for {PER:period}",
        "projected revenue {PER:period}",
        "what will we close {PER:period}",
        "expected bookings {PER:period}",
        "forecast",
        "show the forecast",
        "what's my forecast",
        "forcast {PER:period}",
        "{REP:owner}'s forecast {PER:period}",
        "revenue forecast for {PER:period}",
        "what are we going to land {PER:period}",
    ],
    "eval": [
        "give me a forecast {PER:period}",
        "what do we expect to close {PER:period}",
        "forecast numbers {PER:period} for {MEN:owner}",
        "projection for {PER:period}",
        "what's the weighted forecast looking like {PER:period}",
    ],
}
T["set_reminder"] = {
    "train": [
        "remind me to {RT:text} {FUT:when}",
        "remind me {FUT:when} to {RT:text}",
        "remind {MEN:target} to {RT:text} {FUT:when}",
        "set a reminder to {RT:text} {FUT:when}",
        "nudge me {FUT:when} about {C}",
        "remind me about {C} {FUT:when}",
        "reminder: {RT:text} {FUT:when}",
        "ping me {FUT:when} to {RT:text}",
        "don't let me forget to {RT:text} {FUT:when}",
        "remind me to {RT:text}",
        "remind me {FUT:when}",
        "set reminder {FUT:when} to {RT:text}",
        "nudge {MEN:target} {FUT:when} to {RT:text}",
        "remind the team {FUT:when} to {RT:text}",
        "remidn me to {RT:text} {FUT:when}",
        "can you remind me to {RT:text} {FUT:when}?",
        "remind me {FUT:when} about {C}",
    ],
    "eval": [
        "please remind me {FUT:when} to {RT:text}",
        "can you nudge {MEN:target} {FUT:when} to {RT:text}",
        "set reminder for {FUT:when}: {RT:text}",
        "i need a reminder to {RT:text} {FUT:when}",
        "remind me about {C} {FUT:when} please",
    ],
}
T["list_tasks"] = {
    "train": [
        "what's on my plate {TPER:period}",
        "my tasks",
        "what do I have due {TPER:period}",
        "show my follow-ups",
        "what's due {TPER:period}",
        "tasks for {MEN:owner}",
        "what are {REP:owner}'s follow ups",
        "my reminders",
        "what should I do {TPER:period}",
        "todo list",
        "any follow ups due {TPER:period}",
        "show my tasks for {TPER:period}",
        "what's on my list",
        "list my reminders",
        "my todos {TPER:period}",
        "what does {REP:owner} have due {TPER:period}",
        "show {MEN:owner}'s tasks",
        "waht's due {TPER:period}",
        "open tasks",
        "overdue follow ups",
    ],
    "eval": [
        "list my to-dos {TPER:period}",
        "show pending follow ups for {MEN:owner}",
        "what's on deck {TPER:period}",
        "which tasks are due {TPER:period}",
        "anything due for me {TPER:period}?",
    ],
}
T["set_alert"] = {
    "train": [
        "alert {TGT:target} when {MET:metric} {CMP:comparator} {THR:threshold}",
        "notify me if {MET:metric} {CMP:comparator} {THR:threshold}",
        "tell me when any deal {CMP:comparator} {THR:threshold}",
        "let {TGT:target} know when {MET:metric} {CMP:comparator} {THR:threshold}",
        "alert me when a deal goes stale for {DAYS:threshold} days",
        "ping {TGT:target} if {MET:metric} {CMP:comparator} {THR:threshold}",
        "warn me when {MET:metric} {CMP:comparator} {THR:threshold}",
        "set an alert for {MET:metric} above {THR:threshold}",
        "alert {TGT:target} if a deal has no activity for {DAYS:threshold} days",
        "notify {TGT:target} when a deal is stuck more than {DAYS:threshold} days",
        "alret me when {MET:metric} {CMP:comparator} {THR:threshold}",
        "create an alert: {MET:metric} {CMP:comparator} {THR:threshold}",
        "send {TGT:target} an alert when {MET:metric} {CMP:comparator} {THR:threshold}",
        "tell me if a deal over {THR:threshold} comes in",
    ],
    "eval": [
        "send an alert to {TGT:target} if {MET:metric} {CMP:comparator} {THR:threshold}",
        "heads up to {TGT:target} whenever {MET:metric} {CMP:comparator} {THR:threshold}",
        "alert when deals sit idle more than {DAYS:threshold} days",
        "notify {TGT:target} as soon as {MET:metric} {CMP:comparator} {THR:threshold}",
    ],
}
T["create_campaign"] = {
    "train": [
        "plan a campaign for {SEG:segment} customers by {CH:channel}",
        "create an {CH:channel} campaign for {SEG:segment} customers",
        "new campaign {NAME:name} targeting {SEG:segment} customers via {CH:channel} {FUT:when}",
        "launch a {CH:channel} campaign to {SEG:segment} accounts {FUT:when}",
        "campaign for {SEG:segment} clients",
        "set up a campaign for {SEG:segment} customers over {CH:channel}",
        "plan a {CH:channel} campaign",
        "create campaign {NAME:name} for {SEG:segment} customers",
        "start a {CH:channel} campaign for {SEG:segment} accounts",
        "run a campaign to {SEG:segment} customers {FUT:when}",
        "new {CH:channel} campaign {NAME:name}",
        "campaing for {SEG:segment} customers via {CH:channel}",
        "plan a win-back campaign for {SEG:segment} customers",
        "schedule a {CH:channel} campaign for {SEG:segment} customers {FUT:when}",
    ],
    "eval": [
        "let's run a {CH:channel} campaign for {SEG:segment} customers {FUT:when}",
        "draft campaign {NAME:name}: {SEG:segment} accounts, {CH:channel}",
        "organize a {CH:channel} campaign aimed at {SEG:segment} customers",
        "we need a campaign for our {SEG:segment} clients",
    ],
}
T["segment_customers"] = {
    "train": [
        "which customers might churn?",
        "show {SEG:segment} customers",
        "list our {SEG:segment} accounts",
        "top {LIM:limit} customers",
        "who are our {SEG:segment} clients",
        "which accounts are {SEG:segment}",
        "customers at risk",
        "show me dormant accounts",
        "who hasn't bought in a while",
        "list {SEG:segment} customers",
        "our {SEG:segment} customers please",
        "segment customers by risk",
        "which customers are {SEG:segment}",
        "show the top {LIM:limit} accounts",
        "who's likely to churn",
        "{SEG:segment} customers",
        "which clients could we upsell",
        "custmers at risk",
    ],
    "eval": [
        "give me the {SEG:segment} customer list",
        "find {SEG:segment} accounts",
        "which clients are {SEG:segment}",
        "our {LIM:limit} biggest customers",
        "who might leave us?",
    ],
}
T["rep_performance"] = {
    "train": [
        "how are the reps doing",
        "leaderboard {PER:period}",
        "how is {REP:owner} doing {PER:period}",
        "rep performance {PER:period}",
        "who closed the most {PER:period}",
        "how am I doing {PER:period}",
        "{REP:owner}'s numbers {PER:period}",
        "sales leaderboard",
        "conversion rate by rep {PER:period}",
        "team activity {PER:period}",
        "who's the top rep {PER:period}",
        "how is {MEN:owner} doing",
        "show rep performance",
        "leaderbord",
        "how many deals did {REP:owner} win {PER:period}",
        "my win rate {PER:period}",
        "who's crushing it {PER:period}",
    ],
    "eval": [
        "rank the reps {PER:period}",
        "how's {REP:owner} performing {PER:period}",
        "show rep stats {PER:period}",
        "who's winning the most deals {PER:period}",
        "how did {MEN:owner} do {PER:period}",
    ],
}
T["log_feedback"] = {
    "train": [
        "{C} wants {FT:text}, tell {TEAM:team}",
        "tell {TEAM:team} that {C} wants {FT:text}",
        "feedback from {C}: {FT:text}",
        "{C} asked for {FT:text}, pass to {TEAM:team}",
        "let {TEAM:team} know {C} is asking for {FT:text}",
        "feature request from {C}: {FT:text}",
        "{C} complained about {FT:text}, flag to {TEAM:team}",
        "pass to {TEAM:team}: {C} requested {FT:text}",
        "log feedback for {TEAM:team} from {C}: {FT:text}",
        "{C} needs {FT:text}, let {TEAM:team} know",
        "{C} is asking for {FT:text}",
        "feedback for {TEAM:team}: {C} wants {FT:text}",
        "fedback from {C}: {FT:text}",
        "{C} really wants {FT:text} - tell {TEAM:team}",
    ],
    "eval": [
        "{C} would like {FT:text} - forward to {TEAM:team}",
        "complaint from {C} about {FT:text}, send to {TEAM:team}",
        "share with {TEAM:team}: {C} requests {FT:text}",
        "{TEAM:team} should know {C} wants {FT:text}",
    ],
}
T["help"] = {
    "train": [
        "help",
        "what can you do",
        "how do I log a call?",
        "how do I create a deal",
        "commands",
        "what commands are there",
        "help me",
        "how does this work",
        "what can I ask you",
        "how do I set a reminder",
        "show help",
        "usage",
        "I'm lost",
        "how do i use this bot",
        "what do you do",
        "help pls",
        "how do I add a lead?",
        "what are your features",
        "instructions",
        "hlep",
        "can you help me",
        "how do I see my pipeline",
        "what can this bot do",
        "how do I mark a deal as won",
    ],
    "eval": [
        "what are you able to do",
        "how would I add a lead",
        "any tips on using this?",
        "explain how to update a deal",
        "what features do you have",
        "how do I log a meeting",
    ],
}

# More training phrasings (verbs, word order, politeness); eval templates stay separate.
MORE_TRAIN: dict[str, list[str]] = {
    "log_interaction": [
        "{KV} {C} this morning about {SUM}",
        "spent an hour on a {KN} with {C}",
        "{KN} with {P} from {C} just now",
        "log: {KN} with {C}",
        "add {KN} {C} {PAST:when}",
        "I just had a {KN} w/ {C}",
        "we had a great {KN} with {C} {PAST:when}",
        "{KN} with {C} today, discussed {SUM}",
        "mark down a {KN} with {C}",
        "register a {KN} with {P} at {C}",
        "capture a {KN} with {C} about {SUM}",
        "write down that I {KV} {P} at {C}",
        "note that we {KV} {C} {PAST:when}",
        "finished a {KN} with {C}, follow up {FUT:follow_up}",
        "{KN} done with {C} re {SUM}",
        "track a {KN} with {C}",
        "save a {KN} with {C} from {PAST:when}",
        "{KV} {C}, follow up {FUT:follow_up}",
        "had {KN} w/ {P} ({C}) {PAST:when}",
        "{PAST:when}: {KN} with {C}",
        "hey I {KV} {C} {PAST:when}, need to follow up {FUT:follow_up}",
        "log a {KN} I had with {C}",
        "add {KN} with {C} to the log",
        "{KV} {P} @ {C}",
        "long {KN} with {C} about {SUM} {PAST:when}",
        "did a {KN} for {C} {PAST:when}",
        "gave {C} a {KN} {PAST:when}",
        "ran a {KN} for {P} at {C}",
        "sat down with {C} {PAST:when} to talk about {SUM}",
        "caught up with {P} at {C} {PAST:when}",
    ],
    "customer_history": [
        "what's happening with {C}",
        "give me an overview of {C}",
        "account summary for {C}",
        "what do we know about {C}",
        "show everything we have on {C}",
        "where are we at with {C}?",
        "latest on {C} please",
        "quick update on {C}?",
        "how's {C} looking",
        "details for {C}",
        "can you show me {C}'s account",
        "recap {C} for me",
        "{C} overview",
        "show me the profile of {C}",
        "view {C}",
        "get {C}",
        "any updates on {C}",
        "what's new with {C}",
        "last {LIM:limit} {KP:kind} for {C}",
        "recent {KP:kind} with {C}",
        "list {KP:kind} with {C}",
        "show {C} {KP:kind}",
        "is {C} happy?",
        "what's the status of the {C} account",
        "{C} account info",
        "what deals do we have with {C}",
        "who do we know at {C}",
        "contacts at {C}",
        "history of {C}",
        "fill me in on {C}",
    ],
    "create_lead": [
        "new lead: {C}",
        "add {PF} as a lead, works at {C}",
        "log a new lead {PF} ({C})",
        "put {PF} from {C} in as a lead",
        "i met {PF} from {C}, add as lead",
        "{PF} at {C} wants a demo, create a lead",
        "add a prospect: {PF}, {C}, {EMAIL}",
        "create prospect {C}",
        "enter a new lead {PF} {PHONE}",
        "add lead {C} - {PF} - {EMAIL}",
        "new lead via {SRC}: {C}",
        "lead came in from {SRC}: {PF} at {C}",
        "record a new lead {PF} of {C}",
        "save new lead {PF}, {C}",
        "new contact and lead {PF} from {C}, {PHONE}",
        "{C} is a new lead",
        "there's a new lead {PF} at {C}",
        "add {C} as a new lead, contact {PF}",
        "set up a lead for {PF} ({C}) {EMAIL}",
        "sign up {C} as a lead",
    ],
    "assign_lead": [
        "{MEN:assignee} takes {C}",
        "{C} lead should go to {MEN:assignee}",
        "assign {C} lead to {REP:assignee}",
        "give {REP:assignee} the {C} lead",
        "hand {C} to {REP:assignee}",
        "pass the {C} lead to {MEN:assignee}",
        "make {MEN:assignee} the owner of {C}",
        "set owner of {C} to {MEN:assignee}",
        "{REP:assignee} will handle {C}",
        "can you assign {C} to me",
        "assign {C} to me",
        "I'll own {C}",
        "let me take the {C} lead",
        "distribute the leads {STRAT}",
        "assign all open leads {STRAT}",
        "split leads {STRAT}",
        "divide new leads {STRAT}",
        "auto-assign leads {STRAT}",
        "hand out unassigned leads {STRAT}",
        "deal out new leads {STRAT}",
        "route {C} to {MEN:assignee}",
        "move the {C} lead to {REP:assignee}",
        "{C} -> {MEN:assignee}",
    ],
    "list_leads": [
        "show me my leads",
        "list my leads",
        "what leads are open",
        "which leads do I own",
        "show all leads",
        "{STATUS:status} leads please",
        "show me {STATUS:status} leads",
        "leads that are {STATUS:status}",
        "what are {REP:owner}'s leads",
        "list leads owned by {REP:owner}",
        "show leads assigned to {MEN:owner}",
        "my open leads",
        "do I have any {STATUS:status} leads",
        "list the leads for {MEN:owner}",
        "leads list",
        "which prospects are mine",
        "my prospects",
        "show prospects",
        "what leads has {REP:owner} got",
    ],
    "create_deal": [
        "open a new deal with {C}",
        "create an opp for {C} worth {AMT}",
        "add an opportunity: {C} {AMT}",
        "new deal with {C} for {AMT}, closing {FUT:close_date}",
        "{C} deal {AMT} create",
        "make a deal for {C}",
        "new opportunity for {C}",
        "set up a deal with {C} worth {AMT}",
        "create a {AMT} opportunity with {C} closing {FUT:close_date}",
        "add deal for {C} {AMT} expected to close {FUT:close_date}",
        "new deal {NAME} {C} {AMT}",
        "open opp {C} at {AMT}",
        "create new opportunity {C} {AMT} in {STG:stage}",
        "{C} wants to buy, open a deal for {AMT}",
        "start deal {C} {AMT}",
        "register a deal for {C} of {AMT}",
        "book a new deal: {C}, {AMT}, close by {FUT:close_date}",
    ],
    "update_deal": [
        "{C} deal closed",
        "{C} is now in {STG:stage}",
        "{C} progressed to {STG:stage}",
        "set {C} stage to {STG:stage}",
        "{C} deal moved to {STG:stage}",
        "{C} deal at {PROB}",
        "{C} probability {PROB}",
        "change {C} probability to {PROB}",
        "{C} amount {AMT}",
        "{C} is worth {AMT} now",
        "increase {C} to {AMT}",
        "lower {C} deal to {AMT}",
        "{C} closes {FUT:close_date}",
        "{C} will close {FUT:close_date}",
        "move {C} close date to {FUT:close_date}",
        "{C} pushed to {FUT:close_date}",
        "we lost {C}",
        "{C} went with a competitor",
        "{C} is dead",
        "{C} chose a competitor",
        "{C} said yes!",
        "closed {C}!!",
        "{C} closed won",
        "won the {C} deal",
        "lost the {C} deal",
        "{C} now {STG:stage}",
        "adjust {C} to {AMT}",
        "{C} {PROB} chance",
        "{C} deal is {STG:stage}",
        "update the {C} deal: {STG:stage}",
        "{C}: {STG:stage}",
    ],
    "pipeline_report": [
        "pipeline",
        "show pipeline",
        "pipeline overview",
        "pipeline by {GB:group_by} {PER:period}",
        "what's our pipeline",
        "open pipeline",
        "how much pipeline do we have",
        "pipeline breakdown by {GB:group_by}",
        "pipeline grouped by {GB:group_by}",
        "show me the pipeline for {PER:period}",
        "team pipeline {PER:period}",
        "pipeline value per {GB:group_by}",
        "what's open in the pipeline for {MEN:owner}",
        "my open pipeline",
        "total value of open deals",
        "open deals value by {GB:group_by}",
        "what's the pipe looking like {PER:period}",
        "show {REP:owner}'s pipe",
    ],
    "forecast": [
        "forecast {PER:period}",
        "what's our forecast for {PER:period}",
        "weighted pipeline {PER:period}",
        "what's the expected revenue {PER:period}",
        "how much will we book {PER:period}",
        "forecast please",
        "show me the forecast for {PER:period}",
        "probability weighted forecast",
        "run the forecast for {PER:period}",
        "what are we forecasting {PER:period}",
        "{MEN:owner} forecast",
        "expected close {PER:period}",
        "how's the forecast for {PER:period}",
        "are we on track {PER:period}",
        "predicted revenue {PER:period}",
    ],
    "set_reminder": [
        "remind me {FUT:when}",
        "reminder {FUT:when} to {RT:text}",
        "set a reminder {FUT:when}: {RT:text}",
        "ping me {FUT:when} about {C}",
        "remind me to {RT:text} please",
        "nudge me to {RT:text} {FUT:when}",
        "remind {MEN:target} {FUT:when} to {RT:text}",
        "please remind {MEN:target} to {RT:text}",
        "create a reminder to {RT:text} {FUT:when}",
        "add a reminder: {RT:text} {FUT:when}",
        "reminder to {RT:text}",
        "make sure I {RT:text} {FUT:when}",
        "can you nudge me {FUT:when}",
        "ping {MEN:target} {FUT:when} to {RT:text}",
        "remind me about {C}",
        "set a reminder for {FUT:when}",
        "remember to {RT:text} {FUT:when}",
    ],
    "list_tasks": [
        "what do I need to do {TPER:period}",
        "show tasks",
        "my follow ups {TPER:period}",
        "what's pending",
        "any tasks due {TPER:period}",
        "what follow-ups do I have",
        "to-do list for {TPER:period}",
        "show my to do list",
        "what reminders do I have",
        "list tasks for {MEN:owner}",
        "what's {REP:owner} got due {TPER:period}",
        "what's on the agenda {TPER:period}",
        "my agenda {TPER:period}",
        "due follow-ups",
        "what's overdue",
        "upcoming tasks",
        "show upcoming follow ups",
        "what have I got {TPER:period}",
    ],
    "set_alert": [
        "alert me if {MET:metric} {CMP:comparator} {THR:threshold}",
        "notify {TGT:target} when {MET:metric} {CMP:comparator} {THR:threshold}",
        "let me know if {MET:metric} {CMP:comparator} {THR:threshold}",
        "ping {TGT:target} when a deal over {THR:threshold} is created",
        "alert {TGT:target} about deals stuck for {DAYS:threshold} days",
        "notify me of deals idle over {DAYS:threshold} days",
        "tell {TGT:target} whenever {MET:metric} {CMP:comparator} {THR:threshold}",
        "watch {MET:metric} and alert me below {THR:threshold}",
        "if {MET:metric} {CMP:comparator} {THR:threshold} let {TGT:target} know",
        "set up an alert when {MET:metric} {CMP:comparator} {THR:threshold}",
        "alert on deals with no activity for {DAYS:threshold} days",
        "warn {TGT:target} if any deal is above {THR:threshold}",
    ],
    "create_campaign": [
        "make a campaign for {SEG:segment} customers",
        "campaign: {SEG:segment} customers via {CH:channel}",
        "new {CH:channel} campaign for {SEG:segment} accounts",
        "build a {CH:channel} campaign targeting {SEG:segment} clients",
        "kick off a campaign {NAME:name} for {SEG:segment} customers {FUT:when}",
        "I want a {CH:channel} campaign for {SEG:segment} customers",
        "send a {CH:channel} campaign to {SEG:segment} customers",
        "prepare a campaign for {SEG:segment} customers by {CH:channel} {FUT:when}",
        "create a reactivation campaign for {SEG:segment} customers",
        "campaign targeting {SEG:segment} accounts over {CH:channel}",
        "run an outreach campaign for {SEG:segment} clients",
        "new campaign for {SEG:segment} customers",
    ],
    "segment_customers": [
        "which customers are at risk",
        "who might churn",
        "list customers likely to churn",
        "show our best customers",
        "who are the top {LIM:limit} customers",
        "{SEG:segment} accounts",
        "show customers that are {SEG:segment}",
        "which accounts have gone quiet",
        "who stopped buying",
        "find customers at risk of churning",
        "our most loyal customers",
        "customers we could upsell",
        "who are our newest customers",
        "segment: {SEG:segment}",
        "top customers",
        "show me the {SEG:segment} segment",
        "list the {SEG:segment} clients",
        "who's at risk of leaving",
    ],
    "rep_performance": [
        "how's the team doing {PER:period}",
        "rep leaderboard",
        "who's the best rep {PER:period}",
        "team performance {PER:period}",
        "show me {REP:owner}'s performance",
        "how has {REP:owner} done {PER:period}",
        "stats for {MEN:owner} {PER:period}",
        "how many calls did the reps make {PER:period}",
        "rep activity {PER:period}",
        "win rates by rep",
        "how am I performing {PER:period}",
        "my performance {PER:period}",
        "who won the most deals {PER:period}",
        "ranking of reps {PER:period}",
        "rep scoreboard",
        "how did the team do {PER:period}",
        "{REP:owner}'s conversion rate",
    ],
    "log_feedback": [
        "{C} requested {FT:text}, please tell {TEAM:team}",
        "{C} complains about {FT:text}",
        "send feedback to {TEAM:team}: {C} wants {FT:text}",
        "{C} is unhappy about {FT:text}, tell {TEAM:team}",
        "flag for {TEAM:team}: {C} needs {FT:text}",
        "{C} feedback: {FT:text}",
        "{C} would love {FT:text}, pass it on to {TEAM:team}",
        "let {TEAM:team} know that {C} asked for {FT:text}",
        "feature request for {TEAM:team} from {C}: {FT:text}",
        "tell {TEAM:team} {C} needs {FT:text}",
        "{C} suggested {FT:text}",
        "customer feedback from {C}: {FT:text}",
        "{C} reported {FT:text}, loop in {TEAM:team}",
    ],
    "help": [
        "what commands do you know",
        "how can you help",
        "how do I use you",
        "what should I type",
        "help?",
        "what can i do here",
        "how do I update a deal stage",
        "how do I assign a lead",
        "how do I see the forecast",
        "show me what you can do",
        "list commands",
        "how do I use crmbot",
        "tutorial",
        "getting started",
        "how do I create a campaign",
        "what questions can I ask",
        "how do I log an email",
        "guide me",
    ],
}
for _intent, _more in MORE_TRAIN.items():
    T[_intent]["train"].extend(_more)


MORE_TRAIN2: dict[str, list[str]] = {
    "list_leads": [
        "give me my leads",
        "give me all {STATUS:status} leads",
        "get me the leads for {MEN:owner}",
        "can I get a list of my leads",
        "pull my leads",
        "fetch {STATUS:status} leads",
    ],
    "segment_customers": [
        "give me the top customers",
        "get me a list of {SEG:segment} customers",
        "pull the {SEG:segment} accounts",
        "can I get the {SEG:segment} customers",
        "customers who are {SEG:segment}",
        "which of our customers are {SEG:segment}",
    ],
    "pipeline_report": [
        "give me a pipeline breakdown by {GB:group_by}",
        "get me the pipeline {PER:period}",
        "pipeline split per {GB:group_by}",
        "pull the pipeline numbers",
    ],
    "customer_history": [
        "give me the history of {C}",
        "get me the {C} account",
        "pull the {C} file",
        "can you show me what's been going on with {C}",
        "fill me in on {C} please",
    ],
    "log_feedback": [
        "{C} would love {FT:text}",
        "{TEAM:team} needs to hear that {C} wants {FT:text}",
        "for {TEAM:team}: {C} is asking for {FT:text}",
        "{C} wishes we had {FT:text}, tell {TEAM:team}",
        "can you tell {TEAM:team} that {C} needs {FT:text}",
    ],
    "help": [
        "explain what you can do",
        "how do I use the reminders",
        "what's the syntax for logging a call",
        "how do I ask for the forecast",
    ],
    "forecast": [
        "projected bookings {PER:period}",
        "projections for {PER:period}",
        "what do we think we'll close {PER:period}",
    ],
    "rep_performance": [
        "rank reps by wins {PER:period}",
        "ranking {PER:period}",
        "scoreboard {PER:period}",
    ],
}
for _intent, _more in MORE_TRAIN2.items():
    T[_intent]["train"].extend(_more)


MORE_TRAIN3: dict[str, list[str]] = {
    "help": [
        "what features are there",
        "which features does this bot have",
        "tips for using crmbot",
        "any tips?",
        "what are you capable of",
        "are you able to log calls?",
        "what else can you do",
        "how does the reminder feature work",
        "I don't know how to use this",
        "give me some examples",
        "examples of commands",
        "what kind of things can I ask",
        "documentation please",
        "what's possible here",
        "tips and tricks",
        "how am I supposed to use this thing",
    ],
    "log_feedback": [
        "{TEAM:team} should hear about this: {C} wants {FT:text}",
        "{C} would like {FT:text}",
        "heads up {TEAM:team}: {C} requested {FT:text}",
        "forward to {TEAM:team}: {C} wants {FT:text}",
        "share this with {TEAM:team}: {C} needs {FT:text}",
        "{TEAM:team} needs to know {C} asked for {FT:text}",
        "{C} keeps asking for {FT:text} - can {TEAM:team} look at it",
        "send this to {TEAM:team}: {C} complained about {FT:text}",
        "{C} would really like {FT:text}, forward it to {TEAM:team}",
        "make sure {TEAM:team} knows {C} wants {FT:text}",
        "{C} requests {FT:text}",
        "for the {TEAM:team} team: {C} would like {FT:text}",
    ],
    "customer_history": [
        "summarize {C}",
        "{C} summary",
        "open {C}",
        "open up the {C} account",
        "{C} record",
        "bring up the record for {C}",
        "catch up on {C}",
        "get me up to speed on {C}",
        "what's the situation with {C}",
        "show me the {C} timeline",
        "{C} activity",
        "all activity for {C}",
        "recent activity with {C}",
        "what have we done with {C} lately",
        "everything we did with {C} recently",
    ],
    "update_deal": [
        "{C} deal fell apart",
        "the {C} deal fell through",
        "{C} opportunity won",
        "{C} opportunity is lost",
        "{C} entered the {STG:stage} stage",
        "{C} is now at {STG:stage}",
        "{C} has moved into {STG:stage}",
        "{C} opp closed won",
        "{C} signed the contract",
        "{C} backed out",
        "{C} pulled out",
        "{C} reached {STG:stage}",
        "{C} opportunity moved to {STG:stage}",
    ],
    "assign_lead": [
        "put {REP:assignee} on the {C} lead",
        "{REP:assignee} can take {C}",
        "I want {C}",
        "I'd like the {C} lead",
        "can I have the {C} lead",
        "{MEN:assignee} can own {C}",
        "set {MEN:assignee} as owner for {C}",
        "{C} belongs to {MEN:assignee} now",
        "let {REP:assignee} work {C}",
        "put me on {C}",
    ],
    "list_tasks": [
        "anything due today?",
        "is anything due for me this week",
        "do I have anything due",
        "anything overdue?",
        "what's due for {MEN:owner}",
        "what needs doing {TPER:period}",
        "anything on my plate {TPER:period}?",
    ],
    "set_alert": [
        "heads up when {MET:metric} {CMP:comparator} {THR:threshold}",
        "give {TGT:target} a heads up if {MET:metric} {CMP:comparator} {THR:threshold}",
        "as soon as {MET:metric} {CMP:comparator} {THR:threshold} tell {TGT:target}",
        "whenever {MET:metric} {CMP:comparator} {THR:threshold}, notify {TGT:target}",
        "send {TGT:target} a message if {MET:metric} {CMP:comparator} {THR:threshold}",
        "shout if {MET:metric} {CMP:comparator} {THR:threshold}",
    ],
    "log_interaction": [
        "{KN} w/ {P} went great",
        "{KN} with {C} went ok, follow up {FUT:follow_up}",
        "e-mailed {C} about {SUM}",
        "talked to {P} at {C} {PAST:when}",
        "met {C} {PAST:when}",
        "{PAST:when} called {C}",
        "{PAST:when} met {P} at {C}",
        "dm'd {C} about {SUM}",
        "{KN} with {P} from {C} went well",
        "good {KN} with {C} {PAST:when}",
        "{KV} {C} {PAST:when} to talk about {SUM}",
    ],
    "segment_customers": [
        "give me the {SEG:segment} list",
        "{SEG:segment} customer list",
        "who could leave us",
        "which customers are likely to leave",
        "find {SEG:segment} customers",
        "any customers about to leave?",
    ],
    "forecast": [
        "give me the forecast for {PER:period}",
        "forecast {PER:period} please",
        "what's the projection {PER:period}",
    ],
    "list_leads": [
        "leads assigned to {MEN:owner}",
        "which leads are assigned to me",
        "show the leads I own",
    ],
}
for _intent, _more in MORE_TRAIN3.items():
    T[_intent]["train"].extend(_more)
UNKNOWN_MORE_TRAIN = [
    "weather forecast tomorrow",
    "what's the forecast for snow",
    "is rain forecast this weekend",
    "the CI pipeline is broken",
    "our deploy pipeline failed again",
    "I lost my keys",
    "we won the football game",
    "call me maybe",
    "my mom called",
    "who plays lead guitar",
    "what's the deal with airline food",
    "any good deals on laptops?",
    "the stage lights are off",
    "remind me why we're friends lol",
    "alert: fire drill at 3pm",
    "new phone who dis",
    "the campaign for president is wild",
    "how do I get to the airport",
    "can you help me with my homework",
    "what's a good name for a cat",
    "I need a vacation",
    "the printer is out of paper",
    "lunch?",
    "coffee anyone?",
    "happy friday everyone",
    "is the office open tomorrow",
    "what's for dinner",
    "send nudes",
    "you are useless",
    "I hate mondays",
]


MORE_TRAIN4: dict[str, list[str]] = {
    "log_interaction": [
        "{KV} {C} the proposal",
        "sent {C} the quote {PAST:when}",
        "emailed {EMAIL} the contract",
        "sent {P} at {C} an email about {SUM}",
        "{KV} {C} the pricing sheet {PAST:when}",
        "emailed the proposal to {C}",
        "sent a follow-up email to {P} ({C})",
    ],
    "customer_history": [
        "how's {C} doing?",
        "how is {C} going",
        "how are we doing with {C}",
        "how's the {C} account",
    ],
    "create_lead": ["add lead {PF} at {C}", "new lead {PF} at {C}, {PHONE}"],
}
for _intent, _more in MORE_TRAIN4.items():
    T[_intent]["train"].extend(_more)


MORE_TRAIN5: dict[str, list[str]] = {
    "log_interaction": [
        "{C} {KN} done, next step {FUT:follow_up}",
        "{KN} with {C} done 👍",
        "quick note on {C}: {SUM}",
        "log {KN} {C}",
        "{KN} {C} {PAST:when}",
    ],
    "forecast": [
        "how does the forecast look {PER:period}",
        "how's the forecast looking",
        "how is our forecast {PER:period}",
    ],
    "log_feedback": [
        "tell {TEAM:team} that {C} found {FT:text}",
        "{C} ran into {FT:text}, flag it to {TEAM:team}",
        "{C} hates {FT:text}, let {TEAM:team} know",
    ],
}
for _intent, _more in MORE_TRAIN5.items():
    T[_intent]["train"].extend(_more)


# Incomplete commands (the engine asks for what is missing): still clearly the intent.
MORE_TRAIN6: dict[str, list[str]] = {
    "log_interaction": [
        "log a {KN}",
        "log {KN}",
        "I had a {KN}",
        "just finished a {KN}",
        "record a {KN}",
        "log a {KN} please",
        "add a {KN}",
        "log an interaction",
        "log a {KN} from {PAST:when}",
    ],
    "create_deal": [
        "new deal",
        "create a deal",
        "open an opportunity",
        "add a deal",
        "new opportunity please",
    ],
    "create_lead": ["new lead", "add a lead", "create a lead", "add a new prospect"],
    "set_reminder": ["set a reminder", "remind me", "add a reminder", "reminder please"],
    "set_alert": ["set an alert", "create an alert", "add an alert", "new alert"],
    "create_campaign": ["new campaign", "plan a campaign", "create a campaign", "start a campaign"],
    "update_deal": ["update a deal", "change a deal", "update the deal stage"],
    "assign_lead": ["assign a lead", "assign leads", "reassign a lead"],
}
for _intent, _more in MORE_TRAIN6.items():
    T[_intent]["train"].extend(_more)


_HOWTO = [
    "log a call",
    "add a lead",
    "create a deal",
    "update a deal",
    "set a reminder",
    "set an alert",
    "see the pipeline",
    "mark a deal as won",
    "assign a lead",
    "plan a campaign",
    "see my tasks",
    "get the forecast",
    "log a meeting",
    "add a note",
    "change a deal stage",
]
MORE_TRAIN7: dict[str, list[str]] = {
    "help": [
        f"{p} {a}"
        for p in (
            "how can I",
            "how should I",
            "how to",
            "is there a way to",
            "show me how to",
            "explain how I can",
            "can you explain how to",
            "what's the command to",
        )
        for a in _HOWTO
    ],
}
for _intent, _more in MORE_TRAIN7.items():
    T[_intent]["train"].extend(_more)


MORE_TRAIN8: dict[str, list[str]] = {
    "log_feedback": [
        "{C} asked about {FT:text}, can you pass that to {TEAM:team}?",
        "could you let {TEAM:team} know {C} wants {FT:text}?",
        "can you tell {TEAM:team} {C} asked for {FT:text}",
        "{C} was asking about {FT:text} - could you flag it for {TEAM:team}",
        "please pass on to {TEAM:team}: {C} needs {FT:text}",
    ],
}
for _intent, _more in MORE_TRAIN8.items():
    T[_intent]["train"].extend(_more)

from intents.data import more_templates as _mt  # noqa: E402 - the later intents' templates

for _intent, _by_split in _mt.NEW_TEMPLATES.items():
    T[_intent] = _by_split
T["update_deal"]["train"].extend(
    [
        "lost {C} because {RSN:reason}",
        "{C} deal lost - {RSN:reason}",
        "mark {C} lost, {RSN:reason}",
        "we won {C} because {RSN:reason}",
        "update deal #{DID:deal_id} to {STG:stage}",
        "deal {DID:deal_id} is now {AMT}",
        "move deal {DID:deal_id} to {STG:stage}",
        "{C} closed lost: {RSN:reason}",
    ]
)
T["update_deal"]["eval"].extend(
    ["{C} is lost since {RSN:reason}", "set deal #{DID:deal_id} to {STG:stage}"]
)
for _intent, _by_split in _mt.CHAT_TEMPLATES.items():
    for _split in ("train", "eval"):
        T[_intent][_split].extend(_by_split[_split])
# T is ordered like INTENTS (help last): generation order is part of the seeded output
T = {k: T[k] for k in [*(k for k in T if k != "help"), "help"]}

UNKNOWN_EVAL = [
    "tell me something funny",
    "what's the forecast for rain in Paris",
    "who won the football match",
    "how's the weather in London",
    "can you recommend a restaurant",
    "I love tacos",
    "sing happy birthday",
    "what's 12 squared",
    "what's the time",
    "where is the nearest gym",
    "book me a taxi",
    "what is the population of Canada",
    "good afternoon",
    "thanks a lot!",
    "are you sentient",
    "Wie ist das Wetter morgen?",
    "¿Dónde está el baño?",
    "Je voudrais un café",
    "今天星期几",
    "Как тебя зовут?",
    "Qual é o seu nome?",
    "SELECT id FROM users WHERE 1=1;",
    "<p>hello</p>",
    "<img src=x onerror=alert(1)>",
    "rm -rf /",
    "import os; os.system('ls')",
    "🤔🤔",
    "🚀",
    "knock knock",
    "what's your name",
    "do you dream",
    "call of duty is fun",
    "the meeting room is cold",
    "my cat won't stop meowing",
    "who is the president of France",
    "ok thanks bye",
    "lmao",
    "update windows please",
    "how old are you",
    "let's grab a beer",
]
UNKNOWN_TEMPLATES = {
    "train": [
        "what's the weather in {CITY}",
        "tell me a joke about {THING}",
        "how do you say {THING} in {LANG}",
        "translate {THING} to {LANG}",
        "is it raining in {CITY}",
        "what's a good {THING} recipe",
        "I like {THING}",
        "find me a {THING} near {CITY}",
        "who invented the {THING}",
        "how much does a {THING} cost",
        "flights to {CITY} next week",
        "what time is it in {CITY}",
        "write a poem about {THING}",
        "do you like {THING}?",
        "fun facts about {THING}",
    ],
    "eval": [
        "weather forecast for {CITY}",
        "what rhymes with {THING}",
        "draw me a {THING}",
        "train times to {CITY}",
        "why is the {THING} so expensive",
    ],
}
CITIES = {
    "train": ["Berlin", "Paris", "London", "Tokyo", "New York", "Madrid", "Rome"],
    "eval": ["Oslo", "Lisbon", "Sydney", "Chicago"],
}
THINGS = {
    "train": ["cats", "pizza", "bicycle", "coffee", "guitar", "penguins", "sushi", "the moon"],
    "eval": ["dogs", "pasta", "telescope", "tea"],
}
LANGS = {"train": ["French", "Spanish", "German", "Japanese"], "eval": ["Italian", "Dutch"]}

PREFIXES = {
    "train": [
        "hey ",
        "hi, ",
        "pls ",
        "please ",
        "could you ",
        "can you ",
        "yo ",
        "ok so ",
        "quick one: ",
        "hey bot, ",
        "morning! ",
        "um ",
        "so ",
        "@crmbot ",
    ],
    "eval": ["hello, ", "would you please ", "hey there ", "kindly ", "alright, ", "hiya "],
}
SUFFIXES = {
    "train": [" thanks", " pls", " ty", "!!", " please", " thx", "?", " 🙏", " 🎉", " :)", " asap"],
    "eval": [" thank you", " cheers", "!", " 👍", " 😅", " if you can"],
}
RAMBLE = {
    "train": [
        "ok so it has been a crazy morning and I am still catching up on everything but ",
        "sorry for the late message, long day, anyway ",
        "before I forget because my memory is terrible lately, ",
        "quick thing while I grab a coffee, ",
    ],
    "eval": [
        "right, so after a whole morning of back to back stuff, ",
        "not sure if this is the right place but here goes: ",
    ],
}
BOT_MENTIONS = ["<@U0BOT> ", "<@U0CRMBOT> ", "@crmbot "]


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == 1:
        return word[:i] + word[i + 1 :]
    if op == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


SLOT_RE = re.compile(r"\{([A-Z][A-Z0-9]*)(?::([a-z_]+))?\}")
DEFAULT_KEY = {
    "C": "customer",
    "P": "contact",
    "PF": "contact",
    "KN": "kind",
    "KP": "kind",
    "KV": "kind",
    "AMT": "amount",
    "THR": "threshold",
    "PROB": "probability",
    "STG": "stage",
    "WL": "stage",
    "WLV": "stage",
    "SEG": "segment",
    "MET": "metric",
    "CMP": "comparator",
    "CH": "channel",
    "STRAT": "strategy",
    "GB": "group_by",
    "TEAM": "team",
    "STATUS": "status",
    "SRC": "source",
    "EMAIL": "email",
    "PHONE": "phone",
    "LIM": "limit",
    "SUM": "summary",
    "NAME": "name",
    "C2": "into",
    "DID": "deal_id",
    "TID": "task_id",
    "LID": "lead_id",
    "TITLE": "title",
    "RSN": "reason",
    "TSTAT": "status",
    "DSTAT": "status",
    "FSTAT": "status",
}
LOWER_KEYS = {"customer", "contact", "summary", "text", "name", "source", "into", "reason", "title"}


class Renderer:
    def __init__(self, split: str, rng: random.Random) -> None:
        self.split = split
        self.rng = rng

    def pick(self, table: dict) -> Any:
        return self.rng.choice(table[self.split])

    def slot(self, slot: str, intent: str, lower: bool) -> tuple[str, Any]:  # noqa: C901
        r = self.rng
        if slot in ("C", "C2"):
            name = self.pick(COMPANIES)
            return name, name
        if slot in ("P", "PF"):
            persons = PERSONS[self.split]
            pool = (
                [p for p in persons if " " in p] if slot == "PF" and r.random() < 0.6 else persons
            )
            name = r.choice(pool)
            return name, name
        if slot in ("KN", "KP", "KV"):
            table = {"KN": KIND_NOUN, "KP": KIND_PLURAL, "KV": KIND_VERB}[slot]
            return self.pick(table)
        if slot in ("PAST", "FUT"):
            phrase = self.pick(PAST_DATES if slot == "PAST" else FUTURE_DATES)
            return phrase, ("DATE", phrase, "past" if slot == "PAST" else "future")
        if slot == "AMT":
            return self.pick(AMOUNTS)
        if slot == "THR":
            return self.pick(THRESHOLDS)
        if slot == "DAYS":
            n = self.pick(STALE_DAYS)
            return str(n), n
        if slot == "PROB":
            return self.pick(PROBS)
        if slot == "STG":
            return self.pick(STAGES_UPDATE)
        if slot == "WL":
            return r.choice(
                [
                    ("won", "won"),
                    ("lost", "lost"),
                    ("closed won", "won"),
                    ("closed lost", "lost"),
                    ("signed", "won"),
                ]
            )
        if slot == "WLV":
            return r.choice(
                [("won", "won"), ("lost", "lost"), ("closed", "won"), ("signed", "won")]
            )
        if slot == "MEN" or slot == "TGT":
            roll = r.random()
            if slot == "TGT" and roll < 0.3:
                ch = r.choice(
                    ["#sales", "#deals", "#leadership"]
                    if self.split == "train"
                    else ["#revenue", "#team-emea"]
                )
                return ch, ch
            if slot == "TGT" and roll < 0.5:
                return "me", "me"
            surface, value = self.pick(HANDLES)
            return surface, value
        if slot == "REP":
            name = self.pick(REP_NAMES)
            return name, name
        if slot == "PER":
            p = self.pick(PERIODS)
            return p, ("PERIOD", p)
        if slot == "TPER":
            p = self.pick(TASK_PERIODS)
            return p, ("PERIOD", p)
        closed = {
            "SEG": SEGMENTS,
            "MET": METRICS,
            "CMP": COMPARATORS,
            "CH": CHANNELS,
            "STRAT": STRATEGIES,
            "GB": GROUPS,
            "TEAM": TEAMS,
            "STATUS": STATUSES,
        }.get(slot)
        if closed:
            return self.pick(closed)
        if slot == "SRC":
            s = self.pick(SOURCES)
            return s, s
        if slot == "EMAIL":
            e = self.pick(EMAILS)
            return e, e
        if slot == "PHONE":
            p = self.pick(PHONES)
            return p, p
        if slot == "LIM":
            n = self.pick(LIMITS)
            return str(n), n
        if slot == "SUM":
            s = self.pick(SUMMARIES)
            return s, s
        if slot == "FT":
            s = self.pick(FEEDBACK_TEXTS)
            return s, s
        if slot == "NAME":
            s = self.pick(NAMES)
            q = r.choice(['"', "'", "“"]) if r.random() < 0.7 else None
            if q == "“":
                return f"“{s}”", s
            return (f"{q}{s}{q}" if q else f"called {s}"), s
        if slot == "DID":
            n = self.pick(_mt.DEAL_IDS)
            return str(n), n
        if slot == "TID":
            n = self.pick(_mt.TASK_IDS)
            return str(n), n
        if slot == "LID":
            n = self.pick(_mt.LEAD_IDS)
            return str(n), n
        if slot == "TITLE":
            s = self.pick(_mt.TITLES)
            return s, s
        if slot == "RSN":
            s = self.pick(_mt.REASONS)
            return s, s
        if slot == "EOM":
            phrase = r.choice(["end of jan", "mid feb", "end of march", "early jan", "mid-dec"])
            if self.split == "eval":
                phrase = r.choice(["end of february", "mid april"])
            return phrase, ("DATE", phrase, "future")
        if slot == "SAID":
            s = self.pick(_mt.SAID)
            return s, s
        if slot == "TSTAT":
            return self.pick(_mt.TASK_STATUSES)
        if slot == "DSTAT":
            return self.pick(_mt.DEAL_STATUSES)
        if slot == "FSTAT":
            return self.pick(_mt.FEEDBACK_STATUSES)
        if slot == "RT":
            raise AssertionError("RT handled by caller")
        raise KeyError(slot)

    def render(self, template: str, intent: str, *, lower: bool, typos: float) -> tuple[str, dict]:
        out: list[str] = []
        clean: list[str] = []  # the same message without typos, for the implicit gold entities
        ents: dict = {}
        pos = 0
        customer = None
        second = None
        for m in SLOT_RE.finditer(template):
            literal = template[pos : m.start()]
            out.append(self._literal(literal, typos))
            clean.append(literal)
            slot, key = m.group(1), m.group(2) or DEFAULT_KEY.get(m.group(1))
            if slot == "RT":
                rt = self.pick(REMINDER_TEXTS)
                if "{C}" in rt:
                    customer = customer or self.pick(COMPANIES)
                    rt = rt.replace("{C}", customer)
                    ents["customer"] = customer
                surface, value = rt, rt
            else:
                surface, value = self.slot(slot, intent, lower)
                if (
                    slot == "NAME"
                    and re.search(r"(?:called|named|titled)\s*$", "".join(out))
                    and surface.startswith("called ")
                ):
                    surface = surface[len("called ") :]
                if slot == "C":
                    if customer:
                        surface = value = customer
                    customer = surface
                if slot == "C2":
                    if second:
                        surface = value = second
                    else:
                        while surface == customer:
                            surface, value = self.slot("C", intent, lower)
                    second = surface
            if key:
                ents[key] = value
            out.append(surface)
            clean.append(surface)
            pos = m.end()
        out.append(self._literal(template[pos:], typos))
        clean.append(template[pos:])
        text = "".join(out)
        self.last_clean = "".join(clean)
        if lower:
            text = re.sub(
                r"<@[A-Z0-9]+>|[^<]+|<",
                lambda mm: mm.group(0) if mm.group(0).startswith("<@") else mm.group(0).lower(),
                text,
            )
            for k in list(ents):
                if k in LOWER_KEYS and isinstance(ents[k], str):
                    ents[k] = ents[k].lower()
                if (
                    k in ("assignee", "owner", "target")
                    and isinstance(ents[k], str)
                    and not re.fullmatch(r"[UW][A-Z0-9]+", ents[k])
                ):
                    ents[k] = ents[k].lower()
        return text, ents

    def _literal(self, text: str, typos: float) -> str:
        if typos <= 0:
            return text
        return re.sub(
            r"[A-Za-z]{4,}",
            lambda m: typo(m.group(0), self.rng) if self.rng.random() < typos else m.group(0),
            text,
        )


def resolve_gold(ents: dict) -> dict:
    from intents.dates import resolve_date, resolve_period, to_iso

    out: dict[str, Any] = {}
    for k, v in ents.items():
        if isinstance(v, tuple) and v and v[0] == "DATE":
            got = resolve_date(v[1], NOW, prefer=v[2])
            if got is None:
                raise ValueError(f"unresolvable gold date {v[1]!r}")
            if k == "close_date" and hasattr(got, "date"):
                got = got.date()
            out[k] = to_iso(got)
        elif isinstance(v, tuple) and v and v[0] == "PERIOD":
            per = resolve_period(v[1], NOW)
            if per is None:
                raise ValueError(f"unresolvable gold period {v[1]!r}")
            out[k] = {"start": per[0].isoformat(), "end": per[1].isoformat()}
        else:
            out[k] = v
    return out


# the request verb of a feedback ("Acme wants SSO"): part of the text when the customer is its
# subject (intents.extract keeps it the same way)
_REQUEST_VERB = re.compile(
    r"(?:really\s+)?(?:wants?|wanted|would like|would love|needs?|asked for|asking for|asks for|"
    r"requested|requests|complained about|complains about|keeps? asking for|keeps? hitting|"
    r"ran into|reported|reports|hates|missing|misses|wishes for|suggested|suggests|"
    r"neods|wnts|wans)\s+$",
    re.IGNORECASE,
)


def implicit_entities(intent: str, text: str, ents: dict) -> dict:
    """Entities the template words themselves carry (e.g. 'my leads' -> owner me)."""
    low = text.lower()
    went = re.search(r"\bwent (?:well|ok|okay|great|fine|badly)\b", text, re.I)
    if intent == "log_interaction" and "summary" not in ents and went:
        ents["summary"] = went.group(0)  # "demo w/ Ann from Acme went well": that was said
    ft = ents.get("text")
    if intent == "log_feedback" and isinstance(ft, str) and ft:
        at = text.find(ft)
        vm = _REQUEST_VERB.search(text[max(0, at - 40) : at]) if at > 0 else None
        if vm is not None:
            ents["text"] = vm.group(0) + ft
    if intent in ("list_leads", "pipeline_report", "forecast", "list_tasks", "rep_performance"):
        # "give me the pipeline": the reader, not whose numbers (intents.extract.GIVING_VERBS)
        from intents.extract import reader_phrases

        own = re.sub(
            r"\b(?:show|give|tell|send|get|bring|pull|let|email|mail|walk|remind) me\b",
            " ",
            reader_phrases(low),
        )
        if "owner" not in ents and re.search(r"\b(my|i|me|i'm|am i|mine)\b", own):
            ents["owner"] = "me"
    if (
        intent == "set_reminder"
        and "target" not in ents
        and not re.search(
            r"\b(?:remind|nudge|ping)\s+(?:the|our|everyone|all|him|her|them|us)\b", low
        )
    ):
        ents["target"] = "me"  # a reminder with no one else named is for the sender
    if (
        intent == "set_alert"
        and "target" not in ents
        and re.search(r"\b(alert|notify|tell|warn) me\b", low)
    ):
        ents["target"] = "me"
    if intent == "set_alert" and "metric" not in ents:
        if re.search(r"stale|no activity|stuck|idle", low):
            ents["metric"] = "stale_days"
            ents["comparator"] = ">"
        elif re.search(r"\bdeal\b", low):
            ents["metric"] = "deal_amount"
    if intent == "set_alert" and "comparator" not in ents and re.search(r"\babove\b|\bover\b", low):
        ents["comparator"] = ">"
    if (
        intent == "set_alert"
        and "comparator" not in ents
        and re.search(r"\bbelow\b|\bunder\b", low)
    ):
        ents["comparator"] = "<"
    if (
        intent == "set_alert"
        and ents.get("metric") == "pipeline"
        and re.search(r"\bmy pipeline\b", low)
    ):
        ents["owner"] = "me"
    if intent == "update_deal" and "stage" not in ents:
        if re.search(r"\bwe won\b|\bsigned\b|said yes|\bclosed\b|\bwon the\b", low):
            ents["stage"] = "won"
        elif re.search(r"\blost\b|fell through|competitor|is dead", low):
            ents["stage"] = "lost"
    if (
        intent == "assign_lead"
        and "assignee" not in ents
        and re.search(
            r"\bto me\b|\bassign me\b|\bi'll take\b|\bi want\b|\bi'll own\b|\bgive me\b|"
            r"\blet me take\b",
            low,
        )
    ):
        ents["assignee"] = "me"
    if intent == "segment_customers" and "segment" not in ents:
        for rx, seg in (
            (r"churn|at risk|might leave|leaving", "at_risk"),
            (r"dormant|hasn't bought|gone quiet|stopped buying", "dormant"),
            (r"loyal", "loyal"),
            (r"upsell", "potential"),
            (r"newest", "new"),
            (r"\btop\b|biggest|\bbest\b", "top"),
        ):
            if re.search(rx, low):
                ents["segment"] = seg
                break
    if intent == "list_leads" and "status" not in ents and re.search(r"\bnew leads\b", low):
        ents["status"] = "new"
    if intent == "list_deals":
        own = re.sub(r"\b(?:show|give|tell|send|get|pull|list) me\b", " ", low)
        if "owner" not in ents and re.search(r"\b(my|i|me|mine)\b", own):
            ents["owner"] = "me"
        if "amount" in ents and "comparator" not in ents:
            if re.search(r"\b(?:over|above|bigger|larger|more than|greater)\b", low):
                ents["comparator"] = ">"
            elif re.search(r"\b(?:under|below|smaller|less than)\b", low):
                ents["comparator"] = "<"
        if "status" not in ents and re.search(r"\bopen\b", low):
            ents["status"] = "open"
    if intent == "update_task" and "status" not in ents:
        if re.search(r"\b(?:done|finished|completed?|tick(?:ed)? off|crossed off|close)\b", low):
            ents["status"] = "done"
        elif re.search(r"\b(?:cancel(?:led)?|drop|delete|scrap)\b", low):
            ents["status"] = "cancelled"
    if intent == "update_lead" and "status" not in ents:
        if re.search(r"\b(?:disqualify|dq|kill|bad fit)\b", low):
            ents["status"] = "disqualified"
        elif re.search(r"\b(?:convert|turn)\b", low):
            ents["status"] = "converted"
    if intent == "update_deal" and "reason" in ents and "stage" not in ents:
        if re.search(r"\blost\b", low):
            ents["stage"] = "lost"
        elif re.search(r"\bwon\b", low):
            ents["stage"] = "won"
    if intent == "create_lead" and "source" in ents:
        ents["source"] = re.sub(r"^(the|a|an) ", "", ents["source"], flags=re.I)
    return ents


def augment(text: str, split: str, rng: random.Random, intent: str) -> str:
    if rng.random() < 0.12:
        text = rng.choice(BOT_MENTIONS) + text
    elif rng.random() < 0.15:
        text = rng.choice(PREFIXES[split]) + text
    if rng.random() < 0.06 and intent != "unknown":
        text = rng.choice(RAMBLE[split]) + text
    if rng.random() < 0.12:
        text = text + rng.choice(SUFFIXES[split])
    return text


def generate(split: str, n_per_intent: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    r = Renderer(split, rng)
    for intent, by_split in T.items():
        templates = by_split[split]
        for i in range(n_per_intent):
            template = (
                templates[i % len(templates)] if i < len(templates) else rng.choice(templates)
            )
            lower = rng.random() < 0.3
            typos = 0.08 if rng.random() < 0.35 else 0.0
            text, ents = r.render(template, intent, lower=lower, typos=typos)
            text = augment(text, split, rng, intent)
            # implicit gold from the words as meant (a typo does not change what was asked)
            ents = implicit_entities(intent, text if not typos else r.last_clean, ents)
            rows.append(
                {
                    "text": text,
                    "intent": intent,
                    "entities": resolve_gold(ents),
                    "template": template,
                }
            )
    # unknown
    if split == "train":
        chatter = [
            line.strip()
            for line in (HERE / "unknown_chatter.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ] + UNKNOWN_MORE_TRAIN
    else:
        chatter = list(UNKNOWN_EVAL)
    near = list(_mt.NEAR_MISS_FIXED) if split == "train" else []
    for tpl in _mt.NEAR_MISS_TEMPLATES[split]:
        for obj in _mt.NON_CRM_OBJECTS[split]:
            if rng.random() < 0.35:
                near.append(tpl.replace("{X}", obj))
    for text in near:
        text = augment(text.lower() if rng.random() < 0.3 else text, split, rng, "unknown")
        rows.append({"text": text, "intent": "unknown", "entities": {}, "template": text})
    n_unknown = int(n_per_intent * 1.2)
    for i in range(n_unknown):
        if i < len(chatter):
            text = template = chatter[i]
        elif rng.random() < 0.5:
            tpl = template = rng.choice(UNKNOWN_TEMPLATES[split])
            text = (
                tpl.replace("{CITY}", rng.choice(CITIES[split]))
                .replace("{THING}", rng.choice(THINGS[split]))
                .replace("{LANG}", rng.choice(LANGS[split]))
            )
        else:
            text = template = rng.choice(chatter)
            if rng.random() < 0.3:
                text = text.lower()
            text = r._literal(text, 0.1 if rng.random() < 0.3 else 0)
        text = augment(text, split, rng, "unknown")
        rows.append({"text": text, "intent": "unknown", "entities": {}, "template": template})
    rng.shuffle(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    out_dir = HERE
    sizes = {"eval": (70, 98765), "train": (340, 1234)}
    held_out: set[str] = set()
    for split, (n, seed) in sizes.items():
        rows = generate(split, n, seed)
        if split == "train":  # a phrase drawn for both splits stays in the evaluation only
            rows = [r for r in rows if r["text"] not in held_out]
        held_out |= {r["text"] for r in rows}
        path = out_dir / f"{split}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps({"now": NOW.isoformat()}) + "\n")
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{path}: {len(rows)} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
