"""Fixtures for the core's service tests: each runs on a real SQLite file and on a real
PostgreSQL database holding exactly the template's rows (schema at head, the test world).

PostgreSQL: each worker keeps one database cloned from the template and, before each test,
puts every table's rows back as the template has them (tests/support/postgres.py,
WorldDatabase) — a tenth of the cost of CREATE DATABASE … TEMPLATE per test. A test that
changes the schema gets the next test a new clone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from ebconsole.actor import Actor
from ebconsole.db.migrate import prepare
from ebconsole.db.session import Database
from tests.support.world import World, make_world, world_template


@pytest.fixture(scope="session")
def postgres_template(postgres_server):
    name = postgres_server.create_database()
    db = Database(postgres_server.url(name))
    prepare(db)
    make_world(db)  # installation, users and the default plan data
    db.dispose()
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """The world's SQLite file, built once a run and shared by the workers (and the
    console's tests: tests/support/world.py, world_template)."""
    return world_template(tmp_path_factory)


@pytest.fixture
def world_db_path(sqlite_template):
    """The prepared SQLite file with the test world (copy it before writing)."""
    return sqlite_template


@pytest.fixture(scope="session")
def postgres_world(postgres_server, postgres_template):
    from tests.support.postgres import WorldDatabase

    world_db = WorldDatabase(postgres_server, postgres_template)
    yield world_db
    world_db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def db(backend, tmp_path, request) -> Iterator[Database]:
    if backend == "sqlite":
        path = tmp_path / "ebconsole.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        database = Database(str(path))
        yield database
        database.dispose()
    else:
        server = request.getfixturevalue("postgres_server")
        name = request.getfixturevalue("postgres_world").fresh()
        database = Database(server.url(name))
        yield database
        database.dispose()


@pytest.fixture
def world(db) -> World:
    return World.load(db)


@pytest.fixture
def admin(world) -> Actor:
    return world.admin


@pytest.fixture
def coordinator(world) -> Actor:
    return world.coordinator


@pytest.fixture
def clerk(world) -> Actor:
    return world.clerk
