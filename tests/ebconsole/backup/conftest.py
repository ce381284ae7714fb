"""A private copy of the prepared test world as a SQLite file, for backup tests."""

from __future__ import annotations

import shutil

import pytest

from ebconsole.db.session import Database
from tests.support.world import World


@pytest.fixture
def live(tmp_path, world_db_path):
    """(Database, World) on a copy of the world in `tmp_path/site/ebconsole.sqlite3`."""
    folder = tmp_path / "site"
    folder.mkdir()
    path = folder / "ebconsole.sqlite3"
    shutil.copyfile(world_db_path, path)
    db = Database(str(path))
    yield db, World.load(db)
    db.dispose()
