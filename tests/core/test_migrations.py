"""The schema comes only from migrations, and the migrations match the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

from crm_core import migrate
from crm_core.database import open_database
from crm_core.db import make_engine
from crm_core.errors import DatabaseUnavailable, MigrationRequired
from crm_core.models import Base, PipelineStage
from crm_core.models.name_search import is_name_search_object


def test_upgrade_from_empty_creates_every_table_and_seeds_stages(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.connect() as conn:
        stages = conn.execute(
            select(PipelineStage.name, PipelineStage.default_probability).order_by(
                PipelineStage.position
            )
        ).all()
    assert [s for s, _ in stages] == [
        "prospecting",
        "qualification",
        "proposal",
        "negotiation",
        "won",
        "lost",
    ]
    assert stages[0][1] is None  # prospecting falls back to the historical win rate
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}


# SQLite's reflection cannot read an expression index (0014's lower(name)): compared on
# PostgreSQL, skipped by alembic on SQLite with these two warnings
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": False,
                # the trigram index / FTS5 table of migration 0009 have no model
                "include_object": lambda _o, name, type_, _r, _c: (
                    not is_name_search_object(name, type_)
                ),
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_open_database_upgrades_or_says_what_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with pytest.raises(MigrationRequired, match="crmbot db upgrade"):
        open_database(url, upgrade=False)
    database = open_database(url, upgrade=True)
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    database.dispose()
    open_database(url, upgrade=False).dispose()  # now up to date: no complaint


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("nonsense://x", "unsupported database URL"),
        ("not a url", "bad database URL"),
        ("sqlite:////no/such/folder/x.db", "does not exist"),
        ("postgresql://postgres@127.0.0.1:1/none", "cannot open database"),
    ],
)
def test_bad_urls_raise_one_clear_error(url: str, fragment: str) -> None:
    with pytest.raises(DatabaseUnavailable, match=fragment):
        open_database(url)
