"""`crmbot import KIND FILE` / `crmbot import DIR`: bring another tool's export in.

The summary goes to stdout, one line per file, then the duplicates and bad rows found; the
full error report (row, column, value, why) goes to --errors as CSV."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli.common import DbOption, NowOption, clear_errors, fail, parse_now

if TYPE_CHECKING:
    from crm_core.importing import ImportOptions, ImportReport

KIND_HELP = "users, customers, contacts, leads, deals or interactions; or a folder of such CSVs."
SHOWN_PROBLEMS = 20
PROGRESS_FROM_ROWS = 2000


def summary_line(report: ImportReport) -> str:
    counts = report.counts
    parts = [
        f"{counts[k]} {k}"
        for k in ("created", "updated", "merged", "unchanged", "skipped", "rejected")
        if counts[k]
    ]
    verb = "would import" if report.dry_run else "imported"
    return f"{report.kind} from {Path(report.file).name}: {verb} {report.rows} rows: " + (
        ", ".join(parts) or "nothing"
    )


def import_command(
    kind_or_dir: str = typer.Argument(..., metavar="KIND|DIR", help=KIND_HELP),
    file: Path | None = typer.Argument(None, metavar="FILE", help="The CSV file."),
    db: DbOption = None,
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and count; write nothing."),
    maps: list[str] = typer.Option([], "--map", help="COLUMN=FIELD (repeatable)."),
    values: list[str] = typer.Option([], "--value", help="FIELD:FROM=TO (repeatable)."),
    mapping: Path | None = typer.Option(None, "--mapping", help="TOML/JSON mapping file."),
    owner: str | None = typer.Option(None, "--owner", help="Owner for rows that name none."),
    on_duplicate: str = typer.Option(
        "merge", "--on-duplicate", help="merge (fill empty fields), skip, or new."
    ),
    errors: Path | None = typer.Option(None, "--errors", help="Write bad rows here (CSV)."),
    strict: bool = typer.Option(False, "--strict", help="Stop (and write nothing) at a bad row."),
    date_order: str | None = typer.Option(
        None, "--date-order", help="DMY, MDY or YMD for dates like 03/04/2026."
    ),
    create_users: bool = typer.Option(
        False, "--create-users", help="Create owners the database does not know."
    ),
    region: str = typer.Option("US", "--phone-region", help="Country of phones without +."),
    now: NowOption = None,
) -> None:
    """Import a CSV export (ours, HubSpot, Salesforce, Pipedrive, Zoho) or a folder of them."""
    from crm_core.importing import ImportOptions, load_mapping, plan_directory
    from crm_core.importing.headers import KINDS
    from crm_core.importing.values import DATE_ORDERS
    from crm_core.settings import get_timezone

    if on_duplicate not in ("merge", "skip", "new"):
        fail(f"--on-duplicate {on_duplicate!r}: use merge, skip or new", 2)
    if date_order is not None and date_order.upper() not in DATE_ORDERS:
        fail(f"--date-order {date_order!r}: use DMY, MDY or YMD", 2)
    clock = parse_now(now)
    with clear_errors():
        user_mapping = load_mapping(mapping, maps, values)
        target = Path(kind_or_dir)
        if file is None and target.is_dir():
            plan = plan_directory(target)
        elif file is None:
            fail(f"{kind_or_dir!r} is not a folder: write `crmbot import KIND FILE`", 2)
        elif kind_or_dir not in KINDS:
            fail(f"unknown kind {kind_or_dir!r}: use one of {', '.join(KINDS)}", 2)
        else:
            plan = [(kind_or_dir, file)]
        for _, path in plan:
            if not path.is_file():
                fail(f"no file {path}")
        tz = get_timezone()
        options = [
            ImportOptions(
                kind=kind,
                now=clock,
                tz=tz,
                mapping=user_mapping,
                dry_run=dry_run,
                owner=owner,
                on_duplicate=on_duplicate,
                strict=strict,
                date_order=date_order.upper() if date_order else None,
                create_users=create_users,
                phone_region=region.upper() or None,
                source=f"import {path.name}",
            )
            for kind, path in plan
        ]
        reports = _run(db, [path for _, path in plan], options)
    _print(reports, errors)
    if any(r.errors for r in reports) and strict:
        raise typer.Exit(1)


def _run(db: str | None, paths: list[Path], options: list[ImportOptions]) -> list[ImportReport]:
    """All files in one session; a dry run or --strict failure rolls everything back, else
    each file commits as it goes (every few thousand rows)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from crm_core.database import open_database
    from crm_core.importing import StrictStop, import_file
    from crm_core.importing.reading import count_rows
    from crm_core.services.context import Actor

    database = open_database(db)
    reports: list[ImportReport] = []
    try:
        with database.sessions() as session:
            for path, opts in zip(paths, options, strict=True):
                actor = Actor(None, f"crmbot {opts.source}", platform="import", at=opts.now)
                total = count_rows(path)
                checkpoint = None if opts.dry_run or opts.strict else session.commit
                if total >= PROGRESS_FROM_ROWS:
                    with Progress(
                        "[progress.description]{task.description}",
                        BarColumn(),
                        MofNCompleteColumn(),
                        TimeRemainingColumn(),
                        transient=True,
                    ) as bar:
                        task = bar.add_task(f"{opts.kind} {path.name}", total=total)
                        report = import_file(
                            session=session,
                            actor=actor,
                            path=path,
                            options=opts,
                            progress=functools.partial(bar.advance, task),
                            checkpoint=checkpoint,
                        )
                else:
                    report = import_file(
                        session=session,
                        actor=actor,
                        path=path,
                        options=opts,
                        checkpoint=checkpoint,
                    )
                reports.append(report)
                if checkpoint is not None:
                    session.commit()
            if any(o.dry_run for o in options):
                session.rollback()
            else:
                session.commit()
    except StrictStop as exc:
        fail(f"{exc}; --strict: nothing was imported")
    except OSError as exc:
        fail(f"cannot read {exc.filename or 'the file'}: {exc.strerror}")
    finally:
        database.dispose()
    return reports


def _print(reports: list[ImportReport], errors: Path | None) -> None:
    from crm_core.importing import write_errors

    for report in reports:
        typer.echo(summary_line(report))
        for note in report.duplicates[:SHOWN_PROBLEMS]:
            typer.echo(
                f"  row {note.row}: duplicate of {report.kind} #{note.existing_id} "
                f"({note.reason}): {note.action}"
            )
        if len(report.duplicates) > SHOWN_PROBLEMS:
            typer.echo(f"  ... and {len(report.duplicates) - SHOWN_PROBLEMS} more duplicates")
        for problem in report.errors[:SHOWN_PROBLEMS]:
            where = f", {problem.column}" if problem.column else ""
            value = (
                f" {problem.value!r}" if problem.value and problem.value not in problem.why else ""
            )
            typer.echo(f"  row {problem.row}{where}:{value} {problem.why}")
        if len(report.errors) > SHOWN_PROBLEMS:
            typer.echo(f"  ... and {len(report.errors) - SHOWN_PROBLEMS} more bad rows")
    if reports and reports[0].dry_run:
        typer.echo("dry run: nothing was written")
    if errors is not None:
        try:
            write_errors(errors, reports)
        except OSError as exc:
            fail(f"cannot write the error report to {errors}: {exc.strerror}")
        total = sum(len(r.errors) for r in reports)
        typer.echo(f"{total} bad rows written to {errors}")


def register(app: typer.Typer) -> None:
    app.command("import", no_args_is_help=True)(import_command)
