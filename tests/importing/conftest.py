"""Helpers for import tests: write a file the way another tool would, run the importer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from crm_core.importing import ImportOptions, ImportReport, import_file, load_mapping
from crm_core.services.context import Actor

Importer = Callable[..., ImportReport]


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.strip("\n").replace("\n", "\r\n").encode(encoding) + b"\r\n")
    return path


@pytest.fixture
def run_import(session: Session, now: datetime, tmp_path: Path) -> Importer:
    """run_import(kind, csv_text, **options) -> report; the CSV is written to a file first."""
    counter = iter(range(1000))

    def run(kind: str, text: str, *, encoding: str = "utf-8", **options: Any) -> ImportReport:
        path = write_csv(tmp_path / f"{kind}-{next(counter)}.csv", text, encoding)
        mapping = load_mapping(
            options.pop("mapping_file", None), options.pop("maps", []), options.pop("values", [])
        )
        opts = ImportOptions(
            kind=kind, now=now, tz=UTC, mapping=mapping, source=f"import {path.name}", **options
        )
        actor = Actor(None, f"crmbot import {path.name}", platform="import", at=now)
        return import_file(session=session, actor=actor, path=path, options=opts)

    return run
