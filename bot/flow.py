"""Multi-turn conversation: a handler that lacks something raises one of these, the engine
stores what is pending per platform + channel + user, and the next message completes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from crm_core.models import ConversationState

STATE_TTL = timedelta(minutes=30)


@dataclass(frozen=True)
class Choice:
    label: str
    value: str


class NeedSlot(Exception):
    """A required entity is missing (or ambiguous): ask for it."""

    def __init__(self, slot: str, question: str, choices: list[Choice] | None = None) -> None:
        super().__init__(question)
        self.slot = slot
        self.question = question
        self.choices = choices or []


class NeedConfirm(Exception):
    """An unsure or sweeping write: ask yes or no before doing it."""

    def __init__(self, key: str, question: str) -> None:
        super().__init__(question)
        self.key = key
        self.question = question


class Cancelled(Exception):
    """The person said no; nothing was written."""


@dataclass
class Pending:
    intent: str
    entities: dict[str, Any]
    awaiting: str  # "slot" | "confirm"
    slot: str | None = None
    question: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    confidence: float = 1.0
    text: str = ""
    # A message with several asks ("also"): the ones still to run after this one, and what
    # was said about those already done (reported with the last part's reply).
    rest: list[dict[str, Any]] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pending:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class StateStore:
    """Pending conversations, in the database so any process (and a restart) sees them."""

    def __init__(self, session: Session, platform: str, channel: str, user_key: str) -> None:
        self.session = session
        self.key = (platform, channel, user_key)
        self._known: list[ConversationState | None] = []  # the row once read, or its absence

    def _row(self) -> ConversationState | None:
        """The person's row, read once per message: the store lives for one transaction and
        is the only writer of its row in it (a twin retry elsewhere is the unique key's and
        the retry's business), so what it read or added is still true, unless a savepoint
        rolled the row back out of the session. After a delete it reads again."""
        if self._known and self._known[0] is not None and not inspect(self._known[0]).persistent:
            self._known.clear()
        if not self._known:
            platform, channel, user_key = self.key
            self._known.append(
                self.session.scalar(
                    select(ConversationState).where(
                        ConversationState.platform == platform,
                        ConversationState.channel == channel,
                        ConversationState.user_key == user_key,
                    )
                )
            )
        return self._known[0]

    def _forget(self, row: ConversationState) -> None:
        self.session.delete(row)
        self._known.clear()

    def load(self, now: datetime) -> Pending | None:
        row = self._row()
        if row is None:
            return None
        if row.expires_at <= now:
            self._forget(row)
            return None
        return Pending.from_json(row.state)

    def save(self, pending: Pending, now: datetime) -> None:
        row = self._row()
        if row is None:
            platform, channel, user_key = self.key
            row = ConversationState(
                platform=platform, channel=channel, user_key=user_key, state={}, expires_at=now
            )
            self.session.add(row)
            self._known[:] = [row]
        row.state = pending.to_json()
        row.updated_at = now
        row.expires_at = now + STATE_TTL
        self.session.flush()

    def clear(self) -> None:
        row = self._row()
        if row is not None:
            self._forget(row)
            self.session.flush()
