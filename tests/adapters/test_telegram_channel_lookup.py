"""The Telegram notifier finds a channel's chat while the delivery pass that asks holds
SQLite's write lock (its claim transaction): a lookup that took the lock itself waited for
its own process until "database is locked", and the push failed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.adapters.telegram_notifier import lookup_from
from crm_core.database import open_database
from crm_core.services.channels import link_channel
from crm_core.services.context import Actor


def test_a_channel_is_looked_up_inside_a_writing_transaction(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'crm.db'}")
    with database.transaction() as session:
        link_channel(
            session=session,
            actor=Actor.system("tests"),
            platform="telegram",
            name="#sales",
            conversation_id="-100777",
        )
    lookup = lookup_from(database)
    with database.transaction() as session:  # BEGIN IMMEDIATE: the write lock is held
        session.execute(text("UPDATE channel_links SET title = 'Sales' WHERE name = 'sales'"))
        assert lookup("#sales") == "-100777"
        assert lookup("#nowhere") is None
    database.dispose()
