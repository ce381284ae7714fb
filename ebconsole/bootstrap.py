"""First start of a database: installation identity, first administrator, plan defaults.

A new workstation of a bank that already works with ebconsole *joins* instead: it first
takes everything the bank recorded (from the shared hub, or from a bundle written on
another workstation), then gets its own installation; see `join`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.db.migrate import prepare
from ebconsole.db.session import Database
from ebconsole.users import service as users
from ebconsole.users.schemas import InstallationCreate, UserCreate

# Each aggregate that ships default plan data (resources/plan/*.json) exposes
# `load_defaults(*, session)`; it is idempotent, so running init twice adds nothing.
DEFAULT_LOADERS = (
    "ebconsole.incidents.service",
    "ebconsole.assessment.service",
    "ebconsole.obligations.service",
    "ebconsole.organisation.service",
    "ebconsole.resources.service",
    "ebconsole.drills.service",
)


def load_plan_defaults(*, session: Session) -> None:
    """Add the shipped plan data that is missing. Shipped rows are the same records on
    every workstation (deterministic ids and change rows, see `ebconsole.sync.seed`), so
    workstations that each ran `init` can exchange changes."""
    from ebconsole.sync.seed import shipped_data

    with shipped_data(session):
        for name in DEFAULT_LOADERS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            loader = getattr(module, "load_defaults", None)
            if loader is not None:
                loader(session=session)


def initialise(db: Database, installation: InstallationCreate, admin: UserCreate) -> Actor:
    """Create (or upgrade) the schema, then the installation and first administrator.

    One transaction: a failure leaves no half-initialised database behind.
    """
    prepare(db)
    with db.session(Actor.system(installation.site_code, installation.workstation_name)) as s:
        inst = users.get_installation(session=s)
        if inst is None:
            inst = users.create_installation(installation, session=s)
        user = users.get_by_username(admin.username, session=s)
        if user is None:
            user = users.create(admin, session=s)
        load_plan_defaults(session=s)
        return users.actor_for(user, inst)


# progress(phase, done, total): phase "pull" (from the hub) or "import" (from a bundle)
JoinProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class JoinResult:
    actor: Actor  # the new administrator, or the system of this workstation
    received: int  # changes taken from the hub or the bundle
    created_admin: bool


def join(
    db: Database,
    installation: InstallationCreate,
    admin: UserCreate | None = None,
    *,
    hub_url: str | None = None,
    bundle: Path | str | None = None,
    key: bytes | None = None,
    progress: JoinProgress | None = None,
) -> JoinResult:
    """A new workstation joins the bank: everything from the hub (`hub_url`) or from a
    bundle (`bundle`, signed with `key`) first, then this workstation's installation,
    the administrator `admin` if that account did not arrive, and the shipped plan data
    that is still missing.

    Only a new database may join (no installation yet); a failed pull or a refused
    bundle leaves it without installation, so `join` can simply be run again.
    """
    from ebconsole.audit.chain import origin_of
    from ebconsole.audit.models import AuditEntry
    from ebconsole.sync import state as sync_state
    from ebconsole.sync.messages import SyncError

    if (hub_url is None) == (bundle is None):
        raise ValueError("join from a hub or from a bundle")
    prepare(db)
    with db.session(readonly=True) as s:
        if users.get_installation(session=s) is not None:
            raise SyncError.one("join_not_new", "database")
    system = Actor.system(installation.site_code.upper(), installation.workstation_name)
    if hub_url is not None:
        from ebconsole.sync.hub import HubSync

        sync = HubSync(
            db,
            hub_url,
            actor=system,
            progress=progress,
        )
        try:
            result = sync.run_once()
        finally:
            sync.close()
        if not result.ok:
            raise SyncError.one("join_failed", "hub", detail=result.error or "")
        received = result.pulled
    else:
        from ebconsole.sync.bundle import import_bundle

        if key is None:
            raise ValueError("a bundle needs the deployment key")
        assert bundle is not None
        imported = import_bundle(
            db,
            bundle,
            key=key,
            actor=system,
            progress=(lambda done, total: progress("import", done, total)) if progress else None,
        )
        received = imported.applied.applied
    if admin is None and not has_accounts(db):
        # nobody could sign in here: ask for an administrator (the data taken stays;
        # joining again takes only what is new)
        raise SyncError.one("join_no_accounts", "admin")
    origin = origin_of(system.site_code, system.workstation)
    with db.session(system) as s:
        conn = s.connection()
        # this workstation's own audit rows, if it was here before (a re-installed
        # workstation under its old name), arrived already: its chain goes on from them
        top = conn.execute(
            select(func.max(AuditEntry.seq)).where(AuditEntry.origin == origin)
        ).scalar()
        if top:
            sync_state.put(conn, sync_state.audit_cursor_key(origin), str(int(top)))
        inst = users.create_installation(installation, session=s)
        user = None
        created = False
        if admin is not None:
            user = users.get_by_username(admin.username, session=s)
            if user is None:
                user = users.create(admin, session=s)
                created = True
        load_plan_defaults(session=s)
        actor = (
            users.actor_for(user, inst)
            if user is not None
            else Actor.system(inst.site_code, inst.workstation_name)
        )
    return JoinResult(actor, received, created)


def has_accounts(db: Database) -> bool:
    from ebconsole.users.models import User

    with db.session(readonly=True) as s:
        return bool(s.scalar(select(func.count()).select_from(User)))
