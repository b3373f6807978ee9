"""`crmbot db upgrade|current|downgrade`: schema migrations."""

from __future__ import annotations

import typer

from bot.cli.common import DbOption, clear_errors

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


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
