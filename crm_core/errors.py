"""One root exception for the core, with subclasses a caller can map to a message.

Every error carries a sentence fit to show a person: the engine prints `str(exc)` as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class CrmError(Exception):
    """Root of every error the core raises on purpose."""


class ValidationError(CrmError):
    """Input was refused; nothing was written."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(CrmError):
    """The record a caller named does not exist."""


class AmbiguousMatch(CrmError):
    """A name matched several records equally well; the caller must choose."""

    def __init__(self, message: str, candidates: Sequence[Any]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


class DuplicateError(CrmError):
    """The write would create a second copy of something that exists."""

    def __init__(self, message: str, existing: Any = None) -> None:
        super().__init__(message)
        self.existing = existing


class PermissionDenied(CrmError):
    """The actor's role does not allow this action."""


class DatabaseUnavailable(CrmError):
    """The database URL is bad or the server cannot be reached."""


class MigrationRequired(CrmError):
    """The database schema is older than this code and auto-upgrade is off."""
