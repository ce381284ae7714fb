"""Small pieces the incidents dialogs share: a form dialog that saves with one write and
shows the core's errors next to their fields, a local date-time editor, text editors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.timeutil import as_utc, to_local, utcnow
from ui.context import Context
from ui.ops import Changes
from ui.widgets.forms import ErrorLabel, FieldErrors

INCIDENT_CHANGES = Changes(incidents=True, obligations=True)


def local_qdatetime(value: datetime) -> QDateTime:
    """The wall-clock time of `value` in the workstation's zone, as Qt shows it."""
    local = to_local(value)
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    )


class LocalDateTimeEdit(QDateTimeEdit):
    """A time in the workstation's zone (not the operating system's), to the minute."""

    def __init__(self, value: datetime | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.set_value(value or utcnow())

    def set_value(self, value: datetime) -> None:
        self.setDateTime(local_qdatetime(value))

    def value(self) -> datetime:
        """An aware UTC datetime."""
        d, t = self.date(), self.time()
        return as_utc(datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()))


class TextEdit(QPlainTextEdit):
    """Multi-line text where Tab moves on (keyboard-first forms)."""

    def __init__(self, placeholder: str = "", rows: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(line * rows + 14)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)


class FormDialog(QDialog):
    """A form that saves with one `ctx.write`: Ctrl+Enter saves, errors appear next to
    their fields (`add_field(name, label, widget)` binds the core's field path)."""

    saved = Signal(object)  # the write's result

    changes: Changes = INCIDENT_CHANGES

    def __init__(self, ctx: Context, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("general_error")
        self.errors = FieldErrors(general=self.general_error)
        self.error_labels: dict[str, ErrorLabel] = {}
        self.layout_ = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        self.layout_.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Save"))
        self.ok_button.setToolTip(_("Save (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)
        self.busy = False

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def add_field(self, name: str, label: str, widget: QWidget) -> ErrorLabel:
        """A row: the widget with its error label under it, bound to field path `name`."""
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(widget)
        error = ErrorLabel()
        error.setObjectName(f"error_{name}")
        col.addWidget(error)
        self.form.addRow(label, box)
        self.errors.bind(name, error, widget)
        self.error_labels[name] = error
        return error

    # -- saving ------------------------------------------------------------------------
    def work(self) -> Callable[[Session], Any] | None:
        """The write to run (called on the UI thread: read the widgets here), or None to
        stay open (a check that failed before asking the core)."""
        raise NotImplementedError

    def accept(self) -> None:
        if self.busy:
            return
        self.errors.clear()
        fn = self.work()
        if fn is None:
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.ctx.write(fn, changes=self.changes, on_result=self._saved, on_error=self._failed)

    def _saved(self, result: Any) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.saved.emit(result)
        self.done_saving(result)

    def done_saving(self, result: Any) -> None:
        """After a successful write: close (a dialog with a result page overrides this)."""
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.errors.show_exception(exc)
