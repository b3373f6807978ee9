"""scheduler tables: notification preferences, team settings for nudges and digests, and the
scheduler lease (APScheduler's own apscheduler_jobs table is created by its job store)

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )
    op.create_table(
        "team_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=60), nullable=False),
        sa.Column("stale_deal_days", sa.Integer(), nullable=False),
        sa.Column("lead_contact_days", sa.Integer(), nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("weekly_digest_weekday", sa.Integer(), nullable=False),
        sa.Column("weekly_digest_hour", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_settings")),
        sa.UniqueConstraint("team", name=op.f("uq_team_settings_team")),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=120), nullable=True),
        sa.Column(
            "muted_kinds",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("quiet_start_minute", sa.Integer(), nullable=True),
        sa.Column("quiet_end_minute", sa.Integer(), nullable=True),
        sa.Column("digest_only", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("channel", name=op.f("uq_notification_preferences_channel")),
        sa.UniqueConstraint("user_id", name=op.f("uq_notification_preferences_user_id")),
    )


def downgrade() -> None:
    op.drop_table("notification_preferences")
    op.drop_table("team_settings")
    op.drop_table("scheduler_leases")
