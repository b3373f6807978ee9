"""`crmbot parse` and `crmbot train` (owned by the intent parser work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Placeholder until the parser lands; registers nothing."""
