"""report aggregates: deal totals and stage outcomes kept by triggers, backfilled

Revision ID: 0010
Revises: 0009

What the tables hold is in crm_core/models/report_aggregate.py. The triggers keep them in
the statement that changes a deal, a customer's region or a stage history row, on SQLite
and PostgreSQL alike, so every writer (ORM, Core bulk UPDATE, import, cascade) is covered.

Each trigger applies the change of one row to an invariant, whatever order a statement's
rows and cascades come in:
- deal_aggregates = the deals grouped by (owner or 0, the region of the deal's customer if it
  exists else "(none)", stage, close month or "", currency);
- stage_outcomes = per stage, the distinct (deal, stage) pairs of the stage history whose
  deal exists and is won (or lost).
So a deal's rows leave with the deal, a customer's deals move when its region changes (and
to "(none)" just before it is deleted), and a deal's outcomes are taken back just before it
is deleted, while its history is still there to say which stages it passed.

The sums are the reports' own expressions (`crm_core.money.cents`, `basis_points`, the split
of `weighted`), evaluated by the same engine, so they come out identical to the direct query.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "owner_id, region, stage, close_month, currency"
SUMS = ("deal_count", "cents", "unset_cents", "set_high", "set_low")
COLUMNS = f"{KEY}, {', '.join(SUMS)}"
SPLIT = 1_000_000  # crm_core.money.SPLIT
CLOSED_NAMES = ("won", "lost")
CLOSED = "('won', 'lost')"


def _month(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%Y-%m', {column})"


def _cents(row: str) -> str:
    return f"CAST(ROUND({row}.amount * 100) AS BIGINT)"


def _points(row: str) -> str:
    return f"CAST(ROUND(CAST({row}.probability AS FLOAT) * 10000) AS BIGINT)"


def _values(row: str, sign: str, total: str = "") -> list[str]:
    """The five sums of one deal row (or, with `total` = "SUM", of a group of them)."""
    c, p = _cents(row), _points(row)
    unset = f"CASE WHEN {row}.probability IS NULL THEN {c} ELSE 0 END"
    high = f"CASE WHEN {row}.probability IS NULL THEN 0 ELSE ({c} / {SPLIT}) * {p} END"
    low = f"CASE WHEN {row}.probability IS NULL THEN 0 ELSE ({c} % {SPLIT}) * {p} END"
    if total:
        return [f"{sign}COUNT(*)", *(f"{sign}SUM({v})" for v in (c, unset, high, low))]
    return [f"{sign}1", *(f"{sign}({v})" for v in (c, unset, high, low))]


def _upsert(table: str, select: str) -> str:
    """INSERT ... SELECT adding onto existing rows (`WHERE true` keeps SQLite's parser from
    reading ON CONFLICT as a join constraint)."""
    sums = SUMS if table == "deal_aggregates" else ("won", "lost")
    key = KEY if table == "deal_aggregates" else "stage"
    columns = COLUMNS if table == "deal_aggregates" else "stage, won, lost"
    assign = ", ".join(f"{s} = {table}.{s} + excluded.{s}" for s in sums)
    return f"INSERT INTO {table} ({columns}) {select} ON CONFLICT ({key}) DO UPDATE SET {assign}"


def _deal_row(dialect: str, row: str, sign: str) -> str:
    """Add (sign "") or take back (sign "-") one deal's contribution to deal_aggregates."""
    region = (
        f"COALESCE((SELECT c.region FROM customers c WHERE c.id = {row}.customer_id), '(none)')"
    )
    key = [
        f"COALESCE({row}.owner_id, 0)",
        region,
        f"{row}.stage",
        f"COALESCE({_month(dialect, f'{row}.close_date')}, '')",
        f"{row}.currency",
    ]
    return _upsert("deal_aggregates", f"SELECT {', '.join(key + _values(row, sign))} WHERE true")


def _customer_deals(dialect: str, customer: str, region: str, sign: str) -> str:
    """Add or take back every deal of one customer under `region` (an SQL expression)."""
    month = f"COALESCE({_month(dialect, 'd.close_date')}, '')"
    key = ["COALESCE(d.owner_id, 0)", region, "d.stage", month, "d.currency"]
    return _upsert(
        "deal_aggregates",
        f"SELECT {', '.join(key + _values('d', sign, 'SUM'))} FROM deals d "
        f"WHERE d.customer_id = {customer}.id "
        f"GROUP BY COALESCE(d.owner_id, 0), d.stage, {month}, d.currency",
    )


def _outcomes(deal: str, sign: str) -> str:
    """Add or take back the outcome of a closed deal for each stage its history passed."""
    won, lost = (f"{sign}(CASE WHEN {deal}.stage = '{s}' THEN 1 ELSE 0 END)" for s in CLOSED_NAMES)
    return _upsert(
        "stage_outcomes",
        f"SELECT h.to_stage, {won}, {lost} FROM deal_stage_history h "
        f"WHERE h.deal_id = {deal}.id AND {deal}.stage IN {CLOSED} "
        "GROUP BY h.to_stage ORDER BY h.to_stage",
    )


