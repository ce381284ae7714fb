"""The sync indicator in the status bar: "已同步 HH:MM" / "离线（自 … 起）" / "同步中…" /
"单机模式", the pending changes and the open conflicts (red, a click opens the panel).

    self.sync = SyncIndicator(ctx)      # StatusBar adds it; it owns the SyncDriver
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from ebconsole.i18n import _
from ebconsole.sync.service import SyncStatus
from ebconsole.timeutil import format_local, to_local
from ui.context import Context
from ui.sync.driver import SyncDriver

if TYPE_CHECKING:
    from ui.sync.panel import SyncDialog

ALERT_COLOUR = "#b3261e"
OFFLINE_COLOUR = "#9a6700"


def state_text(driver: SyncDriver) -> str:
    """The one-line sync state, in the current language."""
    status = driver.status
    if driver.running:
        return _("Syncing…")
    if driver.standalone:
        return _("Standalone")
    if status is not None and status.offline_since is not None:
        return _("Offline (since {at})").format(at=format_local(status.offline_since))
    if status is not None and status.last_pull is not None:
        return _("Synced {at}").format(at=to_local(status.last_pull).strftime("%H:%M"))
    if status is not None and status.last_error:
        return _("Sync failed")
    return _("Not synced yet")


class SyncIndicator(QWidget):
    panel_requested = Signal(str)  # "status" or "conflicts"

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sync_indicator")
        self.ctx = ctx
        self.driver = SyncDriver(ctx, self)
        self.dialog: SyncDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        self.state = QToolButton()
        self.state.setObjectName("sync_state")
        self.state.setAutoRaise(True)
        self.state.clicked.connect(lambda: self.panel_requested.emit("status"))
        self.pending = QLabel()
        self.pending.setObjectName("sync_pending")
        self.conflicts = QToolButton()
        self.conflicts.setObjectName("sync_conflicts")
        self.conflicts.setAutoRaise(True)
        self.conflicts.clicked.connect(lambda: self.panel_requested.emit("conflicts"))
        for widget in (self.state, self.pending, self.conflicts):
            layout.addWidget(widget)
        self.panel_requested.connect(self.open_panel)
        self.driver.status_changed.connect(self.show_status)
        self.driver.running_changed.connect(self.show_status)
        self.retranslate()

    def retranslate(self) -> None:
        self.conflicts.setToolTip(_("Open sync conflicts. Click to review them."))
        self.show_status()

    def show_status(self, *_args: object) -> None:
        driver = self.driver
        status: SyncStatus | None = driver.status
        self.state.setText(state_text(driver))
        offline = status is not None and status.offline_since is not None and not driver.running
        self.state.setStyleSheet(f"color: {OFFLINE_COLOUR};" if offline else "")
        tip = [_("Sync with the hub. Click to open the sync panel.")]
        if driver.hub_url and status is not None and status.last_error:
            tip.append(_("Last error: {error}").format(error=status.last_error))
        self.state.setToolTip("\n".join(tip))
        pending = status.pending if status is not None else None
        self.pending.setVisible(pending is not None and not driver.standalone)
        if pending is not None:
            self.pending.setText(_("Pending: {n}").format(n=pending))
        conflicts = status.open_conflicts if status is not None else 0
        self.conflicts.setVisible(conflicts > 0)
        self.conflicts.setText(_("Conflicts: {n}").format(n=conflicts))
        self.conflicts.setStyleSheet(
            f"color: {ALERT_COLOUR}; font-weight: bold;" if conflicts else ""
        )

    def open_panel(self, page: str = "status") -> SyncDialog:
        from ui.sync.panel import SyncDialog

        if self.dialog is None:
            self.dialog = SyncDialog(self.ctx, self.driver, self.window())
            self.dialog.destroyed.connect(self._dialog_gone)
        self.dialog.show_page(page)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def _dialog_gone(self) -> None:
        self.dialog = None
