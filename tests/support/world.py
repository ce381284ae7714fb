"""A small, realistic starting point for tests: one branch site with three operators."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ebconsole.actor import Actor
from ebconsole.bootstrap import initialise
from ebconsole.db.session import Database
from ebconsole.users import service as users
from ebconsole.users.enums import Role
from ebconsole.users.schemas import InstallationCreate, UserCreate

if TYPE_CHECKING:
    import pytest

PASSWORD = "Duty-room-2026"
SITE = "BJ01"
WORKSTATION = "值班室-1"


def make_world(db: Database) -> None:
    admin = initialise(
        db,
        InstallationCreate(
            site_code=SITE,
            workstation_name=WORKSTATION,
            site_name="北京分行",
            default_branch="北京分行营业部",
        ),
        UserCreate(
            username="admin",
            display_name="王建国",
            role=Role.ADMINISTRATOR,
            password=PASSWORD,
            branch="北京分行营业部",
            title="系统管理员",
        ),
    )
    with db.session(admin) as s:
        users.create(
            UserCreate(
                username="coord",
                display_name="李明",
                role=Role.COORDINATOR,
                password=PASSWORD,
                branch="电子银行部",
                title="应急协调员",
            ),
            session=s,
        )
        users.create(
            UserCreate(
                username="clerk",
                display_name="张丽",
                role=Role.CLERK,
                password=PASSWORD,
                branch="北京分行营业部",
                title="柜员",
            ),
            session=s,
        )
        users.create(
            UserCreate(
                username="clerk2",
                display_name="赵强",
                role=Role.CLERK,
                password=PASSWORD,
                branch="上海分行营业部",
                title="柜员",
            ),
            session=s,
        )


def build_world_file(path: Path) -> None:
    """A SQLite file at head holding the test world, every connection closed."""
    from ebconsole.db.migrate import prepare

    db = Database(str(path))
    prepare(db)
    make_world(db)
    db.dispose()  # the last connection closing checkpoints the WAL into the main file


def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world's SQLite file, built once a test run (tests/support/shared.py): the core's
    and the console's tests copy it before writing."""
    from tests.support.shared import built_once

    return built_once(tmp_path_factory, "world.sqlite3", build_world_file)


@dataclass(frozen=True)
class World:
    admin: Actor
    coordinator: Actor
    clerk: Actor
    clerk_other_branch: Actor

    @classmethod
    def load(cls, db: Database) -> World:
        with db.session(readonly=True) as s:
            inst = users.require_installation(session=s)

            def actor(name: str) -> Actor:
                user = users.get_by_username(name, session=s)
                assert user is not None
                return users.actor_for(user, inst)

            return cls(actor("admin"), actor("coord"), actor("clerk"), actor("clerk2"))
