from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import DuplicateError, PermissionDenied, ValidationError
from crm_core.models import AuditEntry, User
from crm_core.models.enums import Role
from crm_core.services import audit, users
from tests.factories import Factory


def test_first_contact_registers_a_rep_once(session: Session) -> None:
    first = users.ensure_identity(
        session=session,
        platform="slack",
        external_id="U02AB3CD",
        display_name="Dana Scully",
        handle="dana",
    )
    again = users.ensure_identity(session=session, platform="slack", external_id="U02AB3CD")
    assert first.id == again.id and first.role == "rep" and first.name == "dana"
    other = users.ensure_identity(
        session=session, platform="telegram", external_id="42", handle="dana"
    )
    assert other.id != first.id and other.name == "dana2"
    for query in ("@dana", "U02AB3CD", "Dana Scully"):
        found = users.find_user(session, query)
        assert found is not None and found.id == first.id, query


def test_roles_and_updates_are_validated_and_audited(session: Session, make: Factory) -> None:
    admin = make.user("ada", role="admin")
    rep = make.user("alex")
    with pytest.raises(ValidationError, match="role"):
        users.update_user(session=session, actor=make.actor(admin), user_id=rep.id, role="boss")
    users.update_user(
        session=session, actor=make.actor(admin), user_id=rep.id, role="manager", team="East"
    )
    assert (rep.role, rep.team) == ("manager", "east")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
    assert entry.actor_id == admin.id and entry.data["before"]["role"] == "rep"
    assert entry.data["after"]["role"] == "manager"
    assert users.require_role(session, make.actor(admin), Role.ADMIN).id == admin.id
    with pytest.raises(PermissionDenied, match="only an admin"):
        users.require_role(session, make.actor(rep), Role.ADMIN)
    with pytest.raises(DuplicateError):
        make.user("ALEX")


def test_every_service_write_leaves_an_audit_row(session: Session, make: Factory) -> None:
    acme = make.customer("Acme")
    rows = audit.entries_for(session, "customers", acme.id)
    assert [r.action for r in rows] == ["customer.create"]
    assert rows[0].actor_label == "tests" and rows[0].data["after"]["name"] == "Acme"
    assert session.scalar(select(User.id).where(User.name == "nobody")) is None
