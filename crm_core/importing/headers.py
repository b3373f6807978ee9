"""Which column holds which field: our own field names, the headers HubSpot, Salesforce,
Pipedrive and Zoho exports use, and the user's `--map COLUMN=FIELD`.

Headers are compared by a key (lower case, letters and digits only), so "Deal Stage",
"deal_stage" and "DEAL-STAGE" are one header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crm_core.errors import ValidationError

KINDS = ("users", "customers", "contacts", "leads", "deals", "interactions")

# The import's field names, which export writes back (ARCHITECTURE.md, "Import field names").
FIELDS: dict[str, tuple[str, ...]] = {
    "users": ("name", "display_name", "email", "role", "team", "region", "manager"),
    "customers": (
        "external_id",
        "name",
        "aliases",
        "industry",
        "region",
        "owner",
        "lifecycle",
        "email",
        "phone",
        "website",
        "created_at",
    ),
    "contacts": ("external_id", "customer", "name", "title", "email", "phone"),
    "leads": (
        "external_id",
        "contact",
        "company",
        "email",
        "phone",
        "source",
        "status",
        "owner",
        "region",
        "created_at",
    ),
    "deals": (
        "external_id",
        "customer",
        "name",
        "amount",
        "currency",
        "stage",
        "probability",
        "close_date",
        "owner",
        "created_at",
        "closed_at",
        "reason",
    ),
    "interactions": (
        "external_id",
        "customer",
        "contact",
        "kind",
        "summary",
        "occurred_at",
        "user",
    ),
}
# Not exported, but understood: a person's name split in two columns.
NAME_PARTS = ("first_name", "last_name")

_COMMON: dict[str, tuple[str, ...]] = {
    "email": ("email", "email address", "e-mail", "primary email", "person - email", "mail"),
    "phone": (
        "phone",
        "phone number",
        "mobile phone",
        "mobile",
        "telephone",
        "work phone",
        "person - phone",
        "organization - phone",
    ),
    "first_name": ("first name", "firstname", "given name", "person - first name"),
    "last_name": ("last name", "lastname", "surname", "family name", "person - last name"),
    "region": ("region", "territory", "country/region", "country", "billing country", "state"),
    "created_at": (
        "created at",
        "create date",
        "created date",
        "created time",
        "date created",
        "creation date",
    ),
}

_COMPANY = (
    "company",
    "company name",
    "account name",
    "account",
    "organization",
    "organisation",
    "organization name",
    "organization - name",
    "associated company",
    "customer name",
)

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "users": {
        "name": ("name", "username", "user name", "handle", "alias", "login"),
        "display_name": ("display name", "full name", "user full name"),
        "email": _COMMON["email"],
        "role": ("role", "profile", "user role"),
        "team": ("team", "department", "division", "sales team"),
        "region": _COMMON["region"],
        "manager": ("manager", "reports to", "manager name"),
        "first_name": _COMMON["first_name"],
        "last_name": _COMMON["last_name"],
    },
    "customers": {
        "external_id": (
            "record id",
            "company id",
            "account id",
            "organization - id",
            "organization id",
            "id",
        ),
        "name": (
            "name",
            "company name",
            "account name",
            "organization - name",
            "organization name",
            "company",
            "organization",
        ),
        "aliases": ("aliases", "alias", "also known as", "other names"),
        "industry": ("industry", "organization - industry", "sector"),
        "region": _COMMON["region"] + ("billing country", "organization - country"),
        "owner": (
            "owner",
            "company owner",
            "account owner",
            "organization - owner",
            "account owner email",
            "record owner",
        ),
        "lifecycle": ("lifecycle", "lifecycle stage", "type", "account type", "status"),
        "email": _COMMON["email"],
        "phone": _COMMON["phone"],
        "website": (
            "website",
            "website url",
            "company domain name",
            "domain",
            "organization - website",
        ),
        "created_at": _COMMON["created_at"] + ("organization - add time",),
    },
    "contacts": {
        "external_id": ("record id", "contact id", "person - id", "person id", "id"),
        "customer": ("customer", *_COMPANY, "person - organization"),
        "name": ("name", "full name", "contact name", "person - name", "contact"),
        "title": ("title", "job title", "position", "person - job title"),
        "email": _COMMON["email"],
        "phone": _COMMON["phone"],
        "first_name": _COMMON["first_name"],
        "last_name": _COMMON["last_name"],
    },
    "leads": {
        "external_id": ("record id", "lead id", "id"),
        "contact": ("contact", "name", "full name", "lead name", "lead - title", "person - name"),
        "company": _COMPANY + ("lead - organization",),
        "email": _COMMON["email"],
        "phone": _COMMON["phone"],
        "source": ("source", "lead source", "original source", "lead - source"),
        "status": ("status", "lead status", "lead - status"),
        "owner": ("owner", "lead owner", "contact owner", "lead - owner", "record owner"),
        "region": _COMMON["region"],
        "created_at": _COMMON["created_at"] + ("lead - lead created",),
        "first_name": _COMMON["first_name"],
        "last_name": _COMMON["last_name"],
    },
    "deals": {
        "external_id": ("record id", "deal id", "opportunity id", "deal - id", "id"),
        "customer": ("customer", *_COMPANY, "deal - organization"),
        "name": (
            "name",
            "deal name",
            "opportunity name",
            "deal - title",
            "title",
            "potential name",
        ),
        "amount": ("amount", "deal amount", "deal - value", "value", "opportunity amount"),
        "currency": (
            "currency",
            "deal - currency",
            "amount currency",
            "opportunity currency",
            "deal currency code",
            "currency code",
        ),
        "stage": ("stage", "deal stage", "deal - stage", "opportunity stage", "pipeline stage"),
        "probability": (
            "probability",
            "probability (%)",
            "deal probability",
            "deal - probability",
            "win probability",
        ),
        "close_date": (
            "close date",
            "closing date",
            "expected close date",
            "deal - expected close date",
            "close_date",
        ),
        "owner": ("owner", "deal owner", "opportunity owner", "deal - owner", "record owner"),
        "created_at": _COMMON["created_at"] + ("deal - deal created",),
        "closed_at": (
            "closed at",
            "closed date",
            "date closed",
            "deal - close time",
            "deal - won time",
        ),
        "reason": (
            "reason",
            "closed lost reason",
            "closed won reason",
            "lost reason",
            "deal - lost reason",
            "loss reason",
        ),
    },
    "interactions": {
        "external_id": ("record id", "activity id", "engagement id", "activity - id", "id"),
        "customer": ("customer", *_COMPANY, "activity - organization"),
        "contact": (
            "contact",
            "contact name",
            "associated contact",
            "person - name",
            "activity - contact person",
            "name",
        ),
        "kind": ("kind", "type", "activity type", "engagement type", "activity - type"),
        "summary": (
            "summary",
            "subject",
            "note",
            "notes",
            "body",
            "description",
            "activity - subject",
            "activity - note",
            "comments",
        ),
        "occurred_at": (
            "occurred at",
            "date",
            "activity date",
            "timestamp",
            "activity - due date",
            "due date",
            "created date",
            "date of activity",
        ),
        "user": (
            "user",
            "owner",
            "assigned to",
            "activity owner",
            "activity - assigned to user",
            "created by",
        ),
    },
}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(header: str) -> str:
    return _NON_ALNUM.sub("", header.lower())


def _alias_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for field in (*FIELDS[kind], *NAME_PARTS):
        table.setdefault(header_key(field), field)
    for field, aliases in ALIASES[kind].items():
        for alias in aliases:
            table.setdefault(header_key(alias), field)
    return table


def match_headers(
    kind: str, header: list[str], column_map: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Field -> column position. `column_map` (header -> field, from --map and the mapping
    file) wins over aliases; an unknown target field is an error, an unknown column is
    ignored (exports carry dozens we have no use for); the first column for a field wins."""
    if kind not in FIELDS:
        raise ValidationError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    known = set(FIELDS[kind]) | set(NAME_PARTS)
    wanted = {header_key(column): field for column, field in (column_map or {}).items()}
    for column, field in wanted.items():
        if field not in known and field != "ignore":
            raise ValidationError(
                f"--map {column}={field}: {kind} have no field {field!r} "
                f"(fields: {', '.join(FIELDS[kind])})"
            )
    aliases = _alias_table(kind)
    positions: dict[str, int] = {}
    mapped = {pos for pos, column in enumerate(header) if header_key(column) in wanted}
    for table, only_mapped in ((wanted, True), (aliases, False)):
        for position, column in enumerate(header):
            if not only_mapped and position in mapped:
                continue
            target = table.get(header_key(column))
            if target and target != "ignore" and target not in positions:
                positions[target] = position
    return positions


def guess_kind(header: list[str]) -> str | None:
    """For `crmbot import DIR`: the kind whose telltale headers the file has."""
    keys = {header_key(h) for h in header}
    tells = {
        "deals": {"amount", "dealstage", "stage", "dealname", "opportunityname", "dealvalue"},
        "interactions": {"activitytype", "occurredat", "subject", "engagementtype", "kind"},
        "leads": {"leadstatus", "leadsource", "leadid", "leadowner"},
        "contacts": {"jobtitle", "contactid", "title", "firstname"},
        "users": {"role", "username", "displayname"},
        "customers": {"companyname", "accountname", "industry", "lifecycle", "website"},
    }
    scores = {kind: len(keys & words) for kind, words in tells.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else None
