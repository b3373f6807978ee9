"""`crmbot db upgrade|current|downgrade|backup`: schema migrations and backups."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.common import DbOption, clear_errors, fail

db_app = typer.Typer(help="Database schema: apply or inspect migrations.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(
    db: DbOption = None, revision: str = typer.Option("head", help="Target revision.")
) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from crm_core import migrate
    from crm_core.database import open_database

    with clear_errors():
        database = open_database(db, migrate_schema=False)
        before = migrate.current_revision(database.engine)
        migrate.upgrade(database.engine, revision)
        after = migrate.current_revision(database.engine)
        database.dispose()
    if before == after:
        typer.echo(f"{database.url}: already at {after}")
    else:
        typer.echo(f"{database.url}: upgraded {before or 'empty'} -> {after}")


@db_app.command("current")
def current(db: DbOption = None) -> None:
    """Show the schema revision of the database and the one this crmbot needs."""
    from crm_core import migrate
    from crm_core.database import open_database

    with clear_errors():
        database = open_database(db, migrate_schema=False)
        revision = migrate.current_revision(database.engine)
        database.dispose()
    typer.echo(f"{database.url}: at {revision or 'empty'}, head is {migrate.head_revision()}")


@db_app.command("downgrade")
def downgrade(
    revision: str = typer.Argument(..., help="Target revision, or 'base'."), db: DbOption = None
) -> None:
    """Revert migrations down to REVISION."""
    from crm_core import migrate
    from crm_core.database import open_database

    with clear_errors():
        database = open_database(db, migrate_schema=False)
        migrate.downgrade(database.engine, revision)
        database.dispose()
    typer.echo(f"{database.url}: now at {revision}")


@db_app.command("backup")
def backup(
    db: DbOption = None,
    out: Path | None = typer.Option(
        None, "--out", help="Backup file (default: NAME-YYYYmmdd-HHMMSS.db beside the database)."
    ),
) -> None:
    """A consistent copy of the database, safe while the bot runs (README: Backups)."""
    from crm_core.backup import backup as make_backup
    from crm_core.backup import default_name
    from crm_core.database import open_database
    from crm_core.settings import now

    with clear_errors():
        database = open_database(db, migrate_schema=False)
        try:
            target = out or default_name(database.engine, now())
            written = make_backup(database.engine, target)
        except OSError as exc:
            fail(f"cannot write the backup to {exc.filename or target}: {exc.strerror}")
        finally:
            database.dispose()
    typer.echo(f"{database.url}: backed up to {written} ({written.stat().st_size:,} bytes)")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
