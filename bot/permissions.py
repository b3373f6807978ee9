"""Who may see and change what.

Reps act on their own leads, deals and tasks and read any customer; managers also see and
change their team's; admins everything, and manage users. A refusal says why.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from crm_core.errors import PermissionDenied
from crm_core.models import User
from crm_core.models.enums import Role


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN.value


def is_manager(user: User) -> bool:
    return user.role in (Role.MANAGER.value, Role.ADMIN.value)


def team_member_ids(session: Session, user: User) -> list[int]:
    if not user.team:
        return [user.id]
    return list(session.scalars(select(User.id).where(User.team == user.team)))


def may_act_for(session: Session, user: User, owner_id: int | None) -> bool:
    """May `user` change something owned by `owner_id`?"""
    if owner_id is None or owner_id == user.id or is_admin(user):
        return True
    if user.role == Role.MANAGER.value:
        owner = session.get(User, owner_id)
        return owner is not None and owner.team is not None and owner.team == user.team
    return False


def require_act_for(session: Session, user: User, owner_id: int | None, what: str) -> None:
    if not may_act_for(session, user, owner_id):
        owner = session.get(User, owner_id) if owner_id else None
        whose = owner.display_name if owner else texts.SOMEONE_ELSE
        if user.role == Role.MANAGER.value:
            raise PermissionDenied(texts.NOT_IN_YOUR_TEAM.format(what=what, whose=whose))
        raise PermissionDenied(texts.ONLY_THEIR_MANAGER.format(what=what, whose=whose))


def require_manager(user: User, what: str) -> None:
    if not is_manager(user):
        raise PermissionDenied(texts.MANAGERS_ONLY.format(what=what, role=user.role))


def visible_owner_ids(
    session: Session, user: User, owner: User | None
) -> tuple[list[int] | None, str]:
    """Whose numbers a report shows: the named owner if allowed, else by role (rep: own,
    manager: team, admin: everyone). Returns (owner ids or None for all, a label)."""
    if owner is not None:
        if owner.id != user.id and not may_act_for(session, user, owner.id):
            if user.role == Role.MANAGER.value:
                raise PermissionDenied(
                    texts.OTHER_TEAMS_NUMBERS.format(name=owner.display_name, team=user.team or "-")
                )
            raise PermissionDenied(texts.OWN_NUMBERS_ONLY.format(name=owner.display_name))
        return [owner.id], (
            texts.SCOPE_YOUR
            if owner.id == user.id
            else texts.SCOPE_PERSON.format(name=owner.display_name)
        )
    if is_admin(user):
        return None, texts.SCOPE_EVERYONE
    if user.role == Role.MANAGER.value:
        return team_member_ids(session, user), (
            texts.SCOPE_TEAM.format(team=user.team) if user.team else texts.SCOPE_YOUR
        )
    return [user.id], texts.SCOPE_YOUR