def _pair(row: str, sign: str, other: str) -> str:
    """Count (sign "") or uncount (sign "-") one history row's (deal, stage) pair when its
    deal is closed and no other history row (`other`: a condition) has the same pair."""
    won, lost = (f"{sign}(CASE WHEN d.stage = '{s}' THEN 1 ELSE 0 END)" for s in CLOSED_NAMES)
    return _upsert(
        "stage_outcomes",
        f"SELECT {row}.to_stage, {won}, {lost} FROM deals d "
        f"WHERE d.id = {row}.deal_id AND d.stage IN {CLOSED} AND NOT EXISTS ("
        f"SELECT 1 FROM deal_stage_history o WHERE o.deal_id = {row}.deal_id "
        f"AND o.to_stage = {row}.to_stage{other})",
    )


DEAL_FIELDS = (
    "amount",
    "currency",
    "stage",
    "probability",
    "close_date",
    "owner_id",
    "customer_id",
)


def _changed(fields: Sequence[str], dialect: str) -> str:
    op_ = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{f} {op_} NEW.{f}" for f in fields)


# (name, table, timing and event, condition, statements)
def _triggers(dialect: str) -> list[tuple[str, str, str, str, list[str]]]:
    return [
        ("deal_aggregates_insert", "deals", "AFTER INSERT", "", [_deal_row(dialect, "NEW", "")]),
        (
            "deal_aggregates_update",
            "deals",
            f"AFTER UPDATE OF {', '.join(DEAL_FIELDS)}",
            _changed(DEAL_FIELDS, dialect),
            [_deal_row(dialect, "OLD", "-"), _deal_row(dialect, "NEW", "")],
        ),
        ("deal_aggregates_delete", "deals", "AFTER DELETE", "", [_deal_row(dialect, "OLD", "-")]),
        (
            "deal_aggregates_region",
            "customers",
            "AFTER UPDATE OF region",
            _changed(("region",), dialect),
            [
                _customer_deals(dialect, "OLD", "COALESCE(OLD.region, '(none)')", "-"),
                _customer_deals(dialect, "NEW", "COALESCE(NEW.region, '(none)')", ""),
            ],
        ),
        (
            "deal_aggregates_customer_delete",
            "customers",
            "BEFORE DELETE",
            "",
            [
                _customer_deals(dialect, "OLD", "COALESCE(OLD.region, '(none)')", "-"),
                _customer_deals(dialect, "OLD", "'(none)'", ""),
            ],
        ),
        (
            "stage_outcomes_deal_insert",
            "deals",
            "AFTER INSERT",
            f"NEW.stage IN {CLOSED}",
            [_outcomes("NEW", "")],
        ),
        (
            "stage_outcomes_deal_stage",
            "deals",
            "AFTER UPDATE OF stage",
            f"({_changed(('stage',), dialect)}) AND "
            f"(OLD.stage IN {CLOSED} OR NEW.stage IN {CLOSED})",
            [_outcomes("OLD", "-"), _outcomes("NEW", "")],
        ),
        (
            "stage_outcomes_deal_delete",
            "deals",
            "BEFORE DELETE",
            f"OLD.stage IN {CLOSED}",
            [_outcomes("OLD", "-")],
        ),
    ] + _history_triggers(dialect)


def _history_triggers(dialect: str) -> list[tuple[str, str, str, str, list[str]]]:
    """Counting a (deal, stage) pair once needs to know whether another history row has it.
    SQLite runs a row trigger as each row changes, so a row trigger can ask; PostgreSQL runs
    AFTER row triggers once the whole statement is done, when every row of a many-row INSERT
    or DELETE is already in (or out), so there the triggers are per statement and compare the
    statement's rows (transition tables) with the history as it is."""
    if dialect != "postgresql":
        return [
            (
                "stage_outcomes_history_insert",
                "deal_stage_history",
                "AFTER INSERT",
                "",
                [_pair("NEW", "", " AND o.id <> NEW.id")],
            ),
            (
                "stage_outcomes_history_update",
                "deal_stage_history",
                "AFTER UPDATE OF deal_id, to_stage",
                _changed(("deal_id", "to_stage"), dialect),
                [_pair("OLD", "-", ""), _pair("NEW", "", " AND o.id <> NEW.id")],
            ),
            (
                "stage_outcomes_history_delete",
                "deal_stage_history",
                "AFTER DELETE",
                "",
                [_pair("OLD", "-", "")],
            ),
        ]
    now = (
        "SELECT 1 FROM deal_stage_history o WHERE o.deal_id = n.deal_id AND o.to_stage = n.to_stage"
    )
    old = "SELECT 1 FROM old_rows o WHERE o.deal_id = n.deal_id AND o.to_stage = n.to_stage"
    others = f"{now} AND o.id NOT IN (SELECT id FROM new_rows)"
    return [
        (
            "stage_outcomes_history_insert",
            "deal_stage_history",
            f"AFTER INSERT REFERENCING NEW TABLE AS new_rows {STATEMENT}",
            "",
            [_pairs("new_rows", "", [others])],
        ),
        (
            "stage_outcomes_history_update",
            "deal_stage_history",
            f"AFTER UPDATE REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {STATEMENT}",
            "",
            [_pairs("old_rows", "-", [now]), _pairs("new_rows", "", [others, old])],
        ),
        (
            "stage_outcomes_history_delete",
            "deal_stage_history",
            f"AFTER DELETE REFERENCING OLD TABLE AS old_rows {STATEMENT}",
            "",
            [_pairs("old_rows", "-", [now])],
        ),
    ]


