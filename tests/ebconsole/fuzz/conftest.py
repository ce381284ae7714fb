"""Helpers for hostile-input tests: a private SQLite copy of the world, row counts."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from ebconsole.db.session import Database
from ebconsole.models import Base
from tests.support.world import World


def row_counts(db: Database) -> dict[str, int]:
    """Rows of every table: a refused input must leave every one unchanged."""
    with db.session(readonly=True) as s:
        return {
            t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("fuzz") / "ebconsole.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(str(path))
    yield db, World.load(db)
    db.dispose()
