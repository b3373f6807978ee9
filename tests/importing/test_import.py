"""Importing real-looking exports into the CRM, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.importing import StrictStop
from crm_core.models import (
    AuditEntry,
    Contact,
    Customer,
    CustomerAlias,
    Deal,
    DealStageChange,
    Interaction,
    Lead,
    User,
)
from tests.factories import Factory
from tests.importing.conftest import Importer

# Headers and values as the CRMs' own export buttons write them.
DATA = Path(__file__).with_name("data")

HUBSPOT_COMPANIES = (DATA / "hubspot_companies.csv").read_text(encoding="utf-8")

HUBSPOT_DEALS = (DATA / "hubspot_deals.csv").read_text(encoding="utf-8")

SALESFORCE_OPPORTUNITIES = (DATA / "salesforce_opportunities.csv").read_text(encoding="utf-8")

PIPEDRIVE_ACTIVITIES = (DATA / "pipedrive_activities.csv").read_text(encoding="utf-8")


@pytest.fixture
def dana(make: Factory) -> User:
    return make.user("dana", display_name="Dana Scully", email="dana@example.com")


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_hubspot_companies_then_deals(session: Session, dana: User, run_import: Importer) -> None:
    companies = run_import("customers", HUBSPOT_COMPANIES)
    assert companies.counts == {"created": 3}
    assert companies.errors == []
    acme = session.scalars(select(Customer).where(Customer.external_id == "5001")).one()
    assert (acme.name, acme.owner_id, acme.lifecycle, acme.website) == (
        "Acme Corp, Inc.",
        dana.id,
        "customer",
        "acme.com",
    )
    assert acme.created_at == datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
    muller = session.scalars(select(Customer).where(Customer.external_id == "5002")).one()
    assert muller.lifecycle == "prospect" and muller.owner_id is None
    globex = session.scalars(select(Customer).where(Customer.external_id == "5003")).one()
    assert globex.owner_id == dana.id  # owner by display name

    deals = run_import("deals", HUBSPOT_DEALS, date_order="DMY")
    assert deals.errors == []
    assert deals.counts == {"created": 3}
    rows = {d.external_id: d for d in session.scalars(select(Deal))}
    renewal = rows["9001"]
    assert (renewal.customer_id, renewal.stage, renewal.amount, renewal.currency) == (
        acme.id,
        "won",
        Decimal("12500.00"),
        "USD",
    )
    assert renewal.closed_at is not None and renewal.close_date == date(2024, 6, 30)
    pilot = rows["9002"]
    # "Müller Maschinenbau" found "Müller Maschinenbau GmbH"; the € sign set the currency
    assert (pilot.customer_id, pilot.amount, pilot.currency, pilot.stage) == (
        muller.id,
        Decimal("4200.50"),
        "EUR",
        "negotiation",
    )
    assert pilot.close_date == date(2024, 9, 15)
    # a deal naming an unknown company creates it
    initrode = session.scalars(select(Customer).where(Customer.name == "Initrode LLC")).one()
    assert rows["9003"].customer_id == initrode.id and rows["9003"].stage == "prospecting"
    history = session.scalars(
        select(DealStageChange.to_stage).where(DealStageChange.deal_id == renewal.id)
    ).all()
    assert history == ["won"]


def test_salesforce_semicolons_eu_numbers_and_date_order(
    session: Session, dana: User, make: Factory, run_import: Importer
) -> None:
    make.customer("Acme Corp")
    make.customer("Globex Corporation")
    report = run_import("deals", SALESFORCE_OPPORTUNITIES, encoding="cp1252", date_order="DMY")
    assert report.delimiter == ";" and report.encoding == "cp1252"
    assert report.errors == [] and report.counts == {"created": 2}
    eu = session.scalars(select(Deal).where(Deal.external_id == "006A1")).one()
    assert (eu.name, eu.amount, eu.currency, eu.stage, eu.probability) == (
        "Acme – EU rollout",
        Decimal("1250000.00"),
        "EUR",
        "negotiation",
        Decimal("0.8"),
    )
    assert eu.close_date == date(2024, 12, 31) and eu.owner_id == dana.id
    trial = session.scalars(select(Deal).where(Deal.external_id == "006A2")).one()
    assert trial.close_date == date(2025, 2, 1) and trial.stage == "qualification"


def test_pipedrive_activities_with_tabs(
    session: Session, dana: User, make: Factory, run_import: Importer
) -> None:
    run_import("customers", HUBSPOT_COMPANIES)
    acme = session.scalars(select(Customer).where(Customer.external_id == "5001")).one()
    make.session.add(Contact(customer_id=acme.id, name="Avery Bauer"))
    session.flush()
    report = run_import("interactions", PIPEDRIVE_ACTIVITIES)
    assert report.delimiter == "\t"
    assert report.errors == [] and report.counts == {"created": 3}
    items = session.scalars(select(Interaction).order_by(Interaction.id)).all()
    assert [(i.kind, i.summary, i.user_id) for i in items] == [
        ("call", "Intro call", dana.id),
        ("meeting", "On-site visit", dana.id),
        ("meeting", "Lunch with the CFO", dana.id),
    ]
    assert items[0].contact_id is not None and items[0].customer_id == acme.id
    assert items[1].occurred_at == datetime(2024, 3, 12, 14, 30, tzinfo=UTC)


def test_bad_rows_are_reported_and_the_others_go_in(
    session: Session, dana: User, run_import: Importer
) -> None:
    text = """
