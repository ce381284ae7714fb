"""Backups of the embedded SQLite database, and restoring one.

    info = create_backup(db, folder, keep=14)        # online copy, checked, rotated
    check = check_backup(path)                       # refuses a bad file with an EbError
    result = restore_backup(db_path, path)           # check, safety copy, atomic replace

* A backup is taken with SQLite's online backup API from its own connection: it reads one
  consistent snapshot while the console keeps working (WAL: readers never block writers).
  The copy is written to a `.partial` file created 0600, switched to a single
  self-contained file (journal_mode=DELETE), checked (`PRAGMA integrity_check` = ok and
  the schema revision readable), fsync'ed and only then renamed to its final name
  `<db>-<site>-<workstation>-<label>-<UTC time>.sqlite3`. Folders we create are 0700.
* Rotation keeps the `keep` newest backups of the same database, site, workstation and
  label and deletes older ones; it never touches any other file.
* A restore refuses — before anything is replaced — a file that is missing, not SQLite,
  truncated, damaged, not ebconsole's or written by a newer ebconsole. Then it copies the
  backup next to the database, checks that copy again, takes SQLite's exclusive lock on
  the current database (a console or command that has it open holds a shared lock, so
  the restore is refused while one runs), writes a safety copy of the current database,
  and replaces it with one `os.replace`; stale `-wal`/`-shm`/`-journal` files of the old
  database are removed while the lock is still held.

Only SQLite is handled here: a shared PostgreSQL server is backed up with its own tools.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
import uuid
from datetime import datetime
from pathlib import Path

from ebconsole.actor import Actor
from ebconsole.backup import messages  # noqa: F401  (registers the error codes)
from ebconsole.backup.schemas import BackupCheck, BackupInfo, RestoreResult
from ebconsole.db.session import Database, normalize_url, sqlite_path
from ebconsole.durable import fsync_dir
from ebconsole.errors import EbError, ValidationFailed
from ebconsole.settings import BACKUP_FOLDER, BACKUP_KEEP, DatabaseSettings, setting
from ebconsole.timeutil import utcnow
from ebconsole.users.permissions import Permission, has, require

SUFFIX = ".sqlite3"
PARTIAL = ".partial"
SQLITE_HEADER = b"SQLite format 3\x00"
# tables every ebconsole database has (a file without them is someone else's database)
REQUIRED_TABLES = ("alembic_version", "installation", "user_account", "incident")
DEFAULT_KEEP = 14
STAMP = "%Y%m%dT%H%M%S"
_STAMP_RE = r"\d{8}T\d{6}\.\d{3}Z"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+')
LOCK_TIMEOUT = 2.0  # seconds to wait for a short read of another connection to end
FILE = "file"


# -- who may -------------------------------------------------------------------------------
# The rules are the core's one table (`ebconsole.users.permissions`): coordinators and
# administrators back up (a backup holds every customer's data), administrators restore;
# the scheduled backup and the backup before a migration run as the system.
def may_back_up(actor: Actor) -> bool:
    return has(actor, Permission.BACK_UP)


def may_restore(actor: Actor) -> bool:
    return has(actor, Permission.RESTORE_BACKUP)


def require_back_up(actor: Actor) -> None:
    require(actor, Permission.BACK_UP)


def require_restore(actor: Actor) -> None:
    require(actor, Permission.RESTORE_BACKUP)


# -- where ---------------------------------------------------------------------------------
def database_path(db: Database | Path | str) -> Path:
    """The SQLite file of `db` (a Database, a URL or a path); refuses PostgreSQL."""
    if isinstance(db, Database):
        path = db.path
    elif isinstance(db, Path):
        path = db
    else:
        path = sqlite_path(normalize_url(db))
    if path is None:
        raise ValidationFailed.one("backup_not_sqlite", "database")
    return Path(path).resolve()


def default_folder(db_path: Path) -> Path:
    """Empty backup-folder setting: the `backups` folder next to the database (for the
    default database that is `<user data dir>/backups`)."""
    return db_path.parent / "backups"


def configured_folder(db_path: Path) -> Path | None:
    """The backup folder set for this database (setting *Backup folder*, kept next to the
    database: `ebconsole.settings.DatabaseSettings`), or None when it is not set."""
    store = DatabaseSettings.for_database(db_path)
    folder = store.get(BACKUP_FOLDER) if store is not None else ""
    return Path(folder).expanduser() if folder else None


def configured_keep(db_path: Path) -> int:
    """How many backups of a kind to keep (setting *Backups to keep*)."""
    store = DatabaseSettings.for_database(db_path)
    return int(store.get(BACKUP_KEEP) if store is not None else setting(BACKUP_KEEP).default)


def backup_folder(db_path: Path, configured: str | Path | None = None) -> Path:
    """`configured` (a folder given for this one backup), else the database's backup
    folder setting, else `backups` next to the database."""
    if configured:
        return Path(configured).expanduser()
    return configured_folder(db_path) or default_folder(db_path)


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._") or "_"


def name_prefix(db_path: Path, site: str, workstation: str, label: str) -> str:
    parts = [db_path.stem, site, workstation, label]
    return "-".join(_safe(p) for p in parts if p) + "-"


def _pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + _STAMP_RE + re.escape(SUFFIX))


def _stamp(at: datetime) -> str:
    return at.strftime(STAMP) + f".{at.microsecond // 1000:03d}Z"


def _make_folder(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)


# -- low-level helpers ---------------------------------------------------------------------
def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _create_private(path: Path) -> None:
    """An empty file only its owner may read (an empty file is a valid SQLite database)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _integrity_problem(conn: sqlite3.Connection) -> str | None:
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
    return None if rows == ["ok"] else "; ".join(rows)[:300]


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _identity(conn: sqlite3.Connection) -> tuple[str, str]:
    try:
        row = conn.execute(
            "SELECT site_code, workstation_name FROM installation LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError:
        return "", ""
    return (str(row[0]), str(row[1])) if row else ("", "")


def _revision(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or not row[0]:
        raise sqlite3.DatabaseError("no schema revision")
    return str(row[0])


def _copy_with_backup_api(src: sqlite3.Connection, dest: Path, *, check: bool = True) -> str:
    """Write `src` into the new private file `dest` with the online backup API; switch the
    copy to a rollback journal (one self-contained file), check it. Returns the revision."""
    _create_private(dest)
    out = sqlite3.connect(str(dest))
    try:
        src.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")
        if not check:
            return ""
        problem = _integrity_problem(out)
        if problem:
            raise ValidationFailed.one("backup_check_failed", "backup", detail=problem)
        try:
            return _revision(out)
        except sqlite3.DatabaseError as err:
            raise ValidationFailed.one("backup_check_failed", "backup", detail=str(err)) from None
    finally:
        out.close()


def _discard(path: Path) -> None:
    for p in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


def _connect(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    return conn


# -- backing up ----------------------------------------------------------------------------
def create_backup(
    db: Database | Path | str,
    folder: Path | str | None = None,
    *,
    keep: int | None = DEFAULT_KEEP,
    label: str = "manual",
) -> BackupInfo:
    """Copy the live database into `folder` (default: the database's backup folder
    setting, else `backups` next to it), check the
    copy, then delete all but the `keep` newest backups of this kind (None: keep all)."""
    db_path = database_path(db)
    if not db_path.is_file():
        raise ValidationFailed.one("backup_no_database", "database", path=str(db_path))
    target = backup_folder(db_path, folder)
    try:
        _make_folder(target)
    except OSError as err:
        raise ValidationFailed.one(
            "backup_write_failed",
            "backup_folder",
            path=str(target),
            detail=err.strerror or str(err),
        ) from None
    src = _connect(db_path)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        site, workstation = _identity(src)
        prefix = name_prefix(db_path, site, workstation, label)
        at = utcnow()
        dest = target / f"{prefix}{_stamp(at)}{SUFFIX}"
        while dest.exists():  # two backups within one millisecond
            at = at.replace(microsecond=(at.microsecond + 1000) % 1_000_000)
            dest = target / f"{prefix}{_stamp(at)}{SUFFIX}"
        partial = dest.with_name(dest.name + PARTIAL)
        try:
            revision = _copy_with_backup_api(src, partial)
            _fsync_file(partial)
            os.replace(partial, dest)
            fsync_dir(target)
        except BaseException as err:
            _discard(partial)
            if isinstance(err, OSError):
                raise ValidationFailed.one(
                    "backup_write_failed",
                    "backup_folder",
                    path=str(target),
                    detail=err.strerror or str(err),
                ) from None
            if isinstance(err, sqlite3.Error) and not isinstance(err, EbError):
                raise ValidationFailed.one(
                    "backup_write_failed", "backup_folder", path=str(target), detail=str(err)
                ) from None
            raise
    finally:
        src.close()
    removed = rotate(target, prefix, keep) if keep else ()
    return BackupInfo(dest, at, dest.stat().st_size, revision, removed)


def list_backups(folder: Path, prefix: str) -> list[Path]:
    """Finished backups with this name prefix, newest first."""
    if not folder.is_dir():
        return []
    pattern = _pattern(prefix)
    found = [p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def rotate(folder: Path, prefix: str, keep: int) -> tuple[Path, ...]:
    """Delete all but the `keep` newest backups with this prefix, and `.partial` leftovers
    of an interrupted backup older than an hour."""
    removed: list[Path] = []
    for old in list_backups(folder, prefix)[max(keep, 1) :]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
            removed.append(old)
    partial = re.compile(re.escape(prefix) + _STAMP_RE + re.escape(SUFFIX + PARTIAL))
    hour_ago = time.time() - 3600
    for p in folder.iterdir():
        if partial.fullmatch(p.name):
            with contextlib.suppress(OSError):
                if p.stat().st_mtime < hour_ago:
                    _discard(p)
    return tuple(removed)


# -- checking ------------------------------------------------------------------------------
def _read_header(path: Path) -> tuple[bytes, int]:
    if not path.is_file():
        raise ValidationFailed.one("restore_missing", FILE, path=str(path))
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise ValidationFailed.one("restore_not_sqlite", FILE, path=path.name)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ValidationFailed.one("restore_corrupt", FILE, path=path.name, detail="page size")
    pages = int.from_bytes(header[28:32], "big")
    header_valid = pages > 0 and header[24:28] == header[92:96]
    expected = pages * page_size if header_valid else -(-size // page_size) * page_size
    if size % page_size or size < expected:
        raise ValidationFailed.one(
            "restore_truncated", FILE, path=path.name, size=size, expected=expected
        )
    return header, size


def _inspect(conn: sqlite3.Connection, path: Path, size: int) -> BackupCheck:
    """Integrity and schema of an open copy; raises the EbError that names the problem."""
    from ebconsole.db.migrate import head_revision, known_revisions

    try:
        problem = _integrity_problem(conn)
        if problem:
            raise ValidationFailed.one("restore_corrupt", FILE, path=path.name, detail=problem)
        missing = [t for t in REQUIRED_TABLES if t not in _tables(conn)]
        if missing:
            raise ValidationFailed.one(
                "restore_foreign", FILE, path=path.name, missing=", ".join(missing)
            )
        try:
            revision = _revision(conn)
        except sqlite3.DatabaseError:
            raise ValidationFailed.one(
                "restore_foreign", FILE, path=path.name, missing="alembic_version"
            ) from None
        head = head_revision()
        if revision not in known_revisions():
            raise ValidationFailed.one("restore_newer", FILE, found=revision[:40], known=head)
        site, workstation = _identity(conn)
        incidents = int(conn.execute("SELECT count(*) FROM incident").fetchone()[0])
    except sqlite3.DatabaseError as err:
        raise ValidationFailed.one(
            "restore_corrupt", FILE, path=path.name, detail=str(err)[:200]
        ) from None
    return BackupCheck(path, size, revision, site, workstation, incidents, revision != head)


def check_backup(path: Path | str) -> BackupCheck:
    """Every check a restore makes, on the backup file itself, read-only (a write-protected
    backup medium is fine). Raises ValidationFailed naming the problem."""
    path = Path(path).expanduser().resolve()
    _header, size = _read_header(path)
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.DatabaseError as err:
        raise ValidationFailed.one(
            "restore_corrupt", FILE, path=path.name, detail=str(err)
        ) from None
    try:
        return _inspect(conn, path, size)
    finally:
        conn.close()


# -- restoring -----------------------------------------------------------------------------
def _lock_exclusively(db_path: Path, timeout: float) -> sqlite3.Connection | None:
    """SQLite's own exclusive lock on the database, kept until the connection closes.
    Every connection of a console or command that has the file open in WAL mode holds a
    shared lock, so this fails while one runs: the restore is refused. None when the
    file is not a readable database at all (nobody can be using it)."""
    conn = _connect(db_path, timeout=timeout)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as err:
        conn.close()
        if "locked" in str(err) or "busy" in str(err):
            raise ValidationFailed.one("restore_in_use", "database") from None
        return None
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def _safety_copy(lock: sqlite3.Connection | None, db_path: Path, folder: Path) -> Path:
    """The current database, before it is replaced: a checked-out online copy when it is
    readable, else the raw file (and its WAL) as found — a damaged database is kept too."""
    _make_folder(folder)
    site, workstation = _identity(lock) if lock is not None else ("", "")
    prefix = name_prefix(db_path, site, workstation, "before-restore")
    dest = folder / f"{prefix}{_stamp(utcnow())}{SUFFIX}"
    if lock is not None:
        try:
            _copy_with_backup_api(lock, dest, check=False)
            _fsync_file(dest)
            fsync_dir(folder)
            return dest
        except sqlite3.DatabaseError:
            _discard(dest)
    for source, target in ((db_path, dest), (Path(f"{db_path}-wal"), Path(f"{dest}-wal"))):
        if source.is_file():
            _create_private(target)
            with open(source, "rb") as fin, open(target, "wb") as fout:
                shutil.copyfileobj(fin, fout)
                fout.flush()
                os.fsync(fout.fileno())
    fsync_dir(folder)
    return dest


def restore_backup(
    db_path: Path | str,
    backup_file: Path | str,
    *,
    safety_folder: Path | str | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> RestoreResult:
    """Replace the database at `db_path` by a checked backup. Nothing is replaced when any
    check fails or another program has the database open. Close this process's own
    connections first (`Database.dispose()`)."""
    db_path = Path(db_path).expanduser().resolve()
    source = Path(backup_file).expanduser().resolve()
    if db_path.exists() and source.exists() and os.path.samefile(db_path, source):
        raise ValidationFailed.one("restore_same_file", FILE)
    check_backup(source)  # refuse a bad file before anything is written
    folder = db_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{db_path.name}.restore-{uuid.uuid4().hex[:12]}.tmp"
    lock: sqlite3.Connection | None = None
    try:
        # the copy that will become the database is checked again, not only the source
        _create_private(tmp)
        with open(source, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
        _header, size = _read_header(tmp)
        conn = _connect(tmp)
        try:
            found = _inspect(conn, source, size)
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        _fsync_file(tmp)

        safety = None
        if db_path.exists():
            lock = _lock_exclusively(db_path, lock_timeout)
            safety = _safety_copy(lock, db_path, backup_folder(db_path, safety_folder))
            if lock is not None:
                # checkpoint and remove the old WAL while we hold the lock
                lock.execute("PRAGMA journal_mode=DELETE")
        os.replace(tmp, db_path)
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{db_path}{suffix}").unlink()
        fsync_dir(folder)
    except BaseException:
        _discard(tmp)
        raise
    finally:
        if lock is not None:
            lock.close()
    return RestoreResult(found, db_path, safety)
