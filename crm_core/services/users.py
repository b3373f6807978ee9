"""People: create, find, roles, and the chat identities that map platform ids to users."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import DuplicateError, NotFound, PermissionDenied, ValidationError
from crm_core.models import User, UserIdentity
from crm_core.models.enums import Role
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.validation import clean_choice, clean_email, clean_name

HANDLE_RE = re.compile(r"[^a-z0-9._-]+")


def handle_from(display: str) -> str:
    """A stable lower-case handle from a display name ("Dana Scully" -> "dana.scully")."""
    handle = HANDLE_RE.sub(".", display.strip().lower()).strip(".")
    return handle[:80] or "user"


@atomic
def create_user(
    *,
    session: Session,
    actor: Actor,
    name: str,
    display_name: str | None = None,
    role: str = Role.REP,
    team: str | None = None,
    region: str | None = None,
    capacity: int = 50,
    email: str | None = None,
    timezone: str | None = None,
) -> User:
    name = clean_name(name, field="user name", max_len=80).lower()
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise DuplicateError(f"a user named {name!r} exists already")
    if capacity < 0 or capacity > 100_000:
        raise ValidationError("capacity must be between 0 and 100000", field="capacity")
    user = User(
        name=name,
        display_name=clean_name(display_name or name, field="display name", max_len=120),
        role=clean_choice(role, Role, field="role").value,
        team=team.strip().lower() if team else None,
        region=region.strip() if region else None,
        capacity=capacity,
        email=clean_email(email),
        timezone=timezone,
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.create", user, after=snapshot(user))
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def find_user(session: Session, name: str) -> User | None:
    """By handle, display name (case-insensitive) or any platform id/handle."""
    key = name.strip().lstrip("@").lower()
    if not key:
        return None
    user = session.scalar(select(User).where(User.name == key))
    if user is not None:
        return user
    user = session.scalar(select(User).where(func.lower(User.display_name) == key).limit(1))
    if user is not None:
        return user
    identity = session.scalar(
        select(UserIdentity)
        .where(
            (UserIdentity.external_id == name.strip().lstrip("@"))
            | (func.lower(UserIdentity.handle) == key)
        )
        .limit(1)
    )
    if identity is not None:
        return identity.user
    first_name = session.scalars(
        select(User).where(func.lower(User.display_name).like(f"{key} %")).limit(2)
    ).all()
    return first_name[0] if len(first_name) == 1 else None


def list_users(
    session: Session, *, team: str | None = None, active_only: bool = True
) -> list[User]:
    query = select(User).order_by(User.name)
    if team:
        query = query.where(User.team == team.lower())
    if active_only:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def user_for_identity(session: Session, platform: str, external_id: str) -> User | None:
    """The user a platform id is linked to: one statement, as every message asks it."""
    return session.scalar(
        select(User)
        .join(UserIdentity, UserIdentity.user_id == User.id)
        .where(UserIdentity.platform == platform, UserIdentity.external_id == external_id)
    )


@atomic
def ensure_identity(
    *,
    session: Session,
    platform: str,
    external_id: str,
    display_name: str | None = None,
    handle: str | None = None,
) -> User:
    """The CRM user behind a platform id; first contact registers them as a rep."""
    existing = user_for_identity(session, platform, external_id)
    if existing is not None:
        return existing
    display = clean_name(display_name or handle or external_id, field="display name", max_len=120)
    base = handle_from(handle or display)
    name, n = base, 1
    while session.scalar(select(User.id).where(User.name == name)) is not None:
        n += 1
        name = f"{base}{n}"
    user = User(name=name, display_name=display, role=Role.REP.value)
    user.identities.append(UserIdentity(platform=platform, external_id=external_id, handle=handle))
    session.add(user)
    session.flush()
    record(
        session,
        Actor(user_id=user.id, label=f"{platform}:{external_id}", platform=platform),
        "user.register",
        user,
        after=snapshot(user),
    )
    return user


@atomic
def link_identity(
    *,
    session: Session,
    actor: Actor,
    user_id: int,
    platform: str,
    external_id: str,
    handle: str | None = None,
) -> UserIdentity:
    user = get_user(session, user_id)
    taken = user_for_identity(session, platform, external_id)
    if taken is not None and taken.id != user.id:
        raise DuplicateError(f"{platform} id {external_id} belongs to {taken.name} already")
    if taken is not None:
        return next(
            i for i in user.identities if i.platform == platform and i.external_id == external_id
        )
    identity = UserIdentity(platform=platform, external_id=external_id, handle=handle)
    user.identities.append(identity)
    session.flush()
    record(
        session,
        actor,
        "user.link_identity",
        identity,
        after={"platform": platform, "external_id": external_id, "user_id": user.id},
    )
    return identity


def require_role(session: Session, actor: Actor, *roles: Role) -> User:
    if actor.user_id is None:
        raise PermissionDenied("this needs a signed-in user")
    user = get_user(session, actor.user_id)
    if Role(user.role) not in roles:
        allowed = " or ".join(f"{_article(r.value)} {r.value}" for r in roles)
        raise PermissionDenied(
            f"only {allowed} can do this; {user.display_name} is {_article(user.role)} {user.role}"
        )
    return user


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@atomic
def update_user(
    *,
    session: Session,
    actor: Actor,
    user_id: int,
    role: str | None = None,
    team: str | None = None,
    region: str | None = None,
    capacity: int | None = None,
    active: bool | None = None,
    timezone: str | None = None,
) -> User:
    user = get_user(session, user_id)
    before = snapshot(user)
    if role is not None:
        user.role = clean_choice(role, Role, field="role").value
    if team is not None:
        user.team = team.strip().lower() or None
    if region is not None:
        user.region = region.strip() or None
    if capacity is not None:
        if capacity < 0 or capacity > 100_000:
            raise ValidationError("capacity must be between 0 and 100000", field="capacity")
        user.capacity = capacity
    if active is not None:
        user.active = active
    if timezone is not None:
        user.timezone = timezone or None
    session.flush()
    record(session, actor, "user.update", user, before=before, after=snapshot(user))
    return user
