"""The conversation engine: one platform-neutral entry point for every adapter.

A `Message` comes in, a `Reply` goes out. Between them: register the person on first contact,
finish what an earlier question left pending (a missing entity, a yes/no, a choice), or parse
the text and run the intent's handler inside a savepoint, so that a failure leaves the data as
it was and only the answer says what went wrong. Nothing a message contains can take the
process down: every exception ends as a polite reply.

Each platform request is handled once (`_handle_once`): its answer is recorded in the same
transaction as its writes, so a retried, replayed or redelivered request gets that answer
back and writes nothing; a transaction that loses a race to another writer is run again.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import answers, slots, texts
from bot.context import Context
from bot.flow import Cancelled, NeedConfirm, NeedSlot, Pending, StateStore
from bot.handlers import DESCRIPTIONS, HANDLERS, WRITES
from bot.undo import NothingToUndo, undo_last
from chat.message import Message
from chat.reply import Button, Reply, Section
from crm_core import retry
from crm_core.database import Database
from crm_core.errors import CrmError
from crm_core.models import User
from crm_core.services import handled
from crm_core.services import tasks as task_service
from crm_core.services.context import Actor
from crm_core.services.enrolment import EnrolmentPolicy, NotEnrolled, admit
from crm_core.services.name_index import names_in_text
from crm_core.settings import date_order, get_timezone

log = logging.getLogger(__name__)
# The parser's gazetteer is fed per message with the names that message may contain (looked
# up in the database's name index: never a copy of every name), so feeding and parsing are
# one step: a parse in another thread must not run with this message's names. One lock for
# the process, as engines may share a parser.
_PARSE_LOCK = threading.Lock()

MAX_CHARS = 4000
CONFIRM_BELOW = 0.80  # a write the parser is less sure of than this is confirmed first
NEW_COMMAND = 0.90  # an answer parsed this confidently as another intent starts afresh

# A hook for commands outside the intent contract (notification preferences): returns a
# reply, or None when the text is not such a command.
CommandHook = Callable[[Session, User, Message], Reply | None]


@dataclass(frozen=True)
class Turn:
    """One message being handled: what every step of the conversation needs."""

    session: Session
    user: User
    actor: Actor
    message: Message
    store: StateStore
    now: datetime
    # The parse of each text seen in this turn: a pending question and a fresh request may
    # both need it, and it is computed once.
    parses: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)


class Engine:
    def __init__(
        self,
        database: Database,
        parser: Any = None,
        *,
        tz: tzinfo | None = None,
        commands: list[CommandHook] | None = None,
        warm: bool = False,
        enrolment: EnrolmentPolicy | None = None,
    ) -> None:
        self.database = database
        self._parser = parser
        self.tz = tz or get_timezone()
        date_order()  # a bad CRMBOT_DATE_ORDER stops the start, not every dated message
        if commands is None:
            from bot.preferences import preference_command

            commands = [preference_command]
        self.commands = list(commands)
        # Who becomes a user on first contact; the Slack adapter adds its workspace id.
        self.enrolment = enrolment or EnrolmentPolicy.from_env(os.environ)
        if warm:
            _ = self.parser  # the model loads before the first message, not during it

    def zone_of(self, user: User) -> tzinfo:
        """The person's own time zone (`crmbot users set NAME --timezone ...`), else the
        team's: what they type and what they read is in it."""
        return _zone(user.timezone) or self.tz

    @property
    def parser(self) -> Any:
        if self._parser is None:
            from intents import Parser

            self._parser = Parser.load()
        return self._parser

    # --- entry point -----------------------------------------------------------------
    def handle(self, message: Message) -> Reply:
        """Never raises: whatever happens, the person gets an answer."""
        try:
            return self._handle_once(message)
        except NotEnrolled as refused:
            return Reply(texts.NOT_ENROLLED[refused.reason], ok=False)
        except SQLAlchemyError:
            log.exception(
                "database error handling %s message %s", message.platform, message.message_id
            )
            return Reply(texts.DATABASE_TROUBLE, ok=False)
        except Exception:
            log.exception("failed to handle %s message %s", message.platform, message.message_id)
            return Reply(texts.CRASHED, ok=False)

    def _handle_once(self, message: Message) -> Reply:
        """One platform request, its writes done exactly once.

        The request's transaction is retried as a whole after a deadlock, a serialization
        failure, a unique-index race or SQLite's "database is locked" (crm_core.retry); the
        handled-request row written with its writes makes a retry, a replayed request and a
        platform's redelivery return the first answer instead of writing again. The parser
        and the name index are loaded before any write transaction starts.
        """
        key = handled.request_key(message.message_id) if message.message_id else None
        message = self._clean(message)
        if key is not None:
            message = replace(message, message_id=key)
        if message.edited:
            # An edit arrives with the original's id; acting on it would write a second
            # record, and ignoring it silently leaves the person believing it was applied.
            return Reply(texts.EDIT_NOT_APPLIED, ok=False)
        if message.action is None:
            if not message.text:
                return Reply(texts.EMPTY, ok=False)
            if len(message.text) > MAX_CHARS:
                return Reply(texts.TOO_LONG.format(n=len(message.text), max=MAX_CHARS), ok=False)
            self._prepare()
        return retry.run(
            lambda: self._handle(message, key),
            what=f"{message.platform} message {message.message_id}",
        )

    def _prepare(self) -> None:
        """Load the parser outside any write transaction: the first load takes seconds and
        must not hold the write lock."""
        _ = self.parser

    def _handle(self, message: Message, key: str | None) -> Reply:
        with self.database.transaction() as session:
            if key is not None:
                done = handled.replay(session, message.platform, key)
                if done is not None:
                    if done.user_key != message.user_id:
                        return Reply(texts.NOT_YOUR_REQUEST, ok=False)
                    return Reply.from_dict(done.reply)
            reply = self._respond(session, message)
            if key is not None:
                handled.remember(
                    session,
                    platform=message.platform,
                    key=key,
                    user_key=message.user_id,
                    # A replay gets the words again, not a chart's bytes (tens of kB a row).
                    reply=replace(reply, attachment=None).to_dict(),
                    at=message.time,
                )
            return reply

    def _respond(self, session: Session, message: Message) -> Reply:
        """The answer to a message, inside its transaction."""
        now = message.time
        user = _person(
            session,
            message.platform,
            message.user_id,
            message.user_name,
            self.enrolment,
            message.extra.get("team"),
        )
        if not user.active:
            return Reply(texts.INACTIVE, ok=False)
        actor = Actor(
            user_id=user.id,
            label=f"{message.platform}:{user.name}",
            platform=message.platform,
            message_id=message.message_id,
            at=now,
        )
        store = StateStore(session, message.platform, message.channel, message.user_id)
        turn = Turn(session, user, actor, message, store, now)
        return self._route(turn, store.load(now))

    def _route(self, turn: Turn, pending: Pending | None) -> Reply:
        message, store, now = turn.message, turn.store, turn.now
        if message.action:
            return self._button(turn, pending)
        text = message.text
        if pending is not None and pending.awaiting == "more" and not answers.is_more(text):
            store.clear()  # a list's next page was on offer; anything else starts afresh
            pending = None
        if answers.is_cancel(text):
            store.clear()
            return Reply(texts.CANCELLED if pending else texts.NOTHING_TO_CANCEL)
        if answers.is_undo(text):
            store.clear()
            return self._undo(turn.session, turn.actor, now)
        if pending is not None and answers.is_help(text):
            from bot.handlers.help import help_for

            store.save(pending, now)  # the question stays open, its clock restarts
            helped = help_for(turn.user)
            helped.text += "\n\n" + texts.STILL_ASKING.format(question=pending.question)
            return helped
        dropped = False
        if pending is not None:
            reply = self._answer(turn, pending)
            if reply is not None:
                return reply
            dropped = True
        for command in self.commands:
            reply = command(turn.session, turn.user, message)
            if reply is not None:
                store.clear()
                return reply
        parsed = self._parse(turn)
        fresh = Pending(
            intent=parsed["intent"],
            entities=dict(parsed["entities"]),
            awaiting="",
            confidence=float(parsed["confidence"]),
            text=text,
            rest=[dict(part) for part in parsed.get("also") or []],
        )
        reply = self._run(turn, fresh)
        if dropped:  # say so: the person may have meant it as the answer
            reply.text = texts.QUESTION_DROPPED + " " + reply.text
        return reply

    def home(
        self,
        platform: str,
        user_id: str,
        now: datetime,
        user_name: str | None = None,
        team: str | None = None,
    ) -> Reply:
        """The person's tasks and open deals (Slack's App Home tab, Telegram's /start)."""
        from bot.handlers.home import home

        def view() -> Reply:
            with self.database.transaction() as session:
                user = _person(session, platform, user_id, user_name, self.enrolment, team)
                return home(session, user, now, self.zone_of(user))

        try:  # a first contact may race the same person's first message: run it again
            return retry.run(view, what=f"home view for {platform}:{user_id}")
        except NotEnrolled as refused:
            return Reply(texts.NOT_ENROLLED[refused.reason], ok=False)
        except Exception:
            log.exception("failed to build the home view for %s:%s", platform, user_id)
            return Reply(texts.CRASHED, ok=False)

    # --- answers to the bot's own questions ------------------------------------------
    def _answer(self, turn: Turn, pending: Pending) -> Reply | None:
        """Complete a pending action; None when the text is a new request instead."""
        store, now, text = turn.store, turn.now, turn.message.text
        if pending.awaiting == "more":  # the next page of the list just shown
            return self._run(turn, pending)
        if pending.awaiting == "confirm":
            if answers.is_yes(text):
                pending.confirmed.append(pending.slot or "")
                return self._run(turn, pending)
            if answers.is_no(text):
                store.clear()
                return Reply(texts.DECLINED)
            if self._is_new_request(turn):
                store.clear()
                return None
            return Reply(
                texts.YES_OR_NO.format(question=pending.question), buttons=_yes_no(), ok=False
            )
        if self._is_new_request(turn) and not pending.choices:
            store.clear()
            return None
        if not slots.fill(pending, text, self._parse(turn), now):
            if self._is_new_request(turn):
                store.clear()
                return None
            return self._ask(pending, store, now, prefix=texts.DIDNT_GET)
        return self._run(turn, pending)

    def _is_new_request(self, turn: Turn) -> bool:
        parsed, text = self._parse(turn), turn.message.text
        return (
            parsed["intent"] not in ("unknown",)
            and parsed["confidence"] >= NEW_COMMAND
            and len(text.split()) >= 3
        )

    # --- running an intent -----------------------------------------------------------
    def _run(self, turn: Turn, pending: Pending, sections: list[Section] | None = None) -> Reply:
        """Run an ask and then, in order, the others the same message made (`also`): one
        reply reports every part, a part that cannot be done says why and the rest go on,
        and a part that needs an answer asks, keeping the rest (and what was said so far)
        in the pending question for after it."""
        reply, outcome = self._run_one(turn, pending)
        if outcome == "asked" or not pending.rest:
            if pending.done:
                reply.text = "\n".join([*pending.done, reply.text])
            reply.sections = [*(sections or []), *reply.sections]
            return reply
        following, *rest = pending.rest
        part = Pending(
            intent=str(following.get("intent", "unknown")),
            entities=dict(following.get("entities") or {}),
            awaiting="",
            confidence=float(following.get("confidence", 1.0)),
            text=pending.text,
            rest=rest,
            done=[*pending.done, reply.text],
        )
        return self._run(turn, part, [*(sections or []), *reply.sections])

    def _run_one(self, turn: Turn, pending: Pending) -> tuple[Reply, str]:
        """One ask: its reply and how it ended: "done", "asked" (a question is pending) or
        "failed" (refused or impossible; nothing of it was written)."""
        session, store, now = turn.session, turn.store, turn.now
        handler = HANDLERS.get(pending.intent, HANDLERS["unknown"])
        ctx = Context(
            session=session,
            user=turn.user,
            actor=turn.actor,
            # The request's own words, not the answer to a follow-up question ("tomorrow at
            # 10", "yes"): a reminder without a text of its own is named after the request.
            message=replace(turn.message, text=pending.text) if pending.text else turn.message,
            now=now,
            tz=self.zone_of(turn.user),
            intent=pending.intent,
            entities=pending.entities,
            confidence=pending.confidence,
            confirmed=set(pending.confirmed),
        )
        if pending.intent in WRITES and pending.confidence < CONFIRM_BELOW:
            ctx.unsure = texts.UNSURE.format(
                what=DESCRIPTIONS[pending.intent], details=_details(pending.entities)
            )
        try:
            with session.begin_nested():
                reply = handler(ctx)
                if ctx.moved:
                    from jobs.alerts import evaluate_after_write

                    evaluate_after_write(session, now=now, owner_ids=ctx.moved)
        except NeedSlot as question:
            pending.awaiting, pending.slot, pending.question = (
                "slot",
                question.slot,
                question.question,
            )
            pending.choices = [{"label": c.label, "value": c.value} for c in question.choices]
            return self._ask(pending, store, now), "asked"
        except NeedConfirm as question:
            pending.awaiting, pending.slot, pending.question = (
                "confirm",
                question.key,
                question.question,
            )
            pending.choices = []
            pending.confirmed = sorted(ctx.confirmed)
            return self._ask(pending, store, now), "asked"
        except Cancelled:
            store.clear()
            return Reply(texts.DECLINED), "failed"
        except LookupError as exc:
            store.clear()
            return Reply(str(exc).strip("'\""), ok=False), "failed"
        except CrmError as exc:
            store.clear()
            return Reply(texts.FAILED.format(reason=exc), ok=False), "failed"
        store.clear()
        if ctx.next_offset is not None:  # a list cut short: "more" shows the next page
            pending.entities = {**ctx.entities, "offset": ctx.next_offset}
            pending.awaiting, pending.question, pending.choices = "more", "", []
            store.save(pending, now)
            reply.buttons = [*reply.buttons, Button(texts.MORE_BUTTON, "more")]
            reply.text += " " + texts.MORE_HINT
        return reply, "done"

    def _ask(self, pending: Pending, store: StateStore, now: datetime, prefix: str = "") -> Reply:
        pending.entities = {k: v for k, v in pending.entities.items()}
        store.save(pending, now)
        if pending.awaiting == "confirm":
            return Reply(f"{prefix}{pending.question}", buttons=_yes_no())
        buttons = [Button(c["label"], "choose", c["value"]) for c in pending.choices[:8]]
        lines = [f"{n}. {c['label']}" for n, c in enumerate(pending.choices, 1)]
        text = f"{prefix}{pending.question}" + ("\n" + "\n".join(lines) if lines else "")
        return Reply(
            text, buttons=buttons + [Button(texts.CANCEL_BUTTON, "cancel")] if buttons else []
        )

    # --- buttons ---------------------------------------------------------------------
    def _button(self, turn: Turn, pending: Pending | None) -> Reply:
        message, store, now = turn.message, turn.store, turn.now
        action, value = message.action or "", message.action_value or ""
        if action == "cancel":
            store.clear()
            return Reply(texts.CANCELLED if pending else texts.NOTHING_TO_CANCEL)
        if action == "more":
            if pending is None or pending.awaiting != "more":
                return Reply(texts.EXPIRED, ok=False)
            return self._run(turn, pending)
        if action in ("confirm", "decline", "choose"):
            if pending is None:
                return Reply(texts.EXPIRED, ok=False)
            answer = {"confirm": "yes", "decline": "no"}.get(action, value)
            if action == "choose" and pending.choices:
                values = [c["value"] for c in pending.choices]
                answer = str(values.index(value) + 1) if value in values else value
            clicked = replace(turn, message=replace(message, text=answer))
            return self._answer(clicked, pending) or Reply(texts.EXPIRED, ok=False)
        if any(len(n) > 9 for n in re.findall(r"\d+", value)):  # no id is that large
            return Reply(texts.NUMBER_TOO_BIG, ok=False)
        try:
            with turn.session.begin_nested():
                return self._task_button(turn.session, turn.actor, action, value, now)
        except CrmError as exc:
            return Reply(texts.FAILED.format(reason=exc), ok=False)
        except ValueError:
            return Reply(texts.BAD_BUTTON, ok=False)

    def _task_button(
        self, session: Session, actor: Actor, action: str, value: str, now: datetime
    ) -> Reply:
        if action == "task_done":
            task = task_service.complete_task(
                session=session, actor=actor, task_id=int(value), now=now
            )
            return Reply(texts.TASK_BUTTON_DONE.format(text=task.text))
        if action == "task_snooze":
            task_id, _, span = value.partition(":")
            days = int(span.rstrip("d") or 1)
            task = task_service.snooze_task(
                session=session,
                actor=actor,
                task_id=int(task_id),
                delta=timedelta(days=days),
                now=now,
            )
            return Reply(
                texts.TASK_BUTTON_SNOOZED.format(
                    when=_when(task.due_at, self.tz, now), text=task.text
                )
            )
        if action == "follow_up":
            customer_id, _, span = value.partition(":")
            from crm_core.services.customers import get_customer

            customer = get_customer(session, int(customer_id))
            due = now + timedelta(days=int(span.rstrip("d") or 3))
            task_service.create_task(
                session=session,
                actor=actor,
                kind="follow_up",
                text=texts.FOLLOW_UP_TASK.format(name=customer.name),
                due_at=due,
                customer_id=customer.id,
            )
            return Reply(
                texts.FOLLOW_UP_CREATED.format(name=customer.name, when=_when(due, self.tz, now))
            )
        if action == "feedback_status":
            from bot.handlers.feedback import feedback_status_button

            return feedback_status_button(session, actor, value, now)
        if action == "log_call":
            from crm_core.services.customers import get_customer
            from crm_core.services.interactions import log_interaction

            customer = get_customer(session, int(value))
            log_interaction(
                session=session, actor=actor, customer_id=customer.id, kind="call", now=now
            )
            # A logged call moves "days since activity": alert rules see it, as after typing.
            from jobs.alerts import evaluate_after_write

            evaluate_after_write(session, now=now, owner_ids={customer.owner_id, actor.user_id})
            return Reply(texts.CALL_LOGGED.format(name=customer.name))
        return Reply(texts.BAD_BUTTON, ok=False)

    # --- undo, parsing, hygiene ------------------------------------------------------
    def _undo(self, session: Session, actor: Actor, now: datetime) -> Reply:
        try:
            with session.begin_nested():
                return Reply(undo_last(session, actor, now))
        except NothingToUndo as exc:
            return Reply(str(exc), ok=False)

    def _parse(self, turn: Turn) -> dict[str, Any]:
        """The parse of this turn's text, computed once per turn."""
        text = turn.message.text
        if text not in turn.parses:
            now = turn.now.astimezone(self.zone_of(turn.user))
            known = names_in_text(turn.session, text)
            with _PARSE_LOCK:  # the gazetteer holds this message's names until it is parsed
                if hasattr(self.parser, "set_gazetteer"):
                    self.parser.set_gazetteer(known)
                # Relative dates ("tomorrow at 9") are the person's own: read in their zone.
                parsed = self.parser.parse(text, now=now)
            # The parser's gazetteer may attach an id from a fuzzy match of its own; the
            # core's resolver decides (and asks) instead, so a typo never becomes a silent
            # guess.
            parsed["entities"].pop("customer_id", None)
            turn.parses[text] = parsed
        return turn.parses[text]

    @staticmethod
    def _clean(message: Message) -> Message:
        """Drop control and format characters (keep newlines and tabs), trim, and give the
        message an id when the platform did not (the console)."""
        text = "".join(
            ch
            for ch in message.text or ""
            if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
        )
        return replace(
            message,
            text=text.strip(),
            message_id=message.message_id or f"{message.platform}-{uuid.uuid4().hex}",
        )


def _person(
    session: Session,
    platform: str,
    user_id: str,
    name: str | None,
    policy: EnrolmentPolicy | None = None,
    team: str | None = None,
) -> User:
    """The CRM user behind a platform id; a first contact is registered (as a rep) only when
    the enrolment policy allows it, else NotEnrolled is raised before anything is written."""
    return admit(
        session=session,
        policy=policy or EnrolmentPolicy(),
        platform=platform,
        external_id=user_id,
        display_name=name,
        team=team,
    )


def _yes_no() -> list[Button]:
    return [Button(texts.YES_BUTTON, "confirm", "", "primary"), Button(texts.NO_BUTTON, "decline")]


def _details(entities: dict[str, Any]) -> str:
    shown = {k: v for k, v in entities.items() if k != "customer_id" and v not in (None, "")}
    return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in shown.items()) or texts.NO_DETAILS


def _when(value: datetime, tz: tzinfo, now: datetime) -> str:
    from bot import format as fmt

    return fmt.when(value, tz, today=now.astimezone(tz).date())


@lru_cache(maxsize=256)
def _zone(name: str | None) -> tzinfo | None:
    """A stored zone name as a tzinfo; an unknown one falls back to the team's zone."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r on a user; using the team's", name)
        return None
