"""The console's settings, declared as data: key, default, type, label and where kept.

Adding a setting is adding one `Setting` to `SETTINGS`: the settings dialog builds its
form from this list. Each setting has a scope:

* `Scope.USER` — the operating-system user's own choice on this workstation (language,
  idle lock, report font, sync): the desktop console keeps them in QSettings.
* `Scope.DATABASE` — a property of the database and the disk it lives on (backup folder,
  how many backups to keep, how often to back up): kept in a small JSON file next to the
  SQLite database, `<database file>.settings.json` (`DatabaseSettings`), so that the
  console and the `ebconsole` command read the same values. Not in the database itself:
  they are needed when the database cannot be opened (a restore, the backup before a
  schema upgrade), they must not travel to other workstations with replicated data, and
  a restore must not roll them back. The file is written atomically (a private temporary
  file, fsync, rename, fsync of the folder): a value the user was told is saved survives
  a crash, and the file is never left half-written.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ebconsole.durable import write_private
from ebconsole.i18n import N_

if TYPE_CHECKING:
    from ebconsole.db.session import Database

log = logging.getLogger(__name__)


class Kind(StrEnum):
    """How a setting is edited."""

    CHOICE = "choice"
    INTEGER = "integer"
    TEXT = "text"
    FOLDER = "folder"
    FILE = "file"
    FLAG = "flag"


class Scope(StrEnum):
    """Where a setting is kept (see the module's doc)."""

    USER = "user"
    DATABASE = "database"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    type: type
    label: str  # English source, marked with N_(); translate when shown
    kind: Kind = Kind.TEXT
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); labels marked with N_()
    minimum: int | None = None
    maximum: int | None = None
    file_filter: str = ""
    # True: only a role allowed to change the workstation's settings may edit it
    # (language is everyone's own choice; security and storage are not).
    restricted: bool = True
    scope: Scope = Scope.USER

    def coerce(self, raw: Any) -> Any:
        """A stored raw value (often a string) as this setting's type; bad → default."""
        if raw is None:
            return self.default
        try:
            if self.type is bool:
                value: Any = (
                    raw.strip().lower() in ("1", "true", "yes", "on")
                    if isinstance(raw, str)
                    else bool(raw)
                )
            elif self.type is int:
                value = int(str(raw).strip()) if not isinstance(raw, int) else raw
            else:
                value = self.type(raw)
        except (TypeError, ValueError):
            return self.default
        if self.type is int:
            if self.minimum is not None and value < self.minimum:
                return self.default
            if self.maximum is not None and value > self.maximum:
                return self.default
        if self.choices and value not in {v for v, _label in self.choices}:
            return self.default
        return value


LANGUAGE = "ui/language"
IDLE_LOCK_MINUTES = "security/idle_lock_minutes"
BACKUP_FOLDER = "storage/backup_folder"
BACKUP_KEEP = "storage/backup_keep"
BACKUP_INTERVAL_HOURS = "storage/backup_interval_hours"
REPORT_FONT = "reports/font_path"
HUB_URL = "sync/hub_url"
SYNC_INTERVAL_MINUTES = "sync/interval_minutes"
SYNC_KEY_FILE = "sync/key_file"

