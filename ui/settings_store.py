"""The workstation's settings and window layout, kept in QSettings.

Declared settings (`ebconsole.settings.SETTINGS`) are read typed through `get`/`set`.
Those kept with the database (`Scope.DATABASE`: backup folder, backups to keep, backup
interval) go to the file next to the SQLite database (`ebconsole.settings.
DatabaseSettings`) once `use_database` named it, so that `ebconsole backup` reads what the
console saved; values this user had in QSettings before are carried over into it once.
Without a database file (PostgreSQL, or before one is named) they stay in QSettings.
Window geometry, dock/toolbar state, splitter and table header states are saved under
`geometry/…`, `state/…`, `splitter/…`, `header/…` by name:

    store.restore_header(self.table.horizontalHeader(), "incidents/table")
    ...
    store.save_header(self.table.horizontalHeader(), "incidents/table")
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

from ebconsole.paths import APP_NAME
from ebconsole.settings import SETTINGS, DatabaseSettings, Scope, setting

ORGANISATION = APP_NAME
log = logging.getLogger(__name__)

LAST_USER = "login/last_user"


class SettingsStore:
    """A QSettings in INI format: the workstation user's own file, or `path` (tests)."""

    def __init__(self, path: Path | str | None = None):
        if path is None:
            self.qsettings = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APP_NAME
            )
        else:
            self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        self.database: DatabaseSettings | None = None

    @property
    def file_name(self) -> str:
        return self.qsettings.fileName()

    def use_database(self, db: Any) -> DatabaseSettings | None:
        """Keep the database's settings next to `db` (a Database, URL or SQLite path);
        carries over values this user had saved in QSettings before, once."""
        store = DatabaseSettings.for_database(db)
        if store is None:  # not an SQLite file (PostgreSQL): they stay in QSettings
            self.database = None
            return None
        if self.database is not None and self.database.path == store.path:
            return self.database
        self.database = store
        stored = store.values()
        legacy = {
            s.key: self.qsettings.value(s.key)
            for s in SETTINGS
            if s.scope is Scope.DATABASE and s.key not in stored and self.qsettings.contains(s.key)
        }
        if legacy:
            try:
                store.update(legacy)
            except OSError as exc:  # read-only folder: they are still read from QSettings
                log.warning("backup settings not carried over to %s: %s", store.path, exc)
                self.database = None
                return None
        return store

    def _database_store(self, key: str) -> DatabaseSettings | None:
        return self.database if setting(key).scope is Scope.DATABASE else None

    # -- declared settings -------------------------------------------------------------
    def get(self, key: str) -> Any:
        decl = setting(key)
        store = self._database_store(key)
        if store is not None:
            return store.get(key)
        return decl.coerce(self.qsettings.value(key, None))

    def set(self, key: str, value: Any) -> None:
        """Store a value; one kept with the database is on disk (fsync'ed) on return."""
        decl = setting(key)
        store = self._database_store(key)
        if store is not None:
            store.set(key, value)
            return
        self.qsettings.setValue(key, decl.coerce(value))

    # -- free keys (last user, per-tab choices) ----------------------------------------
    def value(self, key: str, default: Any = None) -> Any:
        return self.qsettings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)

    def sync(self) -> None:
        self.qsettings.sync()

    # -- layout ------------------------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        raw = self.qsettings.value(key)
        if isinstance(raw, QByteArray) and not raw.isEmpty():
            return raw
        if isinstance(raw, bytes | bytearray) and raw:
            return QByteArray(bytes(raw))
        return None

    def save_geometry(self, widget: QWidget, name: str) -> None:
        self.qsettings.setValue(f"geometry/{name}", widget.saveGeometry())
        if isinstance(widget, QMainWindow):
            self.qsettings.setValue(f"state/{name}", widget.saveState())

    def restore_geometry(self, widget: QWidget, name: str) -> bool:
        """True when a saved geometry was applied."""
        data = self._bytes(f"geometry/{name}")
        restored = data is not None and widget.restoreGeometry(data)
        if isinstance(widget, QMainWindow):
            state = self._bytes(f"state/{name}")
            if state is not None:
                widget.restoreState(state)
        return bool(restored)

    def save_splitter(self, splitter: QSplitter, name: str) -> None:
        self.qsettings.setValue(f"splitter/{name}", splitter.saveState())

    def restore_splitter(self, splitter: QSplitter, name: str) -> bool:
        data = self._bytes(f"splitter/{name}")
        return data is not None and splitter.restoreState(data)

    def save_header(self, header: QHeaderView, name: str) -> None:
        self.qsettings.setValue(f"header/{name}", header.saveState())

    def restore_header(self, header: QHeaderView, name: str) -> bool:
        data = self._bytes(f"header/{name}")
        return data is not None and header.restoreState(data)