name,email,phone,owner,lifecycle,created_at
Good One,info@good.example,+1 415 555 0101,dana,customer,2024-01-02
,nobody@example.com,,,,
Bad Mail,not-an-email,,,,
Bad Phone,,12,,,
Bad Owner,,,zed,,
Bad Stage,,,,platinum,
Bad Date,,,,,2024-02-30
Good Two,,,,,
"""
    report = run_import("customers", text)
    assert report.counts == {"created": 2, "rejected": 6}
    assert [(p.row, p.column, p.value) for p in report.errors] == [
        (3, "name", ""),
        (4, "email", "not-an-email"),
        (5, "phone", "12"),
        (6, "owner", "zed"),
        (7, "lifecycle", "platinum"),
        (8, "created_at", "2024-02-30"),
    ]
    assert all(p.why for p in report.errors)
    assert sorted(session.scalars(select(Customer.name))) == ["Good One", "Good Two"]
    with pytest.raises(StrictStop, match="row 3"):
        run_import("customers", text.replace("Good One", "Good Three"), strict=True)


def test_a_row_is_all_or_nothing(session: Session, dana: User, run_import: Importer) -> None:
    """The deal row would create its company, then fails on its owner: neither stays."""
    text = """
customer,name,amount,owner
Brand New Co,First,100,nobody-known
Brand New Co,Second,200,dana
"""
    report = run_import("deals", text)
    assert report.counts == {"rejected": 1, "created": 1}
    customers = session.scalars(select(Customer).where(Customer.name == "Brand New Co")).all()
    assert len(customers) == 1
    deals = session.scalars(select(Deal)).all()
    assert [(d.name, d.customer_id) for d in deals] == [("Second", customers[0].id)]


def test_every_imported_row_is_audited_as_the_import(
    session: Session, dana: User, run_import: Importer
) -> None:
    before = count(session, AuditEntry)
    run_import("customers", HUBSPOT_COMPANIES)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.id > 0).order_by(AuditEntry.id))
    created = [e for e in entries if e.action == "customer.create"]
    assert len(created) == 3
    assert count(session, AuditEntry) == before + 3
    for entry in created:
        assert entry.actor_label.startswith("crmbot import customers-")
        assert entry.source_platform == "import"
        assert entry.data["row"] in (2, 3, 4) and entry.data["after"]["external_id"]


def test_reimport_changes_nothing(session: Session, dana: User, run_import: Importer) -> None:
    run_import("customers", HUBSPOT_COMPANIES)
    run_import("deals", HUBSPOT_DEALS, date_order="DMY")
    audit = count(session, AuditEntry)
    snapshot = [(c.id, c.name, c.owner_id, c.updated_at) for c in session.scalars(select(Customer))]
    again = run_import("customers", HUBSPOT_COMPANIES)
    deals = run_import("deals", HUBSPOT_DEALS, date_order="DMY")
    assert again.counts == {"unchanged": 3} and deals.counts == {"unchanged": 3}
    assert count(session, AuditEntry) == audit
    session.expire_all()
    assert [
        (c.id, c.name, c.owner_id, c.updated_at) for c in session.scalars(select(Customer))
    ] == snapshot
    # a changed cell updates that record, audited with before and after
    changed = run_import("deals", HUBSPOT_DEALS.replace('"$12,500.00"', "13000"), date_order="DMY")
    assert changed.counts == {"updated": 1, "unchanged": 2}
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "deal.import")).one()
    assert entry.data["before"]["amount"] == "12500.00"
    assert entry.data["after"]["amount"] == "13000.00"


def test_duplicates_in_the_file_and_in_the_database(
    session: Session, make: Factory, run_import: Importer
) -> None:
    make.customer("Initech")
    text = """