SETTINGS: tuple[Setting, ...] = (
    Setting(
        LANGUAGE,
        "",
        str,
        N_("Language"),
        Kind.CHOICE,
        help=N_("Language of the console. Automatic follows EBCONSOLE_LANG or the system locale."),
        choices=(
            ("", N_("Automatic (system language)")),
            ("zh_CN", N_("Simplified Chinese")),
            ("en", N_("English")),
        ),
        restricted=False,
    ),
    Setting(
        IDLE_LOCK_MINUTES,
        10,
        int,
        N_("Lock after idle minutes"),
        Kind.INTEGER,
        help=N_("Lock the console after this many minutes without input; 0 never locks."),
        minimum=0,
        maximum=240,
    ),
    Setting(
        BACKUP_FOLDER,
        "",
        str,
        N_("Backup folder"),
        Kind.FOLDER,
        help=N_(
            "Where database backups are written. Empty: the 'backups' folder next to the database."
        ),
        scope=Scope.DATABASE,
    ),
    Setting(
        BACKUP_KEEP,
        14,
        int,
        N_("Backups to keep"),
        Kind.INTEGER,
        help=N_("How many automatic and how many manual backups to keep; older ones are deleted."),
        minimum=1,
        maximum=999,
        scope=Scope.DATABASE,
    ),
    Setting(
        BACKUP_INTERVAL_HOURS,
        4,
        int,
        N_("Automatic backup every (hours)"),
        Kind.INTEGER,
        help=N_("While the console runs, back up the database this often; 0 turns it off."),
        minimum=0,
        maximum=168,
        scope=Scope.DATABASE,
    ),
    Setting(
        REPORT_FONT,
        "",
        str,
        N_("Report font file"),
        Kind.FILE,
        help=N_(
            "A TrueType/OpenType font with Chinese glyphs for PDF reports. Empty: found automatically."
        ),
        file_filter="*.ttf *.ttc *.otf",
    ),
    Setting(
        HUB_URL,
        "",
        str,
        N_("Hub database (PostgreSQL URL)"),
        Kind.TEXT,
        help=N_(
            "The bank's shared PostgreSQL hub, e.g. postgresql://user@host/ebconsole. "
            "Empty: this workstation works alone (exchange USB bundles)."
        ),
    ),
    Setting(
        SYNC_INTERVAL_MINUTES,
        5,
        int,
        N_("Sync with the hub every … minutes"),
        Kind.INTEGER,
        help=N_("How often the console pushes and pulls changes in the background."),
        minimum=1,
        maximum=240,
    ),
    Setting(
        SYNC_KEY_FILE,
        "",
        str,
        N_("Deployment key file"),
        Kind.FILE,
        help=N_(
            "The bank's key that signs USB bundles; every workstation holds the same file. "
            "Empty: sync.key in the data folder."
        ),
    ),
)

_BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(
            f"no declared setting {key!r}; add it to ebconsole.settings.SETTINGS"
        ) from None


def defaults() -> dict[str, Any]:
    return {s.key: s.default for s in SETTINGS}


# -- settings kept next to the database ---------------------------------------------------
SUFFIX = ".settings.json"


class DatabaseSettings:
    """The `Scope.DATABASE` settings of one SQLite database, in `<database>.settings.json`.

        store = DatabaseSettings.for_database(db)    # None for PostgreSQL
        folder = store.get(BACKUP_FOLDER)            # typed; the default when not set
        store.set(BACKUP_FOLDER, "/media/备份")      # written durably before it returns

    Every `get` reads the file, so a value the console saved is what the next command
    sees. A missing or unreadable file gives the defaults (an unreadable one is logged)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    @classmethod
    def for_database(cls, db: Database | Path | str) -> DatabaseSettings | None:
        """The settings of a Database, a database URL or an SQLite file path; None when
        the database is not an SQLite file (PostgreSQL keeps no such file)."""
        from ebconsole.db.session import Database, normalize_url, sqlite_path

        if isinstance(db, Database):
            path = db.path
        elif isinstance(db, Path):
            path = db
        else:
            from sqlalchemy.exc import ArgumentError

            try:
                path = sqlite_path(normalize_url(db))
            except (ArgumentError, ValueError):  # not a URL at all: opening it says why
                return None
        if path is None:
            return None
        path = Path(path).expanduser().resolve()
        return cls(path.with_name(path.name + SUFFIX))

    def values(self) -> dict[str, Any]:
        """The stored raw values (only declared database settings)."""
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as err:
            log.warning("database settings %s unreadable, defaults used: %s", self.path, err)
            return {}
        if not isinstance(data, dict):
            log.warning("database settings %s: not an object, defaults used", self.path)
            return {}
        return {
            k: v for k, v in data.items() if k in _BY_KEY and _BY_KEY[k].scope is Scope.DATABASE
        }

    def has(self, key: str) -> bool:
        return _database_setting(key).key in self.values()

    def get(self, key: str) -> Any:
        decl = _database_setting(key)
        return decl.coerce(self.values().get(key))

    def set(self, key: str, value: Any) -> None:
        self.update({key: value})

    def update(self, changes: dict[str, Any]) -> None:
        """Store typed values and write the file durably (all or nothing)."""
        data = self.values()
        for key, value in changes.items():
            data[key] = _database_setting(key).coerce(value)
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_private(self.path, text.encode("utf-8"))


def _database_setting(key: str) -> Setting:
    decl = setting(key)
    if decl.scope is not Scope.DATABASE:
        raise KeyError(f"{key!r} is not kept with the database (scope {decl.scope})")
    return decl
