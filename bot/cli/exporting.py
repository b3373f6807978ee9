"""`crmbot export KIND|all`: every record with its id and relations, in the import's field
names, as CSV or JSON lines, one file per kind."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.common import DbOption, clear_errors, fail


def export_command(
    kind: str = typer.Argument(..., metavar="KIND|all", help="A kind, or all of them."),
    db: DbOption = None,
    fmt: str = typer.Option("csv", "--format", help="csv or jsonl."),
    out: Path = typer.Option(Path("."), "--out", help="Folder for KIND.csv / KIND.jsonl."),
) -> None:
    """Export records (users, customers, contacts, leads, deals, interactions, or all)."""
    from crm_core.database import open_database
    from crm_core.exporting import FORMATS, KINDS, export

    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: use csv or jsonl", 2)
    if kind != "all" and kind not in KINDS:
        fail(f"unknown kind {kind!r}: use one of {', '.join(KINDS)} or all", 2)
    kinds = list(KINDS) if kind == "all" else [kind]
    with clear_errors():
        database = open_database(db)
        try:
            # One read transaction: the files agree with each other even while the bot writes.
            with database.transaction() as session:
                counts = export(session, kinds, out, fmt)
        except OSError as exc:
            fail(f"cannot write to {exc.filename or out}: {exc.strerror}")
        finally:
            database.dispose()
    for name, count in counts.items():
        typer.echo(f"{count} {name} -> {out / f'{name}.{fmt}'}")


def register(app: typer.Typer) -> None:
    app.command("export", no_args_is_help=True)(export_command)
