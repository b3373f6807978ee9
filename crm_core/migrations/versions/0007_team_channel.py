"""team channel: where a team's feedback (and other team pushes) are posted

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_settings") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("team_settings") as batch:
        batch.drop_column("channel")
