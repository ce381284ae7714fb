"""Signing in an operator: one transaction that keeps the failed-attempt count.

`users.service.authenticate` counts a failure and raises; an ordinary session would roll
the count back with the error, so a password could be guessed forever. `login` commits
first and raises afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from ebconsole.errors import AuthenticationFailed
from ebconsole.users import service as users
from ebconsole.users.enums import Role


@dataclass(frozen=True)
class Operator:
    """Who may sign in at this workstation (for a login list: no secrets in it)."""

    username: str
    display_name: str
    role: Role
    branch: str | None


def operators(db: Database) -> list[Operator]:
    """Active, unarchived accounts, ordered by user name."""
    with db.session(readonly=True) as s:
        return [
            Operator(u.username, u.display_name, u.role, u.branch)
            for u in users.list_users(session=s)
            if u.active
        ]


def login(db: Database, username: str, password: str, *, now: datetime | None = None) -> Actor:
    """The operator's actor, or AuthenticationFailed with the failure already recorded."""
    failure: AuthenticationFailed | None = None
    actor: Actor | None = None
    with db.session(Actor.system()) as s:
        inst = users.require_installation(session=s)
        # the audit trail names the workstation; the attempt itself is the note
        s.info["actor"] = Actor.system(inst.site_code, inst.workstation_name)
        s.info["audit_note"] = f"login {username.strip()}"
        try:
            user = users.authenticate(username.strip(), password, session=s, now=now)
        except AuthenticationFailed as exc:
            failure = exc  # leave the block normally so the count is committed
        else:
            actor = users.actor_for(user, inst)
    if failure is not None:
        raise failure
    assert actor is not None
    return actor
