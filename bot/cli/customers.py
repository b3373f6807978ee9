"""`crmbot customers duplicates` / `crmbot customers merge KEEP DROP`: find and fold
duplicate customer records (the merge is the same service chat's merge_customers uses)."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, clear_errors, fail

customers_app = typer.Typer(help="Customers: find and merge duplicates.", no_args_is_help=True)


@customers_app.command("duplicates")
def duplicates(
    db: DbOption = None,
    min_score: float = typer.Option(
        92.0, "--min-score", help="Lowest name similarity (0-100) to report."
    ),
    limit: int = typer.Option(200, help="Show at most this many pairs."),
) -> None:
    """Likely duplicate customers: same email, phone or name (legal form and accents aside),
    or a close name; one pair a line with its score and reason."""
    from sqlalchemy import select

    from crm_core.database import open_database
    from crm_core.importing.duplicates import pairs
    from crm_core.models import Customer

    with clear_errors():
        database = open_database(db)
        try:
            with database.transaction() as session:
                rows = session.execute(
                    select(Customer.id, Customer.name, Customer.email, Customer.phone)
                ).all()
        finally:
            database.dispose()
    names = {cid: name for cid, name, _, _ in rows}
    found = pairs([tuple(r) for r in rows], min_score=min_score)  # type: ignore[misc]
    if not found:
        typer.echo("no likely duplicates")
        return
    for first, second, score, reason in found[:limit]:
        typer.echo(
            f"#{first} {names[first]!r} ~ #{second} {names[second]!r}: {score:.0f} ({reason})"
        )
    if len(found) > limit:
        typer.echo(f"... and {len(found) - limit} more pairs")
    typer.echo(
        f"{len(found)} likely duplicate pairs; merge one with `crmbot customers merge KEEP DROP`"
    )


def _customer_id(session: object, text: str) -> int:
    """A customer by id (#12 or 12) or by exact name or alias; anything less sure fails."""
    from crm_core.errors import ValidationError
    from crm_core.services.customers import resolve_customer

    raw = text.strip().lstrip("#")
    if raw.isdigit():
        return int(raw)
    try:
        found = resolve_customer(session, text)  # type: ignore[arg-type]
    except ValidationError as exc:
        fail(str(exc))
    if found.customer_id is not None and found.how in ("exact", "alias"):
        return found.customer_id
    spelled = [c.id for c in found.candidates if c.name.lower() == text.strip().lower()]
    if len(spelled) == 1:  # "Globex Corp" and "Globex Corporation" share a key, not a name
        return spelled[0]
    choices = [f"#{c.id} {c.name}" for c in found.candidates] or (
        [f"#{found.customer_id} {found.name}"] if found.customer_id else []
    )
    hint = f": did you mean {', '.join(choices[:5])}?" if choices else ""
    fail(f"no customer is exactly called {text!r}{hint} (ids work too)")


@customers_app.command("merge")
def merge(
    keep: str = typer.Argument(..., help="The record to keep: id or exact name."),
    drop: str = typer.Argument(..., help="The duplicate to fold into it: id or exact name."),
    db: DbOption = None,
) -> None:
    """Fold DROP into KEEP: history, contacts, deals, leads, tasks and feedback move over and
    DROP's name becomes an alias of KEEP."""
    from crm_core.database import open_database
    from crm_core.services.context import Actor
    from crm_core.services.customers import get_customer
    from crm_core.services.merge import MOVED, merge_customers

    with clear_errors():
        database = open_database(db)
        try:
            with database.transaction() as session:
                keep_id, drop_id = _customer_id(session, keep), _customer_id(session, drop)
                dropped_name = get_customer(session, drop_id).name
                kept = merge_customers(
                    session=session,
                    actor=Actor.system("crmbot customers merge"),
                    keep=keep_id,
                    drop=drop_id,
                )
                entry = kept.id, kept.name
                from crm_core.services.audit import entries_for

                moved = entries_for(session, "customers", kept.id)[-1].data["after"]["moved"]
        finally:
            database.dispose()
    counts = ", ".join(f"{len(moved[label])} {label}" for label, _ in MOVED if moved[label])
    typer.echo(
        f"merged #{drop_id} {dropped_name!r} into #{entry[0]} {entry[1]!r}"
        + (f": moved {counts}" if counts else "")
    )


def register(app: typer.Typer) -> None:
    app.add_typer(customers_app, name="customers")
