"""The sync panel (同步 → 同步面板…): the sync status, "Sync now", USB bundles out and in,
and the conflicts. Export and import run off the UI thread (`ui.ops`, the write pool);
their progress (changes written or applied, of how many) shows in a progress dialog that
leaves the console usable. `export_to(path)` / `import_from(path)` do the work after the
file dialogs (tests call them with a path).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.settings import SYNC_KEY_FILE
from ebconsole.sync.bundle import SUFFIX, ExportResult, ImportResult, export_bundle, import_bundle
from ebconsole.sync.hub import SyncResult
from ebconsole.sync.keys import load_key
from ebconsole.sync.service import SyncStatus
from ebconsole.timeutil import as_utc, format_local
from ui.context import Context
from ui.errors import error_text
from ui.permissions import Action
from ui.sync.conflicts import ConflictsWidget
from ui.sync.driver import EVERYTHING_BUT_SETTINGS, SyncDriver
from ui.sync.indicator import state_text


def _when(value: datetime | None) -> str:
    return format_local(value, seconds=True) if value else _("never")


class SyncDialog(QDialog):
    exported = Signal(object)  # ExportResult
    imported = Signal(object)  # ImportResult
    bundle_failed = Signal(object)  # the exception (already shown in the message line)

    def __init__(self, ctx: Context, driver: SyncDriver, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sync_dialog")
        self.ctx = ctx
        self.driver = driver
        self._bundle_busy = False
        self.bundle_progress: QProgressDialog | None = None  # while a bundle is at work
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        self.pages = QTabWidget()
        layout.addWidget(self.pages)

        # -- status page ---------------------------------------------------------------
        status_page = QWidget()
        form = QFormLayout(status_page)
        self.values: dict[str, QLabel] = {}
        self.form_labels: dict[str, QLabel] = {}
        for key in (
            "state",
            "hub",
            "last_push",
            "last_pull",
            "pending",
            "conflicts",
            "last_error",
        ):
            label, value = QLabel(), QLabel()
            value.setObjectName(f"sync_{key}")
            value.setWordWrap(True)
            self.form_labels[key], self.values[key] = label, value
            form.addRow(label, value)
        self.progress = QProgressBar()
        self.progress.setObjectName("sync_progress")
        self.progress.setVisible(False)
        self.progress_text = QLabel()
        form.addRow(self.progress_text, self.progress)
        self.message = QLabel()
        self.message.setObjectName("sync_message")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("sync_now")
        self.sync_button.clicked.connect(self.sync_now)
        form.addRow(self.sync_button)

        bundle_row = QHBoxLayout()
        self.since_check = QCheckBox()
        self.since_check.setObjectName("since_check")
        self.since_date = QDateEdit(QDate.currentDate())
        self.since_date.setObjectName("since_date")
        self.since_date.setCalendarPopup(True)
        self.since_date.setDisplayFormat("yyyy-MM-dd")
        self.since_date.setEnabled(False)
        self.since_check.toggled.connect(self.since_date.setEnabled)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_bundle")
        self.export_button.clicked.connect(self.choose_export)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_bundle")
        self.import_button.clicked.connect(self.choose_import)
        bundle_row.addWidget(self.since_check)
        bundle_row.addWidget(self.since_date)
        bundle_row.addStretch(1)
        bundle_row.addWidget(self.export_button)
        bundle_row.addWidget(self.import_button)
        self.bundle_label = QLabel()
        form.addRow(self.bundle_label, bundle_row)
        self.pages.addTab(status_page, "")

        # -- conflicts page ------------------------------------------------------------
        self.conflicts = ConflictsWidget(ctx)
        self.conflicts.resolved.connect(lambda _view: driver.refresh_status())
        self.pages.addTab(self.conflicts, "")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        driver.status_changed.connect(self._status)
        driver.running_changed.connect(self._running)
        driver.progressed.connect(self._progressed)
        driver.finished.connect(self._run_finished)
        driver.failed.connect(self._run_failed)
        ctx.hub.changed.connect(self._hub_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sync"))
        labels = {
            "state": _("State:"),
            "hub": _("Hub:"),
            "last_push": _("Last push:"),
            "last_pull": _("Last pull:"),
            "pending": _("Changes not yet on the hub:"),
            "conflicts": _("Open conflicts:"),
            "last_error": _("Last error:"),
        }
        for key, text in labels.items():
            self.form_labels[key].setText(text)
        self.pages.setTabText(0, _("Status"))
        self.pages.setTabText(1, _("Conflicts"))
        self.sync_button.setText(_("Sync &now"))
        self.bundle_label.setText(_("USB bundle:"))
        self.since_check.setText(_("Only changes since"))
        self.export_button.setText(_("&Export bundle…"))
        self.import_button.setText(_("&Import bundle…"))
        self.conflicts.retranslate()
        self._status(self.driver.status)

    def show_page(self, page: str) -> None:
        """Bring "status" or "conflicts" to front, with fresh data."""
        self.pages.setCurrentIndex(1 if page == "conflicts" else 0)
        self.conflicts.reload()
        self.driver.refresh_status()

    # -- status ------------------------------------------------------------------------
    def _status(self, status: SyncStatus | None) -> None:
        driver = self.driver
        self.values["state"].setText(state_text(driver))
        if driver.standalone:
            hub = _("none (standalone: exchange USB bundles)")
        else:
            hub = (status.hub_url if status is not None and status.hub_url else None) or (
                _display(driver.hub_url)
            )
        self.values["hub"].setText(hub)
        if status is not None:
            self.values["last_push"].setText(_when(status.last_push))
            self.values["last_pull"].setText(_when(status.last_pull))
            self.values["pending"].setText(str(status.pending))
            self.values["conflicts"].setText(str(status.open_conflicts))
            self.values["last_error"].setText(status.last_error or "—")
        allowed = self.ctx.can(Action.SYNC)
        self.sync_button.setEnabled(allowed and not driver.standalone and not driver.running)
        self.export_button.setEnabled(allowed and not self._bundle_busy)
        self.import_button.setEnabled(allowed and not self._bundle_busy)

    def sync_now(self) -> bool:
        started = self.driver.sync_now()
        if started:
            self.message.setText(_("Syncing with the hub…"))
        return started

    def _running(self, running: bool) -> None:
        self._show_progress(running, _("Syncing…"))
        self._status(self.driver.status)

    def _progressed(self, phase: str, done: int, total: int) -> None:
        self.progress_text.setText(_("Sending…") if phase == "push" else _("Receiving…"))
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)

    def _run_finished(self, result: SyncResult) -> None:
        if result.offline:
            self.message.setText(
                _(
                    "The hub cannot be reached ({error}); changes stay here and are sent "
                    "on the next sync"
                ).format(error=result.error)
            )
        elif result.error:
            self.message.setText(_("Sync failed: {error}").format(error=result.error))
        else:
            self.message.setText(
                _("Sent {pushed} changes, received {pulled}, new conflicts: {conflicts}").format(
                    pushed=result.pushed, pulled=result.pulled, conflicts=result.conflicts
                )
            )
        self.conflicts.reload()

    def _run_failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))

    def _hub_changed(self, _changes: object) -> None:
        if self.isVisible():
            self.conflicts.reload()

    def _show_progress(self, on: bool, text: str = "") -> None:
        self.progress.setVisible(on)
        self.progress_text.setText(text if on else "")
        if on:
            self.progress.setRange(0, 0)

    # -- bundles -----------------------------------------------------------------------
    def _key_path(self) -> str | None:
        return str(self.ctx.settings.get(SYNC_KEY_FILE) or "").strip() or None

    def since(self) -> datetime | None:
        if not self.since_check.isChecked():
            return None
        day = self.since_date.date().toPython()
        return as_utc(datetime.combine(day, time.min))  # type: ignore[arg-type]

    def choose_export(self) -> None:
        name = f"ebconsole-{self.ctx.installation.site_code}-{QDate.currentDate().toString('yyyyMMdd')}{SUFFIX}"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export bundle"), name, _("ebconsole bundles (*{suffix})").format(suffix=SUFFIX)
        )
        if path:
            if not path.lower().endswith(SUFFIX):
                path += SUFFIX
            self.export_to(Path(path))

    def choose_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import bundle"), "", _("ebconsole bundles (*{suffix})").format(suffix=SUFFIX)
        )
        if path:
            self.import_from(Path(path))

    def _bundle_started(self, text: str) -> None:
        self._bundle_busy = True
        self.message.setText(text)
        self._show_progress(True, text)
        self._status(self.driver.status)
        # not modal: the console stays usable while the bundle is written or applied;
        # no cancel button: an import applies all or nothing and finishes by itself
        dialog = QProgressDialog(text, "", 0, 0, self)
        dialog.setObjectName("bundle_progress")
        dialog.setWindowTitle(_("USB bundle"))
        dialog.setCancelButton(None)  # type: ignore[arg-type]
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.show()
        self.bundle_progress = dialog

    def _bundle_progressed(self, done: int, total: int, _text: str = "") -> None:
        """(on the UI thread) `done` of `total` changes written or applied."""
        dialog = self.bundle_progress
        if dialog is None:
            return
        if total > 0:
            dialog.setRange(0, total)
            dialog.setValue(min(done, total))
            dialog.setLabelText(_("{done} of {total} changes").format(done=done, total=total))
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total > 0 else 0)

    def _bundle_done(self) -> None:
        self._bundle_busy = False
        dialog = self.bundle_progress
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
            self.bundle_progress = None
        self._show_progress(False)
        self._status(self.driver.status)
        self.driver.refresh_status()

    def export_to(self, path: Path) -> bool:
        if self._bundle_busy or not self.ctx.can(Action.SYNC):
            return False
        db, actor, key_path, since = self.ctx.db, self.ctx.actor, self._key_path(), self.since()

        def work(report: Callable[..., None]) -> ExportResult:
            key = load_key(key_path, create=True)
            return export_bundle(db, path, key=key, actor=actor, since=since, progress=report)

        self._bundle_started(_("Writing the bundle…"))
        self.ctx.ops.write(
            work,
            label=_("Writing the bundle"),
            progress=True,
            on_progress=self._bundle_progressed,
            on_result=self._exported,
            on_error=self._bundle_error,
            owner=self,
        )
        return True

    def _exported(self, result: ExportResult) -> None:
        self._bundle_done()
        self.message.setText(
            _("Wrote {count} changes to {path}").format(count=result.count, path=result.path)
        )
        self.exported.emit(result)

    def import_from(self, path: Path) -> bool:
        if self._bundle_busy or not self.ctx.can(Action.SYNC):
            return False
        db, actor, key_path = self.ctx.db, self.ctx.actor, self._key_path()

        def work(report: Callable[..., None]) -> ImportResult:
            key = load_key(key_path, create=False)
            return import_bundle(db, path, key=key, actor=actor, progress=report)

        self._bundle_started(_("Checking and applying the bundle…"))
        self.ctx.ops.write(
            work,
            label=_("Importing a bundle"),
            progress=True,
            on_progress=self._bundle_progressed,
            changes=EVERYTHING_BUT_SETTINGS,
            on_result=self._imported,
            on_error=self._bundle_error,
            owner=self,
        )
        return True

    def _imported(self, result: ImportResult) -> None:
        self._bundle_done()
        a = result.applied
        self.message.setText(
            _(
                "Bundle from {origin}: {applied} changes applied, {skipped} already here, "
                "new conflicts: {conflicts}"
            ).format(
                origin=result.manifest.get("origin"),
                applied=a.applied,
                skipped=a.skipped,
                conflicts=a.conflicts,
            )
        )
        self.conflicts.reload()
        self.imported.emit(result)

    def _bundle_error(self, exc: BaseException) -> None:
        self._bundle_done()
        self.message.setText(_("Refused: {error}").format(error=error_text(exc)))
        self.bundle_failed.emit(exc)


def _display(url: str) -> str:
    from ebconsole.sync.hub import display_url

    return display_url(url)