STATEMENT = "FOR EACH STATEMENT"


def _pairs(rows: str, sign: str, absent: list[str]) -> str:
    """PostgreSQL: count (or uncount) the distinct (deal, stage) pairs of a statement's
    `rows` whose deal is closed and that no query in `absent` finds."""
    won, lost = (f"{sign}SUM(CASE WHEN d.stage = '{s}' THEN 1 ELSE 0 END)" for s in CLOSED_NAMES)
    missing = "".join(f" AND NOT EXISTS ({query})" for query in absent)
    return _upsert(
        "stage_outcomes",
        f"SELECT n.to_stage, {won}, {lost} FROM (SELECT DISTINCT deal_id, to_stage FROM {rows}) n "
        f"JOIN deals d ON d.id = n.deal_id WHERE d.stage IN {CLOSED}{missing} "
        "GROUP BY n.to_stage ORDER BY n.to_stage",
    )


def _create_triggers(dialect: str) -> None:
    for name, table, when, condition, statements in _triggers(dialect):
        if dialect == "postgresql":
            returned = "OLD" if when.startswith("BEFORE DELETE") else "NULL"
            body = "".join(f"{s};\n" for s in statements)
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body}RETURN {returned};\nEND\n$$"
            )
            guard = f" WHEN ({condition})" if condition else ""
            level = "" if STATEMENT in when else " FOR EACH ROW"
            when_, _, referencing = when.partition(" REFERENCING ")
            referencing = f" REFERENCING {referencing}" if referencing else ""
            op.execute(
                f"CREATE TRIGGER {name} {when_} ON {table}{referencing}{level}{guard} "
                f"EXECUTE FUNCTION {name}()"
            )
        else:
            guard = f" WHEN {condition}" if condition else ""
            body = "".join(f"{s};\n" for s in statements)
            op.execute(
                f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW{guard}\nBEGIN\n{body}END"
            )


def _backfill(dialect: str) -> None:
    month = f"COALESCE({_month(dialect, 'd.close_date')}, '')"
    key = [
        "COALESCE(d.owner_id, 0)",
        "COALESCE(c.region, '(none)')",
        "d.stage",
        month,
        "d.currency",
    ]
    op.execute(
        f"INSERT INTO deal_aggregates ({COLUMNS}) "
        f"SELECT {', '.join(key + _values('d', '', 'SUM'))} "
        "FROM deals d LEFT JOIN customers c ON c.id = d.customer_id "
        f"GROUP BY {', '.join(key)}"
    )
    op.execute(
        "INSERT INTO stage_outcomes (stage, won, lost) "
        "SELECT p.to_stage, SUM(CASE WHEN p.outcome = 'won' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN p.outcome = 'lost' THEN 1 ELSE 0 END) FROM ("
        "SELECT DISTINCT h.deal_id, h.to_stage, d.stage AS outcome FROM deal_stage_history h "
        f"JOIN deals d ON d.id = h.deal_id WHERE d.stage IN {CLOSED}) p GROUP BY p.to_stage"
    )


def upgrade() -> None:
    op.create_table(
        "deal_aggregates",
        sa.Column("owner_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("close_month", sa.String(length=7), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *(sa.Column(s, sa.BigInteger(), nullable=False) for s in SUMS),
        sa.PrimaryKeyConstraint(
            "owner_id",
            "region",
            "stage",
            "close_month",
            "currency",
            name=op.f("pk_deal_aggregates"),
        ),
    )
    op.create_table(
        "stage_outcomes",
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("won", sa.BigInteger(), nullable=False),
        sa.Column("lost", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("stage", name=op.f("pk_stage_outcomes")),
    )
    dialect = op.get_bind().dialect.name
    _backfill(dialect)
    _create_triggers(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, table, *_ in reversed(_triggers(dialect)):
        op.execute(
            f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if dialect == "postgresql" else "")
        )
        if dialect == "postgresql":
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("stage_outcomes")
    op.drop_table("deal_aggregates")
