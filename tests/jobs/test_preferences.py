"""Chat commands for notification settings (bot.preferences), their storage
(crm_core.services.preferences), and what delivery makes of them (jobs.preferences)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from bot.preferences import change_preferences, parse_preference_command
from chat.reply import Reply
from crm_core.models import NotificationPreference, User
from crm_core.services.context import Actor
from crm_core.services.preferences import (
    PreferenceChange,
    apply_preference_change,
    get_preference,
)
from jobs.preferences import Decision, decide
from tests.factories import Factory


@pytest.mark.parametrize(
    "text, action, kinds",
    [
        ("mute stale-deal nudges", "mute", ("stale_deal",)),
        ("Mute stale deal nudges!", "mute", ("stale_deal",)),
        ("mute alerts", "mute", ("alert",)),
        ("stop sending me lead nudges", "mute", ("lead_nudge",)),
        ("turn off reminders and alerts", "mute", ("reminder", "alert")),
        ("no more campaign pings", "mute", ("campaign",)),
        ("don't send me follow-up reminders", "mute", ("follow_up",)),
        ("mute nudges", "mute", ("follow_up", "stale_deal", "lead_nudge")),
        ("unmute reminders", "unmute", ("reminder",)),
        ("turn on alerts again", "unmute", ("alert",)),
        ("resume stale-deal nudges", "unmute", ("stale_deal",)),
    ],
)
def test_mute_and_unmute_phrasings(text: str, action: str, kinds: tuple[str, ...]) -> None:
    assert parse_preference_command(text) == PreferenceChange(action, kinds=kinds)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("quiet hours 20:00-07:00", time(20), time(7)),
        ("set quiet hours from 8pm to 7am", time(20), time(7)),
        ("quiet hours 22 to 6", time(22), time(6)),
        ("don't ping me between 12:30 and 13:30", time(12, 30), time(13, 30)),
        ("do not disturb 21:15-06:45", time(21, 15), time(6, 45)),
    ],
)
def test_quiet_hours_phrasings(text: str, start: time, end: time) -> None:
    assert parse_preference_command(text) == PreferenceChange(
        "quiet_hours", quiet_start=start, quiet_end=end
    )


@pytest.mark.parametrize(
    "text, action",
    [
        ("no quiet hours", "no_quiet_hours"),
        ("remove my quiet hours", "no_quiet_hours"),
        ("only send me a digest", "digest_only"),
        ("just the digest please", "digest_only"),
        ("digest only", "digest_only"),
        ("send me everything", "everything"),
        ("unmute everything", "everything"),
        ("what are my notification settings?", "show"),
        ("show my notification settings", "show"),
        ("notification settings", "show"),
    ],
)
def test_other_commands(text: str, action: str) -> None:
    change = parse_preference_command(text)
    assert change is not None and change.action == action


@pytest.mark.parametrize(
    "text",
    [
        "remind me to call acme tomorrow",
        "mute",
        "mute the call with acme",
        "stop",
        "log call with Initech, follow up Friday",
        "quiet hours 25:00-07:00",
        "send me the forecast",
        "what's the pipeline",
        "",
    ],
)
def test_anything_else_is_not_a_preference(text: str) -> None:
    assert parse_preference_command(text) is None


def test_apply_and_describe(session: Session, make: Factory) -> None:
    alex = make.user("alex")
    actor = make.actor(alex)

    def say(text: str, *, user_id: int | None = None, channel: str | None = None) -> str:
        change = parse_preference_command(text)
        assert change is not None
        return change_preferences(session, actor, change, user_id=user_id, channel=channel)

    assert "every kind" in say("what are my notification settings", user_id=alex.id)
    assert say("mute stale-deal nudges", user_id=alex.id).startswith("Muted stale-deal nudges")
    say("mute alerts", user_id=alex.id)
    assert "Quiet hours set: 20:00-07:00" in say("quiet hours 20:00-07:00", user_id=alex.id)
    shown = say("what are my notification settings", user_id=alex.id)
    assert "muted: stale-deal nudges, alerts" in shown and "quiet hours 20:00-07:00" in shown
    say("unmute alerts", user_id=alex.id)
    pref = get_preference(session, user_id=alex.id)
    assert pref is not None and pref.muted_kinds == ["stale_deal"]
    say("only send me a digest", user_id=alex.id)
    assert pref.digest_only
    say("send me everything", user_id=alex.id)
    assert not pref.digest_only and pref.muted_kinds == []
    assert pref.quiet_start_minute == 20 * 60  # quiet hours are their own setting
    say("no quiet hours", user_id=alex.id)
    assert pref.quiet_start_minute is None
    # A channel has its own row.
    say("mute campaign pings", channel="#Sales")
    channel_pref = get_preference(session, channel="#sales")
    assert channel_pref is not None and channel_pref.muted_kinds == ["campaign"]
    alex_pref = get_preference(session, user_id=alex.id)
    assert alex_pref is not None and alex_pref.muted_kinds == []


def test_apply_needs_exactly_one_target(session: Session) -> None:
    from crm_core.errors import ValidationError

    with pytest.raises(ValidationError):
        apply_preference_change(
            session=session, actor=Actor.system(), change=PreferenceChange("show")
        )


def _pref(
    muted: list[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    digest_only: bool = False,
) -> NotificationPreference:
    """An unsaved preference row: decide() only reads it."""
    return NotificationPreference(
        muted_kinds=muted or [],
        quiet_start_minute=start,
        quiet_end_minute=end,
        digest_only=digest_only,
    )


def test_decide_mutes_digest_only_and_quiet_hours_in_the_persons_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    noon = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 12:00 in Paris
    assert decide(None, "alert", noon, paris) == Decision("send")
    assert decide(_pref(["alert"]), "alert", noon, paris).action == "skip"
    assert decide(_pref(["alert"]), "reminder", noon, paris).action == "send"
    digest_only = _pref(digest_only=True)
    assert decide(digest_only, "reminder", noon, paris).reason == "digest only"
    assert decide(digest_only, "digest", noon, paris).action == "send"
    quiet = _pref(start=20 * 60, end=7 * 60)  # 20:00-07:00, wraps midnight
    evening = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)  # 22:30 in Paris
    decision = decide(quiet, "reminder", evening, paris)
    assert decision.action == "defer"
    assert decision.until == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 07:00 Paris next day
    early = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # 06:00 Paris
    assert decide(quiet, "reminder", early, paris).until == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert decide(quiet, "reminder", noon, paris).action == "send"
    lunch = _pref(start=12 * 60, end=13 * 60)
    assert decide(lunch, "alert", noon, paris).action == "defer"
    assert decide(lunch, "alert", noon, ZoneInfo("UTC")).action == "send"


def test_a_named_channel_and_the_engine_hook(
    session: Session, make: Factory, now: datetime
) -> None:
    from bot.preferences import preference_command
    from chat.message import Message

    assert parse_preference_command("mute alerts in #Sales") == PreferenceChange(
        "mute", kinds=("alert",), channel="#sales"
    )
    assert parse_preference_command("call acme in #sales") is None
    rep, boss = make.user("rep"), make.user("boss", role="manager")

    def hook(user: User, text: str) -> Reply | None:
        return preference_command(session, user, Message("console", user.name, "dm", text, now))

    assert hook(rep, "log a call with Acme") is None
    muted = hook(rep, "mute reminders")
    assert muted is not None and muted.text.startswith("Muted reminders for you")
    refused = hook(rep, "mute alerts in #sales")
    assert refused is not None and not refused.ok and "manager or an admin" in refused.text
    channel_muted = hook(boss, "mute alerts in #sales")
    assert channel_muted is not None and channel_muted.text.startswith("Muted alerts for #sales")
    channel_pref = get_preference(session, channel="#sales")
    assert channel_pref is not None and channel_pref.muted_kinds == ["alert"]
    rep_pref = get_preference(session, user_id=rep.id)
    assert rep_pref is not None and rep_pref.muted_kinds == ["reminder"]
