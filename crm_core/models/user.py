"""People who use the bot: reps, managers and admins, and their chat identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, TimestampMixin


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16), default="rep")
    team: Mapped[str | None] = mapped_column(String(60), index=True)
    region: Mapped[str | None] = mapped_column(String(60), index=True)
    capacity: Mapped[int] = mapped_column(default=50)
    timezone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    last_assigned_at: Mapped[datetime | None] = mapped_column()

    identities: Mapped[list[UserIdentity]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.name} {self.role}>"


class UserIdentity(TimestampMixin, Base):
    """A user's id on one platform (slack, telegram, console); one CRM user may have several."""

    __tablename__ = "user_identities"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(120))
    handle: Mapped[str | None] = mapped_column(String(120))

    user: Mapped[User] = relationship(back_populates="identities")


Index("ix_users_role_active", User.role, User.active)
