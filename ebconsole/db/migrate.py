"""Open a database safely: create and stamp a new one, back up then upgrade an older one,
refuse one written by a newer ebconsole.

Alembic is imported only when there is something to do: a database at the current
schema (every start but the first after an update) is recognised by one read of its
version table against the newest migration file's name (`_latest_file_revision`).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc, inspect, text

from ebconsole.db.session import Database
from ebconsole.errors import DatabaseVersionError

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(scripts: Path | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(scripts or MIGRATIONS))
    return cfg


def head_revision(scripts: Path | None = None) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(scripts)).get_current_head()
    assert head is not None
    return head


def known_revisions(scripts: Path | None = None) -> set[str]:
    from alembic.script import ScriptDirectory

    return {
        s.revision for s in ScriptDirectory.from_config(alembic_config(scripts)).walk_revisions()
    }


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _latest_file_revision(scripts: Path | None = None) -> str | None:
    """The newest migration by file name: each file is named after its revision id,
    numbered in order (`0005_incident_search.py`), so this is the head
    (tests/ebconsole/db/test_migrations.py holds the scripts to it)."""
    names = sorted(p.stem for p in ((scripts or MIGRATIONS) / "versions").glob("[0-9]*.py"))
    return names[-1] if names else None


def _stored_revision(db: Database) -> str | None:
    """One read of the version table (None: no table, or no row)."""
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except exc.DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


@dataclass(frozen=True)
class OpenResult:
    created: bool = False
    upgraded_from: str | None = None
    backup: Path | None = None


def backup_sqlite(db: Database, dest_dir: Path, label: str) -> Path | None:
    """Copy a live SQLite database with SQLite's online backup (safe while it is in use),
    checked and private (ebconsole.backup.service.create_backup)."""
    from ebconsole.backup.service import create_backup

    if db.path is None or not db.path.exists():
        return None
    return create_backup(db, dest_dir, keep=None, label=label).path


def prepare(
    db: Database, *, backup_dir: Path | None = None, scripts: Path | None = None
) -> OpenResult:
    """Bring the schema to head, or refuse. Call once before using `db`.

    `scripts` points at another migrations folder (tests of the upgrade path).
    """
    _restrict_permissions(db)  # also a database made before files were created private
    stored = _stored_revision(db)
    if stored is not None and stored == _latest_file_revision(scripts):
        return OpenResult()  # current: no need to load Alembic
    from alembic import command

    current = current_revision(db)
    head = head_revision(scripts)
    if current == head:
        return OpenResult()
    if current is None:
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        if tables:
            raise DatabaseVersionError.one(
                "db_unknown", "database", found=", ".join(sorted(tables))[:80]
            )
        from ebconsole.incidents import search
        from ebconsole.models import Base

        Base.metadata.create_all(db.engine)
        _restrict_permissions(db)
        cfg = alembic_config(scripts)
        with db.engine.begin() as conn:
            if scripts is None:  # what the migrations add beside the models' tables
                search.install(conn)
            cfg.attributes["connection"] = conn
            command.stamp(cfg, "head")
        return OpenResult(created=True)
    if current not in known_revisions(scripts):
        raise DatabaseVersionError.one("db_newer", "database", found=current, known=head)
    backup = None
    if db.path is not None:
        from ebconsole.backup.service import backup_folder

        # the folder given, else the database's backup-folder setting, else `backups`
        folder = backup_folder(db.path, backup_dir)
        backup = backup_sqlite(db, folder, f"before-{head[:8]}")
    log.info("upgrading database from %s to %s (backup: %s)", current, head, backup)
    cfg = alembic_config(scripts)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return OpenResult(upgraded_from=current, backup=backup)


def _restrict_permissions(db: Database) -> None:
    """The database and its -wal/-shm files: readable by their owner only."""
    if db.path is None:
        return
    for path in (db.path, Path(f"{db.path}-wal"), Path(f"{db.path}-shm")):
        with contextlib.suppress(OSError):  # missing, or another user's file
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
