from __future__ import annotations

from datetime import timedelta

import pytest

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import AuthenticationFailed, ValidationFailed
from ebconsole.timeutil import utcnow
from ebconsole.users import service as users
from ebconsole.users.enums import Role
from ebconsole.users.schemas import UserCreate, UserUpdate
from tests.support.world import PASSWORD


def test_authenticate_accepts_the_right_password(db, world):
    with db.session(world.admin) as s:
        user = users.authenticate("coord", PASSWORD, session=s)
        assert user.role is Role.COORDINATOR
        assert user.last_login_at is not None


def test_wrong_password_is_counted_and_locks_after_five(db, world):
    now = utcnow()
    for _ in range(users.MAX_FAILED_LOGINS):
        with db.session(world.admin) as s:
            with pytest.raises(AuthenticationFailed):
                users.authenticate("clerk", "wrong-password", session=s, now=now)
            s.commit()
    with db.session(world.admin) as s, pytest.raises(AuthenticationFailed) as err:
        users.authenticate("clerk", PASSWORD, session=s, now=now)
    assert err.value.code == "account_locked"
    with db.session(world.admin) as s:
        assert users.authenticate(
            "clerk", PASSWORD, session=s, now=now + users.LOCKOUT + timedelta(seconds=1)
        )


def test_password_is_hashed_with_argon2_and_never_audited(db, world):
    with db.session(world.admin) as s:
        user = users.get_by_username("clerk", session=s)
        assert user.password_hash.startswith("$argon2")
        entries = s.query(AuditEntry).filter_by(entity="user_account").all()
        assert entries and all("password_hash" not in (e.after or {}) for e in entries)


def test_duplicate_username_and_weak_password_are_named(db, world):
    with db.session(world.admin) as s, pytest.raises(ValidationFailed) as err:
        users.create(
            UserCreate(username="clerk", display_name="重名", role=Role.CLERK, password="short"),
            session=s,
        )
    fields = {e.field: e.code for e in err.value.errors}
    assert fields == {"username": "not_unique", "password": "weak_password"}


def test_update_and_archive_keep_an_audit_trail(db, world):
    with db.session(world.admin) as s:
        user = users.get_by_username("clerk2", session=s)
        users.update(user.id, UserUpdate(title="大堂经理"), session=s)
        users.archive(user.id, session=s)
        actions = [
            e.action
            for e in s.query(AuditEntry).filter_by(entity_id=str(user.id)).order_by(AuditEntry.at)
        ]
    assert actions[-2:] == ["update", "archive"]
    with db.session(world.admin) as s, pytest.raises(AuthenticationFailed):
        users.authenticate("clerk2", PASSWORD, session=s)
