"""Running an import: read the file, match its columns, load each row in its own savepoint
(a bad row is reported and the others go on, unless strict), count what happened.

The caller owns the transaction. `checkpoint` (the CLI passes the session's commit) is
called every CHUNK rows so a long import does not hold the database's write lock for
minutes; a dry run passes none and rolls everything back at the end.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from crm_core.errors import CrmError, ValidationError
from crm_core.importing.context import (
    ImportContext,
    ImportOptions,
    ImportReport,
    RowError,
    RowProblem,
)
from crm_core.importing.headers import KINDS, guess_kind, match_headers
from crm_core.importing.loaders import LOADERS, Outcome
from crm_core.importing.reading import open_table
from crm_core.services.context import Actor

CHUNK = 5000
# Rows under one savepoint; a row failing half-way replays its block row by row.
BLOCK = 200
Progress = Callable[[int], None]
T = TypeVar("T")


class StrictStop(CrmError):
    """--strict and a bad row: the whole import is abandoned."""


def import_file(
    *,
    session: Session,
    actor: Actor,
    path: Path,
    options: ImportOptions,
    progress: Progress | None = None,
    checkpoint: Callable[[], None] | None = None,
) -> ImportReport:
    if options.kind not in LOADERS:
        raise ValidationError(f"unknown kind {options.kind!r}: use one of {', '.join(KINDS)}")
    if not path.is_file():
        raise ValidationError(f"no file {path}")
    table = open_table(path)
    positions = match_headers(options.kind, table.header, options.mapping.columns)
    report = ImportReport(
        kind=options.kind,
        file=str(path),
        encoding=table.format.encoding,
        delimiter=table.format.delimiter,
        columns={field: table.header[pos] for field, pos in positions.items()},
        positions=positions,
        dry_run=options.dry_run,
    )
    context = ImportContext(session, actor, options)
    context.report = report
    if options.owner and options.owner.strip().lower() not in context.users():
        raise ValidationError(f"--owner {options.owner!r} names no user (handle or email)")
    loader = LOADERS[options.kind]
    width = len(table.header)
    done = 0
    for block in _batched(table.rows(), BLOCK):
        errors, duplicates, counts = (
            len(report.errors),
            len(report.duplicates),
            report.counts.copy(),
        )
        context.begin_block()
        try:
            for number, cells in block:
                _load_row(context, loader, report, number, cells, width, in_block=True)
            context.end_block()
        except _Replay:
            context.abandon_block()
            del report.errors[errors:], report.duplicates[duplicates:]
            report.counts = counts
            for number, cells in block:
                _load_row(context, loader, report, number, cells, width, in_block=False)
        before, done = done, done + len(block)
        if progress is not None:
            progress(len(block))
        if checkpoint is not None and done // CHUNK > before // CHUNK:
            context.flush_audit()
            checkpoint()
    context.flush_audit()
    return report


def _batched(rows: Iterator[T], size: int) -> Iterator[list[T]]:
    """itertools.batched, which Python 3.11 lacks."""
    while block := list(itertools.islice(rows, size)):
        yield block


class _Replay(Exception):
    """A row in a block failed after writing: the block is undone and run row by row."""


def _load_row(
    context: ImportContext,
    loader: Callable[[ImportContext, dict[str, str]], Outcome],
    report: ImportReport,
    number: int,
    cells: list[str],
    width: int,
    *,
    in_block: bool,
) -> None:
    context.row_number = number
    positions = report.positions
    row = {field: cells[pos] if pos < len(cells) else "" for field, pos in positions.items()}
    problem: RowProblem | None = None
    try:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise RowError(None, "", f"{len(cells)} cells for {width} columns")
        outcome = loader(context, row)
    except RowError as exc:
        column = report.columns.get(exc.field or "", exc.field or "")
        problem = RowProblem(number, column, exc.value, exc.why)
    except ValidationError as exc:
        field = exc.field or ""
        problem = RowProblem(number, report.columns.get(field, field), row.get(field, ""), str(exc))
    except (IntegrityError, DBAPIError) as exc:
        if in_block:
            raise _Replay from exc
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        problem = RowProblem(number, "", "", f"the database refused the row: {reason}")
    if problem is None:
        context.row_done()
        report.counts[outcome.status] += 1
        return
    if in_block and context.row_wrote:
        raise _Replay
    context.row_failed()
    report.errors.append(problem)
    report.counts["rejected"] += 1
    if context.options.strict:
        raise StrictStop(f"row {problem.row}, {problem.column or 'row'}: {problem.why}")


# Records are loaded before whatever points at them.
ORDER = {kind: position for position, kind in enumerate(KINDS)}


def plan_directory(folder: Path) -> list[tuple[str, Path]]:
    """(kind, file) for each CSV-like file in the folder, in dependency order; the kind is
    the file name's first word (customers.csv, deals-2024.csv) or guessed from its headers."""
    found: list[tuple[str, Path]] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in (".csv", ".tsv", ".txt", ".jsonl"):
            continue
        stem = path.stem.lower().replace("-", "_").split("_")[0]
        kind = next((k for k in KINDS if stem in (k, k.rstrip("s"))), None)
        if kind is None:
            kind = guess_kind(open_table(path).header)
        if kind is None:
            raise ValidationError(f"{path.name}: cannot tell which kind of records it holds")
        found.append((kind, path))
    if not found:
        raise ValidationError(f"no CSV files in {folder}")
    return sorted(found, key=lambda item: (ORDER[item[0]], item[1].name))


def write_errors(path: Path, reports: list[ImportReport]) -> None:
    """The error report: file, row, column, value, why, one line each, as CSV."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "value", "why"])
        for report in reports:
            for problem in report.errors:
                writer.writerow(
                    [report.file, problem.row, problem.column, problem.value, problem.why]
                )
