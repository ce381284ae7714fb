"""First start of a database: installation identity, first administrator, plan defaults."""

from __future__ import annotations

import importlib

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
