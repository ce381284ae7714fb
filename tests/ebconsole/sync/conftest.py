"""Workstations for the replication tests: real SQLite files, a real PostgreSQL hub.

Workstation A is the test world (site BJ01, 值班室-1). Another workstation joins the
bank as a new one does: an empty database at head receives everything A recorded (here
through a bundle-free apply of A's change log), then gets its own installation.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ebconsole.actor import Actor
from ebconsole.db.migrate import prepare
from ebconsole.db.session import Database
from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from ebconsole.incidents.schemas import IncidentUpdate, TimelineEntryCreate
from ebconsole.sync.apply import apply_changes, change_dict
from ebconsole.sync.models import ChangeLog, SyncConflict
from ebconsole.sync.tables import replicated_tables, row_state
from ebconsole.users import service as users
from ebconsole.users.schemas import InstallationCreate
from tests.ebconsole.incidents.samples import outage_intake
from tests.support.postgres import WorldDatabase
from tests.support.world import World


@dataclass
class Workstation:
    name: str
    db: Database
    actor: Actor  # the coordinator signed in at this workstation

    def log(self) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as s:
            return [
                change_dict(r) for r in s.scalars(select(ChangeLog).order_by(ChangeLog.local_seq))
            ]

    def record_incident(self, title: str) -> Any:
        with self.db.session(self.actor) as s:
            return incidents.create(parse_intake(outage_intake(title=title)), session=s).id

    def edit(self, incident_id: Any, **fields: Any) -> None:
        with self.db.session(self.actor) as s:
            incidents.update(incident_id, IncidentUpdate(**fields), session=s)

    def note(self, incident_id: Any, text: str) -> None:
        with self.db.session(self.actor) as s:
            incidents.record_action(incident_id, TimelineEntryCreate(text=text), session=s)


def canonical(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every replicated table's rows as JSON, in primary-key order."""
    out: dict[str, list[dict[str, Any]]] = {}
    with db.session(readonly=True) as s:
        for table in replicated_tables():
            rows = s.connection().execute(select(table)).mappings()
            out[table.name] = sorted(
                (row_state(table, r) for r in rows), key=lambda r: str(r.get("id"))
            )
    return out


def conflicts(db: Database) -> list[tuple[str, str, str, str | None]]:
    with db.session(readonly=True) as s:
        return sorted(
            (str(c.id), str(c.winner_change_id), str(c.loser_change_id), c.resolution)
            for c in s.scalars(select(SyncConflict))
        )


def change_ids(db: Database) -> set[str]:
    with db.session(readonly=True) as s:
        return {str(c) for c in s.scalars(select(ChangeLog.change_id))}


def join(path: Path, source: Workstation, site: str, workstation: str) -> Workstation:
    """A new workstation of the same bank: empty database, everything `source` knows,
    then its own installation."""
    db = Database(str(path))
    prepare(db)
    system = Actor.system(site, workstation)
    with db.session(system) as s:
        apply_changes(s, source.log())
    with db.session(system) as s:
        users.create_installation(
            InstallationCreate(
                site_code=site,
                workstation_name=workstation,
                site_name="北京分行",
                default_branch="北京分行营业部",
            ),
            session=s,
        )
    with db.session(readonly=True) as s:
        inst = users.require_installation(session=s)
        coord = users.get_by_username("coord", session=s)
        assert coord is not None
        actor = users.actor_for(coord, inst)
    return Workstation(workstation, db, actor)


@pytest.fixture
def ws_a(sqlite_template, tmp_path) -> Iterator[Workstation]:
    path = tmp_path / "a.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(str(path))
    yield Workstation("A", db, World.load(db).coordinator)
    db.dispose()


@pytest.fixture
def ws_b(ws_a, tmp_path) -> Iterator[Workstation]:
    ws = join(tmp_path / "b.sqlite3", ws_a, "BJ01B", "值班室-2")
    yield ws
    ws.db.dispose()


@pytest.fixture
def ws_c(ws_a, tmp_path) -> Iterator[Workstation]:
    ws = join(tmp_path / "c.sqlite3", ws_a, "SH01A", "上海值班室")
    yield ws
    ws.db.dispose()


@pytest.fixture(scope="session")
def prepared_hub_template(postgres_server) -> str:
    """A hub database as the first sync leaves it before any change arrives: at head."""
    name = postgres_server.create_database()
    db = Database(postgres_server.url(name))
    prepare(db)  # what HubSync does to a hub it has not brought up to date yet
    db.dispose()
    return name


@pytest.fixture(scope="session")
def prepared_hubs(postgres_server, prepared_hub_template) -> Iterator[WorldDatabase]:
    pool = WorldDatabase(postgres_server, prepared_hub_template)
    yield pool
    pool.close()


@pytest.fixture
def hub_url(postgres_server, prepared_hubs) -> str:
    """A hub at head holding no change yet: one database for the session, its rows put
    back to the prepared hub's before each test (tests/support/postgres.py). A test that
    changed its schema gets the next one a new clone, so HubSync's memory of the hubs it
    brought up to date stays true for the reused URL."""
    return postgres_server.url(prepared_hubs.fresh())


@pytest.fixture
def empty_hub_url(postgres_server) -> str:
    """A fresh, empty database: the first sync builds the hub (migrates it to head)."""
    return postgres_server.url(postgres_server.create_database())
