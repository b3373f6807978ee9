"""Realistic, reproducible demo data: teams of reps, customers with contacts, 18 months of
history, leads, deals across stages with their history, tasks due.

The same seed and the same `now` give the same database. Rows are written in chunks with
Core bulk inserts and explicit ids, so 100,000 customers (about a million interactions) build
in a bounded amount of memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from crm_core.database import Database
from crm_core.errors import ValidationError
from crm_core.models import (
    AuditEntry,
    Contact,
    Customer,
    CustomerAlias,
    Deal,
    DealStageChange,
    Interaction,
    Lead,
    Task,
    User,
)
from crm_core.names import name_key

Progress = Callable[[str, int, int], None]  # phase, done, total

FIRST = """Alex Sam Dana Priya Jordan Morgan Taylor Casey Jamie Riley Avery Quinn Maya Liam Noah
Emma Olivia Ava Sofia Mia Lucas Ethan Aria Leo Zoe Nina Omar Yuki Chen Raj Ana Luis Marta Ivan
Sara Tom Ben Kate Hugo Ines Lena Paul Rosa Tariq Wei Hana Diego Elif Kofi""".split()
LAST = """Lee Patel Garcia Smith Nguyen Kim Müller Rossi Silva Cohen Brown Jones Novak Dubois
Sato Khan Ali Okafor Larsen Jensen Costa Ivanova Haddad Schmidt Moreau Tanaka Park Lopez Reyes
Walsh Murphy Singh Fischer Berg Weber Santos Romano Bauer Young Clark""".split()
WORDS_A = """Acme Apex Blue Bright Cedar Core Crest Delta Echo Ever Falcon Fern Global Granite
Harbor Helix Iron Jade Keystone Lumen Maple Meridian Nimbus North Nova Oak Orbit Pacific Peak
Pine Pioneer Prime Quantum Red River Sage Silver Spark Star Summit Terra Tidal Titan Union
Vertex Vista Willow Zen Atlas Beacon Cobalt Ember Frontier Horizon Lotus Mosaic Onyx Polar
Radiant Sierra Solstice Sterling Trinity Vanguard Zenith Amber Arbor Aurora Boreal Canyon""".split()
WORDS_B = """Systems Labs Logistics Foods Health Energy Capital Media Robotics Software Partners
Analytics Dynamics Networks Retail Motors Pharma Foundry Works Studios Telecom Freight Textiles
Insurance Bank Airlines Brewing Clinics Devices Security Solar Water Mining Farms Hotels""".split()
LEGAL = ["Inc.", "Corp", "LLC", "Ltd", "GmbH", "", "", "", "Group", "Co."]
FAMOUS = [
    "Acme Corp, Inc.",
    "Globex Corporation",
    "Initech",
    "Umbrella Corp",
    "Hooli",
    "Wonka Industries",
    "Northwind Traders",
    "Stark Industries",
    "Wayne Enterprises",
    "Cyberdyne Systems",
    "Soylent Corp",
    "Tyrell Corporation",
    "Vandelay Industries",
    "Dunder Mifflin",
    "Pied Piper",
    "Massive Dynamic",
    "Oscorp",
    "Gringotts",
    "Monsters Inc",
    "Prestige Worldwide",
]
FAMOUS_ALIASES = {
    "Globex Corporation": "GBX",
    "Northwind Traders": "Northwind",
    "Dunder Mifflin": "DM Paper",
    "Vandelay Industries": "Vandelay",
}
TEAMS = [
    ("east", "North America"),
    ("west", "North America"),
    ("emea", "EMEA"),
    ("apac", "APAC"),
    ("latam", "LATAM"),
]
INDUSTRIES = "software retail manufacturing healthcare finance logistics media energy".split()
TITLES = [
    "CEO",
    "CTO",
    "VP Sales",
    "Head of IT",
    "Procurement Lead",
    "Operations Manager",
    "CFO",
    "Product Manager",
    "Marketing Director",
    "Buyer",
]
SOURCES = ["website", "referral", "event", "cold call", "linkedin", "webinar", "partner"]
SUMMARIES = {
    "call": [
        "discussed pricing",
        "intro call",
        "checked in on renewal",
        "walked through the quote",
        "talked about the roll-out timeline",
        "left a voicemail",
        "answered contract questions",
    ],
    "email": [
        "sent the proposal",
        "followed up on the quote",
        "shared case studies",
        "sent the contract",
        "replied to support question",
        "sent meeting notes",
    ],
    "meeting": [
        "quarterly business review",
        "on-site visit",
        "kick-off meeting",
        "negotiation meeting",
        "met the procurement team",
    ],
    "demo": ["product demo for the team", "demo of the reporting module", "technical deep dive"],
    "note": [
        "budget approved for next quarter",
        "champion is leaving the company",
        "competitor is also pitching",
        "asked for a discount",
        "happy with onboarding",
    ],
    "message": ["pinged about the invoice", "quick question on seats", "confirmed the meeting"],
}
KIND_WEIGHTS = [
    ("call", 30),
    ("email", 35),
    ("meeting", 12),
    ("demo", 5),
    ("note", 10),
    ("message", 8),
]
HISTORY_DAYS = 548  # 18 months
CHUNK = 2_000


@dataclass
class DemoSummary:
    users: int = 0
    customers: int = 0
    contacts: int = 0
    interactions: int = 0
    leads: int = 0
    deals: int = 0
    tasks: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Ids:
    """Explicit primary keys, so chunks need no RETURNING round trip."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


