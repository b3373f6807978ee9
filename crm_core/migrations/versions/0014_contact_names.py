"""contacts found by name across customers

A rep writes a person alone ("met w/ Dale Kowalski yesterday"), and the person is a contact of
one of the customers: the engine looks the name up among all contacts (case-insensitive, the
whole name) to find whom the record is with. An index on the lower-cased name makes that one
index read at a million customers instead of a scan of every contact.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_contacts_name_lower", "contacts", [sa.text("lower(name)")])


def downgrade() -> None:
    op.drop_index("ix_contacts_name_lower", table_name="contacts")
