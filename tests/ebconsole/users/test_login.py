"""Signing in keeps the count of failed attempts (it is committed before the error)."""

from __future__ import annotations

import pytest

from ebconsole.audit.models import AuditEntry
from ebconsole.errors import AuthenticationFailed
from ebconsole.users import service as users
from ebconsole.users.login import login, operators
from tests.support.world import PASSWORD


def failed(db, username):
    with db.session(readonly=True) as s:
        return users.get_by_username(username, session=s).failed_logins


def test_a_wrong_password_is_counted_even_though_it_fails(db, world):
    with pytest.raises(AuthenticationFailed) as err:
        login(db, "clerk", "wrong-password")
    assert err.value.code == "login_failed"
    assert failed(db, "clerk") == 1
    with pytest.raises(AuthenticationFailed):
        login(db, "clerk", "wrong-again")
    assert failed(db, "clerk") == 2


def test_the_right_password_gives_the_operator(db, world):
    actor = login(db, " coord ", PASSWORD)
    assert actor == world.coordinator
    with db.session(readonly=True) as s:
        note = (
            s.query(AuditEntry)
            .filter_by(entity="user_account")
            .order_by(AuditEntry.at.desc())
            .first()
        )
        assert note.actor_role == "system" and note.note == "login coord"


def test_the_login_list_holds_active_operators_only(db, world, admin):
    from ebconsole.users.schemas import UserUpdate

    with db.session(admin) as s:
        clerk2 = users.get_by_username("clerk2", session=s)
        users.update(clerk2.id, UserUpdate(active=False), session=s)
    names = [o.username for o in operators(db)]
    assert names == ["admin", "clerk", "coord"]
