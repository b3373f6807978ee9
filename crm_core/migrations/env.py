"""Alembic environment: uses the connection handed over by `crm_core.migrate` when present."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from crm_core.db import normalise_url
from crm_core.models import Base
from crm_core.models.name_search import is_name_search_object

config = context.config
target_metadata = Base.metadata


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """APScheduler keeps its job store in the same database; that table is not ours. The
    name-search index and table (migration 0009) are ours but have no model."""
    if is_name_search_object(name, type_):
        return False
    return not (type_ == "table" and name == "apscheduler_jobs")


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copy-and-move
        compare_type=True,
        include_object=_ours,
    )


connection = config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(
        url=normalise_url(config.get_main_option("sqlalchemy.url") or ""),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    section = config.get_section(config.config_ini_section) or {}
    section["sqlalchemy.url"] = normalise_url(section.get("sqlalchemy.url", ""))
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
