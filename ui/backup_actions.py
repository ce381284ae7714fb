"""Backups in the console: an automatic backup on a schedule while the console runs, and
"Back up now…" / "Restore from backup…" in the File menu.

The main window calls `attach(window, menu)` whenever it builds its menus; the first call
creates the one `BackupActions` of the window (its timer lives as long as the window).
All work runs off the UI thread (`ui.ops`): backups on the read pool (SQLite's online
backup never blocks the writers), a restore on the single writer thread, after this
console's own connections were closed. After a restore the console is locked: the next
operator signs in against the accounts of the restored database.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from ebconsole.backup import service as backups
from ebconsole.backup.schemas import BackupCheck, BackupInfo, RestoreResult
from ebconsole.i18n import _
from ebconsole.settings import BACKUP_FOLDER, BACKUP_INTERVAL_HOURS, BACKUP_KEEP
from ui.context import Context
from ui.errors import error_text, show_error
from ui.ops import Changes, Op

log = logging.getLogger(__name__)

HOUR_MS = 3_600_000


class BackupActions(QObject):
    """The schedule and the two menu actions of one main window."""

    backed_up = Signal(object)  # BackupInfo, automatic or manual
    backup_failed = Signal(object)  # the exception
    restored = Signal(object)  # RestoreResult

    def __init__(self, window: QMainWindow, ctx: Context):
        super().__init__(window)
        self.setObjectName("backup_actions")
        self.window = window
        self.ctx = ctx
        self.running: Op | None = None
        self.last_dialog: QObject | None = None  # the latest box or file dialog (tests)
        self.timer = QTimer(self)
        self.timer.setObjectName("backup_timer")
        self.timer.timeout.connect(self.run_scheduled)
        ctx.hub.changed.connect(self._changed)
        # folder, keep and interval are kept next to the database, where `ebconsole
        # backup` reads them too
        ctx.settings.use_database(ctx.db)
        self.apply_settings()

    # -- settings --------------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if changes.settings:
            self.apply_settings()

    def apply_settings(self) -> None:
        hours = int(self.ctx.settings.get(BACKUP_INTERVAL_HOURS))
        if hours > 0 and self.ctx.db.is_sqlite:
            self.timer.start(hours * HOUR_MS)
        else:
            self.timer.stop()

    def folder(self) -> Path | None:
        configured = self.ctx.settings.get(BACKUP_FOLDER)
        return Path(configured) if configured else None

    # -- menu ------------------------------------------------------------------------
    def add_to(self, menu: QMenu, registry: dict[str, QAction] | None = None) -> None:
        actor = self.ctx.actor
        sqlite = self.ctx.db.is_sqlite
        menu.addSeparator()
        now = QAction(_("&Back up now…"), self.window)
        now.setObjectName("backup_now")
        now.setEnabled(sqlite and backups.may_back_up(actor))
        now.triggered.connect(lambda _checked=False: self.back_up_now())
        restore = QAction(_("&Restore from backup…"), self.window)
        restore.setObjectName("restore_backup")
        restore.setEnabled(sqlite and backups.may_restore(actor))
        restore.triggered.connect(lambda _checked=False: self.choose_restore_file())
        for action in (now, restore):
            menu.addAction(action)
            if registry is not None:
                registry[action.objectName()] = action

    # -- backing up ------------------------------------------------------------------
    def run_scheduled(self) -> Op | None:
        """The timer's backup; quiet: the status bar says how it went."""
        if self.running is not None:
            return None  # the previous one is still at work
        return self._start("auto", quiet=True)

    def back_up_now(self) -> Op:
        backups.require_back_up(self.ctx.actor)
        return self._start("manual", quiet=False)

    def _start(self, label: str, *, quiet: bool) -> Op:
        db, folder = self.ctx.db, self.folder()
        keep = int(self.ctx.settings.get(BACKUP_KEEP))

        def work() -> BackupInfo:
            return backups.create_backup(db, folder, keep=keep, label=label)

        op = self.ctx.ops.read(
            work,
            label=_("Backing up the database…"),
            on_result=lambda info: self._backed_up(info, quiet),
            on_error=lambda exc: self._backup_failed(exc, quiet),
            owner=self,
        )
        self.running = op
        return op

    def _backed_up(self, info: BackupInfo, quiet: bool) -> None:
        self.running = None
        text = _("Database backed up: {path}").format(path=info.path)
        self.ctx.hub.status_message.emit(text, 10_000)
        if not quiet:
            box = QMessageBox(QMessageBox.Icon.Information, _("Backup"), text, parent=self.window)
            box.setInformativeText(
                _("The copy was checked (integrity and schema {revision}).").format(
                    revision=info.revision
                )
            )
            self.last_dialog = box
            box.open()
        self.backed_up.emit(info)

    def _backup_failed(self, exc: BaseException, quiet: bool) -> None:
        self.running = None
        log.error("backup failed: %s", exc, exc_info=exc)
        if quiet:
            self.ctx.hub.status_message.emit(
                _("The automatic backup failed: {error}").format(error=error_text(exc)), 0
            )
        else:
            self.last_dialog = show_error(self.window, exc, _("Backup"))
        self.backup_failed.emit(exc)

    # -- restoring -------------------------------------------------------------------
    def choose_restore_file(self) -> QFileDialog:
        backups.require_restore(self.ctx.actor)
        start = self.folder()
        if start is None and self.ctx.db.path is not None:
            start = backups.default_folder(self.ctx.db.path)
        dialog = QFileDialog(
            self.window,
            _("Restore from backup"),
            str(start or ""),
            _("Database backups (*.sqlite3);;All files (*)"),
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.check)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def check(self, path: str | Path) -> Op:
        """Check the file first (off the UI thread); a good one is shown for confirmation."""
        return self.ctx.ops.read(
            lambda: backups.check_backup(path),
            label=_("Checking the backup…"),
            on_result=self.confirm,
            on_error=self._restore_failed,
            owner=self,
        )

    def confirm(self, check: BackupCheck) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Restore from backup"),
            _("Replace the database with this backup?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setInformativeText(
            _(
                "{path}\nSite {site}, workstation {workstation}, schema {revision}, "
                "{incidents} incidents.\n\nEverything recorded since this backup is replaced. "
                "The current database is kept as a safety copy. Other consoles and commands "
                "using this database must be closed."
            ).format(
                path=check.path,
                site=check.site_code or "-",
                workstation=check.workstation or "-",
                revision=check.revision,
                incidents=check.incidents,
            )
        )
        box.accepted.connect(lambda: self.restore(check.path))
        self.last_dialog = box
        box.open()
        return box

    def restore(self, path: str | Path) -> Op:
        backups.require_restore(self.ctx.actor)
        db, folder = self.ctx.db, self.folder()

        def work() -> RestoreResult:
            from ebconsole.db.migrate import prepare

            assert db.path is not None
            db.dispose()  # our own pooled connections must not hold the old file
            result = backups.restore_backup(db.path, path, safety_folder=folder)
            db.dispose()
            prepare(db, backup_dir=folder)  # an older schema is upgraded (after a backup)
            return result

        return self.ctx.ops.write(
            work,
            label=_("Restoring the database…"),
            changes=Changes.everything(),
            on_result=self._restored,
            on_error=self._restore_failed,
            owner=self,
        )

    def _restored(self, result: RestoreResult) -> None:
        text = _("The database was restored from {path}.").format(path=result.restored.path)
        if result.safety_copy is not None:
            text += "\n" + _("The previous database was kept as {path}").format(
                path=result.safety_copy
            )
        text += "\n\n" + _("Sign in again to continue with the restored data.")
        box = QMessageBox(
            QMessageBox.Icon.Information, _("Restore from backup"), text, parent=self.window
        )
        self.last_dialog = box
        box.open()
        lock = getattr(self.window, "lock", None)
        if callable(lock):
            lock()
        self.restored.emit(result)

    def _restore_failed(self, exc: BaseException) -> None:
        self.last_dialog = show_error(self.window, exc, _("Restore from backup"))


def tools_menu(window: QMainWindow) -> QMenu | None:
    """The window's Tools (工具) menu, when it has one."""
    title = _("&Tools")
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text() == title:
            return menu
    return None


def attach(window: Any, fallback: QMenu) -> BackupActions:
    """The window's backup actions (created on the first call), added to its Tools menu,
    or to `fallback` (the File menu) when there is none."""
    actions = window.findChild(BackupActions, "backup_actions")
    if actions is None:
        actions = BackupActions(window, window.ctx)
    actions.add_to(tools_menu(window) or fallback, getattr(window, "actions_by_name", None))
    return actions
