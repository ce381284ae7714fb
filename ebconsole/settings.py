"""The console's settings, declared as data: key, default, type and label.

The core only declares them and turns stored raw values into typed ones; where they are
kept is the caller's business (the desktop console keeps them in QSettings, per
workstation user). Adding a setting is adding one `Setting` to `SETTINGS`: the settings
dialog builds its form from this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ebconsole.i18n import N_


class Kind(StrEnum):
    """How a setting is edited."""

    CHOICE = "choice"
    INTEGER = "integer"
    TEXT = "text"
    FOLDER = "folder"
    FILE = "file"
    FLAG = "flag"


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
