"""Open a database safely: create and stamp a new one, back up then upgrade an older one,
refuse one written by a newer ebconsole."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from ebconsole.db.session import Database
from ebconsole.errors import DatabaseVersionError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(scripts: Path | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts or MIGRATIONS))
    return cfg


def head_revision(scripts: Path | None = None) -> str:
    head = ScriptDirectory.from_config(alembic_config(scripts)).get_current_head()
    assert head is not None
    return head


def known_revisions(scripts: Path | None = None) -> set[str]:
    return {
        s.revision for s in ScriptDirectory.from_config(alembic_config(scripts)).walk_revisions()
    }


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
    current = current_revision(db)
    head = head_revision(scripts)
    _restrict_permissions(db)  # also a database made before files were created private
    if current == head:
        return OpenResult()
    if current is None:
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        if tables:
            raise DatabaseVersionError.one(
                "db_unknown", "database", found=", ".join(sorted(tables))[:80]
            )
        from ebconsole.models import Base

        Base.metadata.create_all(db.engine)
        _restrict_permissions(db)
        cfg = alembic_config(scripts)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.stamp(cfg, "head")
        return OpenResult(created=True)
    if current not in known_revisions(scripts):
        raise DatabaseVersionError.one("db_newer", "database", found=current, known=head)
    backup = None
    if db.path is not None:
        backup = backup_sqlite(db, backup_dir or db.path.parent / "backups", f"before-{head[:8]}")
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