def _people(rng: random.Random, n: int) -> Iterator[str]:
    seen: set[str] = set()
    while len(seen) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            name = f"{name} {len(seen)}"
        seen.add(name)
        yield name


def _company_names(rng: random.Random, n: int) -> Iterator[str]:
    keys: set[str] = set()
    for name in FAMOUS[: min(n, len(FAMOUS))]:
        keys.add(name_key(name))
        yield name
    made = len(keys)
    while made < n:
        name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}"
        if rng.random() < 0.5:
            name = f"{rng.choice(WORDS_A)}{rng.choice(WORDS_A).lower()} {rng.choice(WORDS_B)}"
        key = name_key(name)
        if key in keys:
            name = f"{name} {rng.choice(['North', 'South', 'East', 'West', 'International'])}"
            key = name_key(name)
            if key in keys:
                name = f"{name} {made}"
                key = name_key(name)
        legal = rng.choice(LEGAL)
        keys.add(key)
        made += 1
        yield f"{name} {legal}".strip()


def build_demo(
    database: Database,
    *,
    customers: int = 500,
    seed: int = 7,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database. Refuses one that already holds customers.

    Each chunk of CHUNK customers (with their contacts, history, leads, deals and tasks) is
    committed on its own: the report aggregates (migration 0010) are kept by triggers on a
    few hot rows, and on PostgreSQL every update of a row inside one transaction adds a
    version the next update walks past, so one transaction for a million customers slowed
    down chunk after chunk. A build that stops half-way keeps what it committed: `crmbot
    demo --reset` starts again."""
    if customers < 1 or customers > 1_000_000:
        raise ValidationError("--customers must be between 1 and 1,000,000")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    report = progress or (lambda phase, done, total: None)
    summary = DemoSummary()
    with database.engine.connect() as conn:
        existing = conn.scalar(select(func.count(Customer.id)))
        if existing:
            raise ValidationError(
                f"the database already has {existing} customers: use --reset to replace them"
            )
        ids = _Ids()
        users = _insert_users(conn, rng, customers, now, ids)
        summary.users = len(users)
        reps = [u for u in users if u["role"] in ("rep", "manager")]
        names = _company_names(rng, customers)
        done = 0
        while done < customers:
            size = min(CHUNK, customers - done)
            rows = _chunk(rng, names, size, reps, now, ids)
            for model, batch in rows.items():
                if batch:
                    conn.execute(insert(model), batch)
            for key, model in (
                ("customers", Customer),
                ("contacts", Contact),
                ("interactions", Interaction),
                ("leads", Lead),
                ("deals", Deal),
                ("tasks", Task),
            ):
                setattr(summary, key, getattr(summary, key) + len(rows.get(model, [])))
            conn.commit()
            done += size
            report("customers", done, customers)
        conn.execute(
            insert(AuditEntry),
            [
                {
                    "at": now,
                    "actor_id": None,
                    "actor_label": "crmbot demo",
                    "source_platform": "system",
                    "source_message_id": None,
                    "action": "demo.build",
                    "entity_type": "database",
                    "entity_id": None,
                    "data": {"customers": customers, "seed": seed, "now": now.isoformat()},
                }
            ],
        )
        if conn.dialect.name == "postgresql":
            for table in (
                "users",
                "customers",
                "customer_aliases",
                "contacts",
                "interactions",
                "leads",
                "deals",
                "deal_stage_history",
                "tasks",
            ):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                    )
                )
        conn.commit()
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return summary


def _insert_users(
    conn: Connection, rng: random.Random, customers: int, now: datetime, ids: _Ids
) -> list[dict[str, Any]]:
    reps_per_team = max(2, min(40, customers // (250 * len(TEAMS)) + 1))
    users: list[dict[str, Any]] = []

    def add(name: str, display: str, role: str, team: str | None, region: str | None) -> None:
        users.append(
            {
                "id": ids.take("users"),
                "name": name,
                "display_name": display,
                "role": role,
                "team": team,
                "region": region,
                "capacity": 60,
                "email": f"{name}@example.com",
                "timezone": None,
                "active": True,
                "last_assigned_at": None,
                "created_at": now - timedelta(days=HISTORY_DAYS + 30),
            }
        )

    add("admin", "Ada Admin", "admin", None, None)
    # Well-known people for the README's examples and the console's default user.
    add("morgan", "Morgan Reyes", "manager", "east", "North America")
    add("alex", "Alex Kim", "rep", "east", "North America")
    add("dana", "Dana Scully", "rep", "east", "North America")
    taken = {"admin", "morgan", "alex", "dana"}
    people = _people(rng, 10_000)
    for team, region in TEAMS:
        if team != "east":
            display = next(people)
            handle = display.split()[0].lower()
            while handle in taken:
                handle = f"{handle}{len(taken)}"
            taken.add(handle)
            add(handle, display, "manager", team, region)
        for _ in range(reps_per_team - (2 if team == "east" else 0)):
            display = next(people)
            handle = display.lower().replace(" ", ".").replace("ü", "u")
            while handle in taken:
                handle = f"{handle}{len(taken)}"
            taken.add(handle)
            add(handle, display, "rep", team, region)
    conn.execute(insert(User), users)
    return users


def _chunk(
    rng: random.Random,
    names: Iterator[str],
    size: int,
    reps: list[dict[str, Any]],
    now: datetime,
    ids: _Ids,
) -> dict[type, list[dict[str, Any]]]:
    rows: dict[type, list[dict[str, Any]]] = {
        m: []
        for m in (Customer, CustomerAlias, Contact, Interaction, Lead, Deal, DealStageChange, Task)
    }
    start = now - timedelta(days=HISTORY_DAYS)
    for _ in range(size):
        name = next(names)
        owner = rng.choice(reps)
        cid = ids.take("customers")
        # Activity profile: how engaged this account is and when it went quiet, if it did.
        profile = _weighted(
            rng, [("active", 45), ("steady", 25), ("fading", 15), ("dormant", 10), ("new", 5)]
        )
        created = (
            now - timedelta(days=rng.randint(1, 25))
            if profile == "new"
            else start - timedelta(days=rng.randint(0, 400))
        )
        lifecycle = (
            "prospect"
            if profile == "new"
            else _weighted(rng, [("customer", 60), ("prospect", 30), ("former", 10)])
        )
        rows[Customer].append(
            {
                "id": cid,
                "name": name,
                "name_key": name_key(name),
                "owner_id": owner["id"],
                "region": owner["region"],
                "lifecycle": lifecycle,
                "industry": rng.choice(INDUSTRIES),
                "website": None,
                "created_at": created,
                "updated_at": created,
            }
        )
        alias = FAMOUS_ALIASES.get(name)
        if alias is None and rng.random() < 0.08:
            initials = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
            alias = initials if len(initials) >= 2 else None
        if alias and name_key(alias) != name_key(name):
            rows[CustomerAlias].append(
                {
                    "id": ids.take("customer_aliases"),
                    "customer_id": cid,
                    "alias": alias,
                    "alias_key": name_key(alias),
                }
            )
        contact_ids = []
        domain = name_key(name).replace(" ", "") + ".example"
        for person in range(rng.randint(1, 3)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            contact_id = ids.take("contacts")
            contact_ids.append(contact_id)
            rows[Contact].append(
                {
                    "id": contact_id,
                    "customer_id": cid,
                    "name": f"{first} {last}",
                    "title": TITLES[(cid + person) % len(TITLES)],
                    "email": f"{first.lower()}.{cid}.{person}@{domain}",
                    "phone": f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    "created_at": created,
                }
            )
        # Interactions: about ten per customer on average, shaped by the profile.
        count, window_end = {
            "active": (rng.randint(8, 22), now),
            "steady": (rng.randint(4, 12), now - timedelta(days=rng.randint(0, 60))),
            "fading": (rng.randint(5, 14), now - timedelta(days=rng.randint(100, 200))),
            "dormant": (rng.randint(1, 5), now - timedelta(days=rng.randint(200, 500))),
            "new": (rng.randint(0, 3), now),
        }[profile]
        window_start = max(start, created)
        span = max(int((window_end - window_start).total_seconds()), 3600)
        for _ in range(count):
            when = window_start + timedelta(seconds=rng.randrange(span))
            kind = _weighted(rng, KIND_WEIGHTS)
            who = owner if rng.random() < 0.85 else rng.choice(reps)
            rows[Interaction].append(
                {
                    "id": ids.take("interactions"),
                    "customer_id": cid,
                    "contact_id": rng.choice(contact_ids) if rng.random() < 0.7 else None,
                    "user_id": who["id"],
                    "kind": kind,
                    "summary": rng.choice(SUMMARIES[kind]),
                    "occurred_at": when,
                    "source_platform": None,
                    "source_message_id": None,
                    "created_at": when,
                }
            )
        last_touch = (
            max((r["occurred_at"] for r in rows[Interaction][-count:]), default=created)
            if count
            else created
        )
        _deals(rng, rows, cid, name, owner, reps, created, last_touch, now, ids, profile)
        if rng.random() < 0.3:
            _lead(rng, rows, cid, name, owner, now, ids)
        if profile in ("active", "steady") and rng.random() < 0.25:
            due = now + timedelta(hours=rng.randint(-72, 24 * 10))
            done = due < now and rng.random() < 0.5
            rows[Task].append(
                {
                    "id": ids.take("tasks"),
                    "kind": "follow_up",
                    "text": f"Follow up with {name}",
                    "due_at": due,
                    "status": "done" if done else "open",
                    "owner_id": owner["id"],
                    "target_user_id": owner["id"],
                    "target_channel": None,
                    "customer_id": cid,
                    "deal_id": None,
                    "interaction_id": None,
                    "campaign_id": None,
                    "created_by": owner["id"],
                    "completed_at": due if done else None,
                    "snooze_count": 0,
                    "created_at": min(due, now) - timedelta(days=1),
                }
            )
    return rows


STAGE_PATH = ["prospecting", "qualification", "proposal", "negotiation"]


def _deals(
    rng: random.Random,
    rows: dict[type, list[dict[str, Any]]],
    cid: int,
    name: str,
    owner: dict[str, Any],
    reps: list[dict[str, Any]],
    created: datetime,
    last_touch: datetime,
    now: datetime,
    ids: _Ids,
    profile: str,
) -> None:
    n = _weighted(rng, [("0", 45), ("1", 40), ("2", 12), ("3", 3)])
    for number in range(int(n)):
        deal_id = ids.take("deals")
        opened = created + timedelta(days=rng.randint(0, max((now - created).days - 1, 0)))
        outcome = _weighted(rng, [("open", 45), ("won", 35), ("lost", 20)])
        if profile == "dormant" and outcome == "open":
            outcome = "lost"
        reached = rng.randint(1, 4) if outcome != "won" else 4
        path = STAGE_PATH[:reached]
        amount = Decimal(
            rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 250]) * 1000
            + rng.randint(0, 9) * 100
        )
        stamp = opened
        changes = []
        previous = None
        for stage in path + ([outcome] if outcome != "open" else []):
            changes.append(
                {
                    "id": ids.take("deal_stage_history"),
                    "deal_id": deal_id,
                    "from_stage": previous,
                    "to_stage": stage,
                    "changed_at": stamp,
                    "changed_by": owner["id"],
                }
            )
            previous = stage
            stamp = min(stamp + timedelta(days=rng.randint(3, 30)), now)
        stage = previous or "prospecting"
        closed_at = changes[-1]["changed_at"] if outcome != "open" else None
        if outcome == "open":
            close_date: date = (now + timedelta(days=rng.randint(-20, 200))).date()
            stale = rng.random() < 0.2
            activity = (
                now - timedelta(days=rng.randint(30, 120))
                if stale
                else max(last_touch, changes[-1]["changed_at"])
            )
        else:
            close_date = closed_at.date()  # type: ignore[union-attr]
            activity = closed_at
        rows[DealStageChange].extend(changes)
        rows[Deal].append(
            {
                "id": deal_id,
                "customer_id": cid,
                "name": f"{name} {['licence', 'expansion', 'renewal', 'pilot'][number % 4]}",
                "amount": amount,
                "currency": "USD",
                "stage": stage,
                "probability": Decimal(rng.choice(["0.3", "0.5", "0.8"]))
                if outcome == "open" and rng.random() < 0.15
                else None,
                "close_date": close_date,
                "owner_id": owner["id"],
                "closed_at": closed_at,
                "last_activity_at": activity,
                "updated_at": activity,
                "created_at": opened,
            }
        )


def _lead(
    rng: random.Random,
    rows: dict[type, list[dict[str, Any]]],
    cid: int,
    name: str,
    owner: dict[str, Any],
    now: datetime,
    ids: _Ids,
) -> None:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    status = _weighted(
        rng,
        [
            ("new", 35),
            ("contacted", 25),
            ("qualified", 15),
            ("disqualified", 10),
            ("converted", 15),
        ],
    )
    created = now - timedelta(days=rng.randint(0, 120))
    assigned = rng.random() < 0.8 or status != "new"
    company = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {ids.next.get('leads', 1)}"
    rows[Lead].append(
        {
            "id": ids.take("leads"),
            "contact_name": f"{first} {last}",
            "company": company,
            "company_key": name_key(company),
            "email": f"{first.lower()}.{last.lower()}.{cid}@lead.example".replace("ü", "u"),
            "phone": None,
            "source": rng.choice(SOURCES),
            "status": status,
            "owner_id": owner["id"] if assigned else None,
            "region": owner["region"],
            "customer_id": None,
            "deal_id": None,
            "assigned_at": created + timedelta(hours=2) if assigned else None,
            "contacted_at": created + timedelta(days=2) if status not in ("new",) else None,
            "converted_at": created + timedelta(days=20) if status == "converted" else None,
            "created_at": created,
        }
    )
