"""`crmbot parse` and `crmbot train` (owned by the intent parser work).

Heavy imports (spaCy, the model) happen inside the commands so that `crmbot --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

import typer


def _parse_now(value: str | None) -> datetime | None:
    """--now: an ISO date or datetime; naive ones are in the configured zone."""
    if value is None:
        return None
    from crm_core.settings import get_timezone

    tz = get_timezone()
    raw = value.strip()
    try:
        if len(raw) == 10:
            d = date.fromisoformat(raw)
            return datetime(d.year, d.month, d.day, tzinfo=tz)
        dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"--now: {value!r} is not an ISO 8601 date or datetime") from exc
    if dt.tzinfo is None:
        return dt.replace(tzinfo=tz)
    return dt.astimezone(tz)


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def register(app: typer.Typer) -> None:
    """Add `parse` and `train` to the root app."""

    @app.command("parse")
    def parse_command(
        text: str | None = typer.Argument(
            None, help="Message to parse; without it, one message per stdin line."
        ),  # noqa: UP007
        now: str | None = typer.Option(
            None, "--now", help="Reference time, ISO 8601 (naive = configured zone)."
        ),  # noqa: UP007
        batch_size: int = typer.Option(
            256, "--batch-size", min=1, help="Messages per batch when reading stdin."
        ),
        model: Path | None = typer.Option(
            None, "--model", help="Model directory (default: the shipped one)."
        ),  # noqa: UP007
    ) -> None:
        """Parse chat text into the intent contract: one JSON object per line."""
        try:
            from crm_core.settings import date_order

            ref = _parse_now(now)
            date_order()
        except Exception as exc:  # noqa: BLE001 - bad --now, CRMBOT_TIMEZONE or _DATE_ORDER
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from None
        from intents.parser import ModelMissingError, Parser

        try:
            parser = Parser.load(model)
        except ModelMissingError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from None
        out = sys.stdout
        if text is not None:
            out.write(json.dumps(parser.parse(text, now=ref), ensure_ascii=False) + "\n")
            out.flush()
            return
        for batch in _batches(sys.stdin, batch_size):
            for result in parser.parse_many(batch, now=ref, batch_size=batch_size):
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()

    @app.command("train")
    def train_command(
        seed: int | None = typer.Option(
            None, "--seed", help="Random seed (same seed, same model; default: the shipped one's)."
        ),  # noqa: UP007
        output: Path | None = typer.Option(
            None, "--output", help="Where to write the model (default: intents/model)."
        ),  # noqa: UP007
        errors: int = typer.Option(0, "--errors", help="Also print this many evaluation errors."),
    ) -> None:
        """Train the intent model from intents/data/ and print its held-out evaluation."""
        from intents.parser import MODEL_DIR, Parser
        from intents.train import DEFAULT_SEED, evaluate_split, format_report, train

        path = train(
            output or MODEL_DIR,
            DEFAULT_SEED if seed is None else seed,
            log=lambda msg: typer.echo(msg),
        )
        report = evaluate_split(Parser.load(path))
        typer.echo(format_report(report))
        for err in report["errors"][:errors]:
            typer.echo("ERR " + json.dumps(err, ensure_ascii=False))
