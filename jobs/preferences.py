"""What delivery asks of a person's (or channel's) notification preferences.

Nobody should drown in pings: a kind of push can be muted, quiet hours hold pushes until they
end (deferred, never dropped), and "digest only" keeps everything but the digests out. The
delivery job applies them to every push just before sending, so a change made in chat counts
for pushes already in the outbox; a muted push is recorded as skipped, not lost. The
preferences are stored by `crm_core.services.preferences` and set from chat by
`bot/preferences.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from crm_core.models import NotificationPreference
from jobs.texts import KIND_LABELS


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


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
