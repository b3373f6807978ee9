"""Per-person and per-channel notification preferences, set from chat.

Nobody should drown in pings: a kind of push can be muted, quiet hours hold pushes until they
end (deferred, never dropped), and "digest only" keeps everything but the digests out. The
delivery job applies them to every push just before sending, so a change made in chat
counts for pushes already in the outbox; a muted push is recorded as skipped, not lost.

`parse_preference_command` is pure (the conversation engine calls it before its intent
parser); `apply_preference_change` writes the change and returns the chat confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.message import Message
from bot.reply import Reply
from crm_core.errors import ValidationError
from crm_core.models import NotificationPreference, User
from crm_core.models.base import utcnow
from crm_core.models.enums import Role
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from jobs.outbox import KINDS

KIND_LABELS = {
    "reminder": "reminders",
    "follow_up": "follow-up reminders",
    "stale_deal": "stale-deal nudges",
    "lead_nudge": "lead nudges",
    "alert": "alerts",
    "campaign": "campaign pushes",
    "digest": "digests",
}

# Words people use for each kind, longest first so "stale deal nudges" beats "nudges".
_KIND_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        r"stale[\s-]*deals?(?:\s+(?:nudges?|reminders?|pings?|alerts?|notifications?))?",
        ("stale_deal",),
    ),
    (r"(?:inactive|idle|quiet)\s+deals?(?:\s+(?:nudges?|pings?|notifications?))?", ("stale_deal",)),
    (r"deal\s+(?:nudges?|pings?|notifications?)", ("stale_deal",)),
    (
        r"(?:uncontacted\s+)?leads?(?:\s+(?:nudges?|reminders?|pings?|notifications?))?",
        ("lead_nudge",),
    ),
    (r"follow[\s-]*ups?(?:\s+(?:nudges?|reminders?|pings?|notifications?))?", ("follow_up",)),
    (
        r"(?:morning\s+|daily\s+|weekly\s+)?digests?|(?:daily|weekly|morning)\s+(?:summary|summaries)",
        ("digest",),
    ),
    (r"campaigns?(?:\s+(?:pushes|pings?|reminders?|notifications?|messages?))?", ("campaign",)),
    (r"(?:threshold\s+)?alerts?(?:\s+(?:pings?|notifications?))?", ("alert",)),
    (r"reminders?", ("reminder",)),
    (r"nudges?", ("follow_up", "stale_deal", "lead_nudge")),
    (r"(?:all\s+)?(?:notifications?|pings?|pushes|messages|everything|all)", tuple(KINDS)),
]

_MUTE = (
    r"(?:please\s+)?(?:mute|silence|stop(?:\s+sending(?:\s+me)?)?|disable|turn\s+off|"
    r"switch\s+off|no\s+more|don'?t\s+send(?:\s+me)?|do\s+not\s+send(?:\s+me)?|"
    r"i\s+don'?t\s+want(?:\s+any)?|pause)"
)
_UNMUTE = (
    r"(?:please\s+)?(?:unmute|un-mute|resume|enable|turn\s+on|switch\s+on|"
    r"start\s+sending(?:\s+me)?|send\s+me|i\s+want|restore)"
)
_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"


@dataclass(frozen=True)
class PreferenceChange:
    """What a chat command asks for. `action` is one of: mute, unmute, quiet_hours,
    no_quiet_hours, digest_only, everything, show."""

    action: str
    kinds: tuple[str, ...] = field(default_factory=tuple)
    quiet_start: time | None = None
    quiet_end: time | None = None
    channel: str | None = None  # "mute alerts in #sales": the channel's settings, not mine


def _normalise(text: str) -> str:
    text = text.strip().lower().replace("’", "'")
    text = re.sub(r"[!?.]+$", "", text).strip()
    return re.sub(r"\s+", " ", text)


def _kinds_in(phrase: str) -> tuple[str, ...] | None:
    """The kinds named by a whole phrase ("stale-deal nudges and alerts"), or None when any
    part of it is not a kind (so "mute the call with acme" is not a preference)."""
    phrase = re.sub(
        r"^(?:me\s+)?(?:any\s+|the\s+|my\s+|all\s+(?=\w)|those\s+|these\s+)*", "", phrase.strip()
    )
    phrase = re.sub(r"\s+(?:for\s+now|please|anymore|any\s?more|again|for\s+me)$", "", phrase)
    parts = [p.strip() for p in re.split(r"\s*(?:,|\band\b|&|\bor\b)\s*", phrase) if p.strip()]
    if not parts:
        return None
    kinds: list[str] = []
    for part in parts:
        part = re.sub(r"^(?:the|my|any|all)\s+", "", part)
        for pattern, found in _KIND_WORDS:
            if re.fullmatch(pattern, part):
                kinds.extend(k for k in found if k not in kinds)
                break
        else:
            return None
    return tuple(kinds)


def _clock(hour: str, minute: str | None, meridiem: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem.startswith("p") else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return time(h, m)


def parse_preference_command(text: str) -> PreferenceChange | None:
    """Recognise a notification-settings command; None for anything else."""
    t = _normalise(text)
    if not t or len(t) > 160:
        return None
    named = re.search(r"\s+(?:for|in|on|of)\s+(#[a-z0-9][\w.-]*)$", t)
    if named:
        change = parse_preference_command(t[: named.start()])
        return replace(change, channel=named.group(1)) if change is not None else None

    if re.fullmatch(
        r"(?:what\s+are|show(?:\s+me)?|list|view|check|display|see)?\s*(?:are\s+)?(?:my|the|our)?\s*"
        r"(?:notification|notifications|ping|push|alert|nudge|mute|quiet[\s-]hours?)\s*"
        r"(?:settings|preferences|prefs|options)(?:\s+please)?",
        t,
    ) or re.fullmatch(
        r"what(?:'s|\s+is)\s+muted|what\s+have\s+i\s+muted|"
        r"how\s+(?:am\s+i|are\s+my\s+notifications)\s+(?:notified|set(?:\s+up)?)",
        t,
    ):
        return PreferenceChange("show")

    if re.fullmatch(
        r"(?:no|remove|clear|delete|cancel|disable|turn\s+off|stop|end|drop|without)\s+"
        r"(?:my\s+|the\s+)?(?:quiet|silent|do[\s-]not[\s-]disturb|dnd)(?:\s+hours?|\s+time|\s+mode)?",
        t,
    ):
        return PreferenceChange("no_quiet_hours")

    quiet = re.fullmatch(
        r"(?:set\s+|set\s+my\s+|my\s+)?(?:quiet|silent|do[\s-]not[\s-]disturb|dnd)"
        r"(?:\s+hours?|\s+time|\s+mode)?(?:\s+(?:is|are|to|at|=))?(?:\s+from|:)?\s+"
        + _TIME
        + r"\s*(?:-|–|to|until|till|through)\s*"
        + _TIME,
        t,
    ) or re.fullmatch(
        r"(?:don'?t|do\s+not)\s+(?:ping|disturb|message|bother|notify)\s+me\s+"
        r"(?:from|between|after)\s+" + _TIME + r"\s*(?:-|–|to|and|until|till|before)\s*" + _TIME,
        t,
    )
    if quiet:
        start = _clock(quiet.group(1), quiet.group(2), quiet.group(3))
        end = _clock(quiet.group(4), quiet.group(5), quiet.group(6))
        if start is None or end is None or start == end:
            return None
        return PreferenceChange("quiet_hours", quiet_start=start, quiet_end=end)

    if re.fullmatch(
        r"(?:(?:please\s+)?(?:only|just)\s+(?:send\s+(?:me|us)\s+)?(?:the\s+|a\s+|my\s+)?|"
        r"(?:please\s+)?send\s+(?:me|us)\s+(?:only|just)\s+(?:the\s+|a\s+|my\s+)?)"
        r"(?:daily\s+|morning\s+)?(?:digests?|summary|summaries)(?:\s+only)?(?:\s+please)?|"
        r"digests?\s+only|(?:switch\s+to\s+|set\s+)?digest[\s-]only(?:\s+mode)?",
        t,
    ):
        return PreferenceChange("digest_only")

    if re.fullmatch(
        r"(?:please\s+)?(?:send|notify|ping|tell)\s+(?:me|us)\s+(?:about\s+)?"
        r"(?:everything|all(?:\s+of\s+it)?|all\s+(?:notifications|pings|pushes))(?:\s+again)?|"
        r"(?:unmute|un-mute|resume|restore|enable)\s+(?:everything|all(?:\s+notifications)?)|"
        r"(?:reset|default)\s+(?:my\s+)?(?:notifications?|notification\s+settings|preferences)|"
        r"(?:turn\s+off|disable|stop|no\s+more|cancel)\s+digest[\s-]only(?:\s+mode)?|"
        r"not\s+(?:only|just)\s+(?:the\s+)?digests?",
        t,
    ):
        return PreferenceChange("everything")

    mute = re.fullmatch(_MUTE + r"\s+(.+)", t)
    if mute:
        kinds = _kinds_in(mute.group(1))
        return PreferenceChange("mute", kinds=kinds) if kinds else None
    unmute = re.fullmatch(_UNMUTE + r"\s+(.+)", t)
    if unmute:
        kinds = _kinds_in(unmute.group(1))
        return PreferenceChange("unmute", kinds=kinds) if kinds else None
    return None


# --- storage -------------------------------------------------------------------------------


def get_preference(
    session: Session, *, user_id: int | None = None, channel: str | None = None
) -> NotificationPreference | None:
    if (user_id is None) == (channel is None):
        raise ValueError("preferences belong to a user or to a channel")
    column = (
        NotificationPreference.user_id == user_id
        if channel is None
        else NotificationPreference.channel == channel.lower()
    )
    return session.scalar(select(NotificationPreference).where(column))


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe(pref: NotificationPreference | None) -> str:
    if pref is None or (
        not pref.muted_kinds and not pref.digest_only and pref.quiet_start_minute is None
    ):
        return "You get every kind of push, at any hour."
    parts = []
    if pref.digest_only:
        parts.append("digest only")
    if pref.muted_kinds:
        parts.append("muted: " + ", ".join(KIND_LABELS[k] for k in KINDS if k in pref.muted_kinds))
    if pref.quiet_start_minute is not None and pref.quiet_end_minute is not None:
        parts.append(f"quiet hours {_hhmm(pref.quiet_start_minute)}-{_hhmm(pref.quiet_end_minute)}")
    return "Notification settings: " + "; ".join(parts) + "."


def _labels(kinds: tuple[str, ...]) -> str:
    if set(kinds) == set(KINDS):
        return "all pushes"
    names = [KIND_LABELS[k] for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@atomic
def apply_preference_change(
    *,
    session: Session,
    actor: Actor,
    user_id: int | None = None,
    channel: str | None = None,
    change: PreferenceChange,
) -> str:
    """Store the change for the user (or channel) and return a one-line confirmation."""
    if (user_id is None) == (channel is None):
        raise ValidationError("say whose notifications to change: a person or a channel")
    pref = get_preference(session, user_id=user_id, channel=channel)
    if change.action == "show":
        return describe(pref)
    if pref is None:
        pref = NotificationPreference(
            user_id=user_id,
            channel=channel.lower() if channel else None,
            muted_kinds=[],
            digest_only=False,
        )
        session.add(pref)
        session.flush()
    before = snapshot(pref)
    muted = list(pref.muted_kinds or [])
    whose = channel.lower() if channel else "you"
    if change.action == "mute":
        muted = [k for k in KINDS if k in muted or k in change.kinds]
        message = f"Muted {_labels(change.kinds)} for {whose}; they are recorded, not sent."
    elif change.action == "unmute":
        muted = [k for k in muted if k not in change.kinds]
        message = f"Unmuted {_labels(change.kinds)}."
        if pref.digest_only and "digest" not in change.kinds:
            message += ' (Digest-only is still on: say "send me everything" to end it.)'
    elif change.action == "quiet_hours":
        assert change.quiet_start is not None and change.quiet_end is not None
        pref.quiet_start_minute = _minutes(change.quiet_start)
        pref.quiet_end_minute = _minutes(change.quiet_end)
        message = (
            f"Quiet hours set: {change.quiet_start:%H:%M}-{change.quiet_end:%H:%M} local "
            "time; pushes wait until they end."
        )
    elif change.action == "no_quiet_hours":
        pref.quiet_start_minute = pref.quiet_end_minute = None
        message = "Quiet hours removed."
    elif change.action == "digest_only":
        pref.digest_only = True
        muted = [k for k in muted if k != "digest"]
        message = f"Digest only: {whose} will get the digests and nothing else."
    elif change.action == "everything":
        pref.digest_only = False
        muted = []
        message = (
            "You will get every kind of push again."
            if user_id
            else f"{whose} will get every kind of push again."
        )
    else:
        raise ValidationError(f"unknown notification change {change.action!r}")
    pref.muted_kinds = muted
    pref.updated_at = actor.at or utcnow()
    session.flush()
    record(session, actor, "notifications.update", pref, before=before, after=snapshot(pref))
    return message


def preference_command(session: Session, user: User, message: Message) -> Reply | None:
    """The engine's command hook (`Engine(commands=[preference_command])`): answers a
    notification-settings command, None for any other text. A channel's settings ("mute
    alerts in #sales") may be changed by managers and admins only."""
    change = parse_preference_command(message.text)
    if change is None:
        return None
    actor = Actor(
        user_id=user.id,
        label=f"{message.platform}:{user.name}",
        platform=message.platform,
        message_id=message.message_id,
    )
    if change.channel is not None:
        if user.role not in (Role.MANAGER.value, Role.ADMIN.value) and change.action != "show":
            return Reply(
                f"Only a manager or an admin can change {change.channel}'s notifications.", ok=False
            )
        text = apply_preference_change(
            session=session, actor=actor, channel=change.channel, change=change
        )
    else:
        text = apply_preference_change(session=session, actor=actor, user_id=user.id, change=change)
    return Reply(text)


# --- what delivery asks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    action: str  # "send" | "skip" | "defer"
    reason: str = ""
    until: datetime | None = None


SEND = Decision("send")


def decide(pref: NotificationPreference | None, kind: str, now: datetime, tz: tzinfo) -> Decision:
    """Whether a push of `kind` goes out at `now` for someone with these preferences."""
    if pref is None:
        return SEND
    if kind in (pref.muted_kinds or []):
        return Decision("skip", f"muted: {KIND_LABELS.get(kind, kind)}")
    if pref.digest_only and kind != "digest":
        return Decision("skip", "digest only")
    start, end = pref.quiet_start_minute, pref.quiet_end_minute
    if start is None or end is None or start == end:
        return SEND
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    quiet = start <= minute < end if start < end else (minute >= start or minute < end)
    if not quiet:
        return SEND
    day = local.date() if minute < end else local.date() + timedelta(days=1)
    until = datetime.combine(day, time(end // 60, end % 60), tzinfo=tz).astimezone(UTC)
    return Decision("defer", f"quiet hours until {_hhmm(end)}", until)
