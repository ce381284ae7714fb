"""Tools → Verify audit trail: checks the audit trail's hash chains off the UI thread and
shows each chain's head, or the first broken row.

    audit_check.add_menu(window)     # from MainWindow._build_menus (one line)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ebconsole.audit.summary import lines
from ebconsole.audit.verify import VerifyResult, verify
from ebconsole.i18n import _
from ui.context import Context

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class AuditCheckDialog(QDialog):
    """Runs the check when shown; "Check again" runs it once more."""

    checked = Signal(object)  # the VerifyResult, on the UI thread
    failed = Signal(object)  # the exception

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.result: VerifyResult | None = None
        self.setObjectName("audit_check")
        self.setWindowTitle(_("Verify audit trail"))
        self.resize(640, 320)
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        layout.addWidget(self.progress)
        self.details = QPlainTextEdit()
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.details.setFont(mono)
        layout.addWidget(self.details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.again = self.buttons.addButton(
            _("Check &again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.again.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        self.result = None
        self.again.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(_("Verifying the audit trail…"))
        self.details.clear()
        db = self.ctx.db
        self.ctx.ops.read(
            lambda report: verify(db, progress=lambda done, total: report(done, total)),
            progress=True,
            label=_("Verifying the audit trail"),
            on_result=self._show,
            on_error=self._failed,
            on_progress=self._progressed,
        )

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _show(self, result: VerifyResult) -> None:
        self.result = result
        self.progress.hide()
        self.again.setEnabled(True)
        if result.intact:
            self.status.setText(_("The audit trail is intact."))
        else:
            self.status.setText(
                _("The audit trail has been tampered with: the first broken row is shown.")
            )
        self.details.setPlainText("\n".join(lines(result)))
        self.checked.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.again.setEnabled(True)
        self.status.setText(_("The audit trail could not be checked: {error}").format(error=exc))
        self.failed.emit(exc)


def open_audit_check(window: MainWindow) -> AuditCheckDialog:
    dialog = AuditCheckDialog(window.ctx, window)
    window.audit_check = dialog  # type: ignore[attr-defined]  # kept for tests
    dialog.show()
    dialog.start()
    return dialog


def add_menu(window: MainWindow) -> None:
    """The Tools menu with the audit check, added after the window's other menus."""
    menu = window.menuBar().addMenu(_("&Tools"))
    menu.addAction(
        window._action(
            "verify_audit",
            _("Verify &audit trail…"),
            lambda: open_audit_check(window),
            icon_name="database",
        )
    )
