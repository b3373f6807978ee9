"""Notification settings from chat: "mute stale-deal nudges", "quiet hours 20:00-07:00",
"only send me a digest", "send me everything", "what are my notification settings", and the
same "... in #sales" for a channel (managers and admins).

`parse_preference_command` is pure (the engine calls `preference_command` before its intent
parser); the change is stored by `crm_core.services.preferences`, and this module says what
was done.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import time

from sqlalchemy.orm import Session

from bot import texts
from chat.message import Message
from chat.reply import Reply
from crm_core.models import NotificationPreference, User
from crm_core.models.enums import PUSH_KINDS, Role
from crm_core.services.context import Actor
from crm_core.services.preferences import PreferenceChange, apply_preference_change
from jobs.texts import KIND_LABELS

KINDS = PUSH_KINDS

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
    (r"(?:customer\s+)?feedback(?:\s+(?:pushes|pings?|notifications?|messages?))?", ("feedback",)),
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


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe(pref: NotificationPreference | None) -> str:
    if pref is None or (
        not pref.muted_kinds and not pref.digest_only and pref.quiet_start_minute is None
    ):
        return texts.SETTINGS_DEFAULT
    parts = []
    if pref.digest_only:
        parts.append(texts.SETTING_DIGEST_ONLY)
    if pref.muted_kinds:
        muted = ", ".join(KIND_LABELS[k] for k in KINDS if k in pref.muted_kinds)
        parts.append(texts.SETTING_MUTED.format(kinds=muted))
    if pref.quiet_start_minute is not None and pref.quiet_end_minute is not None:
        parts.append(
            texts.SETTING_QUIET.format(
                start=_hhmm(pref.quiet_start_minute), end=_hhmm(pref.quiet_end_minute)
            )
        )
    return texts.SETTINGS.format(parts="; ".join(parts))


def _labels(kinds: tuple[str, ...]) -> str:
    if set(kinds) == set(KINDS):
        return texts.ALL_PUSHES
    names = [KIND_LABELS[k] for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def change_preferences(
    session: Session,
    actor: Actor,
    change: PreferenceChange,
    *,
    user_id: int | None = None,
    channel: str | None = None,
) -> str:
    """Apply the change and say, in one line, what it did."""
    pref = apply_preference_change(
        session=session, actor=actor, user_id=user_id, channel=channel, change=change
    )
    whose = channel.lower() if channel else texts.WHOSE_YOU
    if change.action == "show" or pref is None:
        return describe(pref)
    if change.action == "mute":
        return texts.MUTED.format(kinds=_labels(change.kinds), whose=whose)
    if change.action == "unmute":
        said = texts.UNMUTED.format(kinds=_labels(change.kinds))
        if pref.digest_only and "digest" not in change.kinds:
            said += " " + texts.DIGEST_ONLY_STILL_ON
        return said
    if change.action == "quiet_hours":
        return texts.QUIET_HOURS_SET.format(start=change.quiet_start, end=change.quiet_end)
    if change.action == "no_quiet_hours":
        return texts.QUIET_HOURS_REMOVED
    if change.action == "digest_only":
        return texts.DIGEST_ONLY.format(whose=whose)
    return texts.EVERYTHING_AGAIN_YOU if user_id else texts.EVERYTHING_AGAIN.format(whose=whose)


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
        at=message.time,
    )
    if change.channel is not None:
        if user.role not in (Role.MANAGER.value, Role.ADMIN.value) and change.action != "show":
            return Reply(texts.CHANNEL_SETTINGS_REFUSED.format(channel=change.channel), ok=False)
        text = change_preferences(session, actor, change, channel=change.channel)
    else:
        text = change_preferences(session, actor, change, user_id=user.id)
    return Reply(text)
