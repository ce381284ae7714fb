"""What a backup is and what checking one found (plain values: they cross threads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class BackupCheck:
    """A backup file that passed every check: SQLite, intact, ebconsole's, not newer."""

    path: Path
    size: int
    revision: str
    site_code: str
    workstation: str
    incidents: int
    needs_upgrade: bool  # an older schema: the next start upgrades it (after a backup)


@dataclass(frozen=True)
class BackupInfo:
    """A backup that was written and checked."""

    path: Path
    created_at: datetime  # aware UTC
    size: int
    revision: str
    removed: tuple[Path, ...] = ()  # older backups deleted by the rotation


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupCheck
    database: Path
    safety_copy: Path | None  # the database as it was before the restore
