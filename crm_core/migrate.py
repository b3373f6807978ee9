"""Schema migrations (Alembic), run from code so no alembic.ini is needed beside the database.

Every command that opens a database calls `ensure_schema`: it upgrades an old or empty schema
(the embedded default must just work) or, with auto-upgrade off, says what to run.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from crm_core.errors import MigrationRequired

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def auto_upgrade_enabled() -> bool:
    return os.environ.get("CRMBOT_AUTO_UPGRADE", "1").lower() not in ("0", "false", "no")


def ensure_schema(engine: Engine, *, auto_upgrade: bool | None = None) -> bool:
    """Bring the schema to head; returns True when it had to upgrade."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return False
    if auto_upgrade is None:
        auto_upgrade = auto_upgrade_enabled()
    if not auto_upgrade:
        raise MigrationRequired(
            f"the database schema is at {current or 'nothing'}, this crmbot needs {head}: "
            "run `crmbot db upgrade`"
        )
    if current is not None:
        backup_before_upgrade(engine, head)
    upgrade(engine)
    return True


def backup_before_upgrade(engine: Engine, head: str) -> Path | None:
    """A SQLite database is copied (online backup) before an automatic upgrade changes it,
    beside it as NAME-before-HEAD.db: a failed or unwanted upgrade is undone by copying it
    back. PostgreSQL upgrades run in one transaction and back up with `crmbot db backup`."""
    from crm_core.backup import backup_sqlite

    path = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    source = Path(path).expanduser()
    return backup_sqlite(engine, source.with_name(f"{source.stem}-before-{head}.db"))