name,email,phone
Initech Ltd,,
Umbrella Corporation,hello@umbrella.example,
Umbrella Corp.,,
Umbrela Corp,,
Soylent,sales@soylent.example,+1 (415) 555-0199
Soylent Green Foods,sales@soylent.example,
Soylent Industries,,415.555.0199
Münchner Brauhaus AG,,
Munchner Brauhaus,,
"""
    report = run_import("customers", text)
    reasons = {(d.row, d.reason.split(" (")[0]) for d in report.duplicates}
    assert reasons == {
        (2, "same name"),  # against the database: the legal form does not count
        (4, "same name"),  # within the file
        (5, "similar name"),  # a typo
        (7, "same email"),
        (8, "same phone"),  # written another way
        (10, "same name"),  # accents folded
    }
    # merged: a new spelling became an alias; unchanged: nothing new to add
    assert report.counts == {"created": 3, "merged": 3, "unchanged": 3}
    names = sorted(session.scalars(select(Customer.name)))
    assert names == ["Initech", "Münchner Brauhaus AG", "Soylent", "Umbrella Corporation"]
    # merge keeps the other spellings as aliases, so chat finds them too
    umbrella = session.scalars(select(Customer).where(Customer.name == "Umbrella Corporation"))
    aliases = session.scalars(
        select(CustomerAlias.alias).where(CustomerAlias.customer_id == umbrella.one().id)
    ).all()
    assert "Umbrela Corp" in aliases


@pytest.mark.parametrize(("mode", "expected"), [("skip", 1), ("new", 2)])
def test_on_duplicate_skip_and_new(
    session: Session, make: Factory, run_import: Importer, mode: str, expected: int
) -> None:
    make.customer("Hooli")
    report = run_import("customers", "name,industry\nHooli Inc,Search\n", on_duplicate=mode)
    assert len(report.duplicates) == 1 and report.duplicates[0].existing_id > 0
    assert count(session, Customer) == expected
    hooli = session.scalars(select(Customer).where(Customer.name == "Hooli")).one()
    assert hooli.industry is None  # neither mode touches the existing record


def test_merge_fills_only_empty_fields(
    session: Session, make: Factory, run_import: Importer
) -> None:
    make.customer("Hooli", industry="Search")
    run_import("customers", "name,industry,website\nHooli Inc,Ads,hooli.example\n")
    hooli = session.scalars(select(Customer).where(Customer.name == "Hooli")).one()
    assert (hooli.industry, hooli.website) == ("Search", "hooli.example")


def test_owners_by_name_or_email_and_create_users(
    session: Session, dana: User, run_import: Importer
) -> None:
    text = "name,owner\nA Co,DANA@example.com\nB Co,new.rep@example.com\nC Co,\n"
    refused = run_import("customers", text)
    assert [p.value for p in refused.errors] == ["new.rep@example.com"]
    created = run_import("customers", text, create_users=True, owner="dana")
    assert created.errors == []
    rep = session.scalars(select(User).where(User.email == "new.rep@example.com")).one()
    assert (rep.name, rep.display_name, rep.role) == ("new.rep", "New Rep", "rep")
    owners = dict(session.execute(select(Customer.name, Customer.owner_id)).all())
    with pytest.raises(ValidationError, match="--owner 'zed' names no user"):
        run_import("customers", text, owner="zed")
    assert owners == {"A Co": dana.id, "B Co": rep.id, "C Co": dana.id}


def test_mapping_file_and_value_maps(
    session: Session, make: Factory, run_import: Importer, tmp_path: Path
) -> None:
    make.customer("Acme")
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\n"Acct" = "customer"\n"Phase" = "stage"\n"Total" = "amount"\n'
        '[values.stage]\n"Verbal yes" = "negotiation"\n',
        encoding="utf-8",
    )
    text = "Acct,Phase,Total,Ignored\nAcme,Verbal yes,10,x\nAcme,Signed,20,y\n"
    report = run_import(
        "deals", text, mapping_file=mapping, values=["stage:Signed=won"], maps=["Ignored=ignore"]
    )
    assert report.errors == []
    stages = sorted(session.scalars(select(Deal.stage)))
    assert stages == ["negotiation", "won"]


def test_leads_and_contacts(
    session: Session, dana: User, make: Factory, run_import: Importer
) -> None:
    make.customer("Acme")
    contacts = run_import(
        "contacts",
        "First Name,Last Name,Job Title,Email,Company Name\n"
        "Avery,Bauer,CTO,avery@acme.example,Acme\n"
        "Avery,Bauer,,avery@acme.example,Acme\n"
        "Zoe,Nobody,,,Nowhere Inc\n",
    )
    assert contacts.counts == {"created": 1, "unchanged": 1, "rejected": 1}
    assert [p.column for p in contacts.errors] == ["Company Name"]
    leads = run_import(
        "leads",
        "Lead ID,First Name,Last Name,Company,Email,Lead Status,Lead Source,Lead Owner\n"
        "L1,Sam,Lee,Lee Corp,sam@lee.example,Working - Contacted,Web,dana\n"
        "L2,Sam,Lee,Lee Corp,SAM@lee.example,Open - Not Contacted,Web,dana\n",
    )
    assert leads.counts["created"] == 1 and len(leads.duplicates) == 1
    lead = session.scalars(select(Lead)).one()
    assert (lead.contact_name, lead.status, lead.owner_id) == ("Sam Lee", "contacted", dana.id)
