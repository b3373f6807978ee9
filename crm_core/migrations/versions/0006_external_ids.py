"""external ids for imported records, customers' email and phone, a deal's win/loss reason

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows can come from another CRM; the external id lets a re-import update them.
_IMPORTED = ("customers", "contacts", "leads", "deals", "interactions")


def upgrade() -> None:
    for table in _IMPORTED:
        op.add_column(table, sa.Column("external_id", sa.String(length=120), nullable=True))
        op.create_index(op.f(f"ix_{table}_external_id"), table, ["external_id"], unique=False)
    op.add_column("customers", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("customers", sa.Column("phone", sa.String(length=40), nullable=True))
    op.create_index(op.f("ix_customers_email"), "customers", ["email"], unique=False)
    op.add_column("deals", sa.Column("reason", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deals") as batch:
        batch.drop_column("reason")
    op.drop_index(op.f("ix_customers_email"), table_name="customers")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("phone")
        batch.drop_column("email")
    for table in reversed(_IMPORTED):
        op.drop_index(op.f(f"ix_{table}_external_id"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("external_id")
