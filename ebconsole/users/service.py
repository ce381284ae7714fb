"""Accounts and the installation's identity. Services flush, never commit."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.errors import AuthenticationFailed, NotFound, ValidationFailed
from ebconsole.i18n import N_
from ebconsole.timeutil import format_local, utcnow
from ebconsole.users.models import Installation, User
from ebconsole.users.passwords import make_hasher
from ebconsole.users.permissions import Permission, authorize
from ebconsole.validation import Checker

if TYPE_CHECKING:  # pydantic and the schemas load with the first account change, not at
    # the sign-in: Argon2's 64 MiB then comes on top of less (docs/performance.md)
    from ebconsole.users.schemas import InstallationCreate, UserCreate, UserUpdate

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)

_hasher = make_hasher()  # cost profile: see ebconsole/users/passwords.py


# -- installation ------------------------------------------------------------------------
def get_installation(*, session: Session) -> Installation | None:
    return session.scalars(select(Installation).limit(1)).first()


def require_installation(*, session: Session) -> Installation:
    inst = get_installation(session=session)
    if inst is None:
        raise ValidationFailed.one("not_initialised", "database")
    return inst


def create_installation(data: InstallationCreate, *, session: Session) -> Installation:
    from ebconsole.users.schemas import SITE_CODE

    authorize(session, Permission.MANAGE_SETTINGS)
    c = Checker()
    code = c.text("site_code", data.site_code, required=True, max_len=12)
    if code is not None and not SITE_CODE.fullmatch(code.upper()):
        c.fail("site_code", "invalid_choice", value=code, allowed="A-Z 0-9, 2-12")
    name = c.text("workstation", data.workstation_name, required=True, max_len=80)
    c.raise_if_failed()
    assert code is not None and name is not None
    inst = Installation(
        site_code=code.upper(),
        workstation_name=name,
        site_name=data.site_name,
        workstation_id=uuid.uuid4(),
        default_branch=data.default_branch,
        time_zone=data.time_zone,
        language=data.language,
    )
    session.add(inst)
    session.flush()
    return inst


# -- users -------------------------------------------------------------------------------
def _check_password(c: Checker, password: str | None, required: bool) -> None:
    from ebconsole.users.schemas import MIN_PASSWORD

    if password is None:
        if required:
            c.fail("password", "required")
        return
    if len(password) < MIN_PASSWORD:
        c.fail("password", "weak_password", min=MIN_PASSWORD)


def get(user_id: uuid.UUID, *, session: Session) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound.one("not_found", None, entity_label=N_("user"), key=str(user_id))
    return user


def get_by_username(username: str, *, session: Session) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def list_users(*, session: Session, include_archived: bool = False) -> list[User]:
    q = select(User).order_by(User.username)
    if not include_archived:
        q = q.where(User.archived_at.is_(None))
    return list(session.scalars(q))


def create(data: UserCreate, *, session: Session) -> User:
    from ebconsole.users.schemas import USERNAME

    authorize(session, Permission.MANAGE_USERS)
    c = Checker()
    c.pattern("username", data.username, USERNAME, "invalid_choice", required=True)
    display = c.text("name", data.display_name, required=True, max_len=80)
    _check_password(c, data.password, required=True)
    c.text("branch", data.branch, max_len=80)
    if data.username and get_by_username(data.username, session=session) is not None:
        c.fail("username", "not_unique", value=data.username)
    c.raise_if_failed()
    user = User(
        username=data.username,
        display_name=display or data.username,
        role=data.role,
        branch=data.branch,
        title=data.title,
        phone=data.phone,
        password_hash=_hasher.hash(data.password),
    )
    session.add(user)
    session.flush()
    return user


def update(user_id: uuid.UUID, data: UserUpdate, *, session: Session) -> User:
    authorize(session, Permission.MANAGE_USERS)
    user = get(user_id, session=session)
    c = Checker()
    _check_password(c, data.password, required=False)
    if data.display_name is not None:
        c.text("name", data.display_name, required=True, max_len=80)
    c.raise_if_failed()
    for key in ("display_name", "role", "branch", "title", "phone", "active"):
        value = getattr(data, key)
        if value is not None:
            setattr(user, key, value)
    if data.password is not None:
        user.password_hash = _hasher.hash(data.password)
        user.failed_logins = 0
        user.locked_until = None
    session.flush()
    return user


def archive(user_id: uuid.UUID, *, session: Session) -> User:
    authorize(session, Permission.MANAGE_USERS)
    user = get(user_id, session=session)
    user.archived_at = utcnow()
    user.active = False
    session.flush()
    return user


def authenticate(
    username: str, password: str, *, session: Session, now: datetime | None = None
) -> User:
    """Check a login. Failed attempts are counted; too many lock the account a while.

    The caller commits even on failure so the failed-attempt count is kept.
    """
    now = now or utcnow()
    user = get_by_username(username, session=session)
    if user is None or user.archived_at is not None:
        _hasher.hash(password)  # same cost as a real check: do not reveal which names exist
        raise AuthenticationFailed.one("login_failed")
    if not user.active:
        raise AuthenticationFailed.one("account_inactive")
    if user.locked_until is not None and user.locked_until > now:
        raise AuthenticationFailed.one("account_locked", until=format_local(user.locked_until))
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        session.flush()
        raise AuthenticationFailed.one("login_failed") from None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.flush()
    return user


def actor_for(user: User, installation: Installation) -> Actor:
    return Actor(
        username=user.username,
        role=user.role,
        user_id=user.id,
        display_name=user.display_name,
        branch=user.branch,
        site_code=installation.site_code,
        workstation=installation.workstation_name,
    )
