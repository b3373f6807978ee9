"""The record of answered platform requests: one per (platform, key), long keys digested,
old answers forgotten by the housekeeping sweep."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_core.models import HandledRequest
from crm_core.services import handled
from jobs.housekeeping import sweep_housekeeping


def test_a_request_is_recorded_once_per_platform(session: Session, now: datetime) -> None:
    handled.remember(
        session, platform="slack", key="C1:1.0", user_key="U1", reply={"text": "hi"}, at=now
    )
    handled.remember(
        session, platform="telegram", key="C1:1.0", user_key="42", reply={"text": "yo"}, at=now
    )
    found = handled.replay(session, "slack", "C1:1.0")
    assert found is not None and found.reply == {"text": "hi"} and found.user_key == "U1"
    assert handled.replay(session, "slack", "C1:2.0") is None
    with pytest.raises(IntegrityError), session.begin_nested():
        handled.remember(session, platform="slack", key="C1:1.0", user_key="U1", reply={}, at=now)


def test_long_keys_become_a_digest_that_still_tells_them_apart() -> None:
    short = "callback:-100:17:4242:confirm|"
    assert handled.request_key(short) == short
    a, b = "x" * 300 + "a", "x" * 300 + "b"
    assert handled.request_key(a) != handled.request_key(b)
    assert len(handled.request_key(a)) <= handled.KEY_MAX
    assert handled.request_key(a) == handled.request_key(a)


def test_housekeeping_forgets_answers_older_than_a_week(session: Session, now: datetime) -> None:
    for key, age in (("old", timedelta(days=8)), ("recent", timedelta(days=6))):
        handled.remember(session, platform="slack", key=key, user_key="U1", reply={}, at=now - age)
    assert sweep_housekeeping(session, now=now) == 0
    assert session.scalars(select(HandledRequest.request_key)).all() == ["recent"]
