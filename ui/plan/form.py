"""The plan's record dialogs: a form whose errors appear next to their fields, saved as one
write transaction off the UI thread, and a non-blocking "are you sure" box.

    class MemberDialog(FormDialog):
        changes = Changes(organisation=True)

        def __init__(self, ctx, parent=None):
            super().__init__(ctx, _("New member"), "matrix", parent)
            self.name = self.add_row(_("&Name"), QLineEdit(), "name")

        def work(self):
            data = MemberCreate(name=self.name.text(), ...)
            return lambda s: organisation.create_member(data, session=s)

    dialog = MemberDialog(ctx, self); dialog.open()    # `saved(result)` after the commit
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.errors import EbError, FieldError, ValidationFailed
from ebconsole.i18n import _
from ebconsole.timeutil import local_zone, to_local, utcnow
from ui import icons
from ui.context import Context
from ui.ops import NOTHING, Changes
from ui.widgets.forms import ErrorLabel, FieldErrors

DATE_FORMAT = "yyyy-MM-dd"
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


class FormDialog(QDialog):
    """Fields in a form, each with its error label; Save runs `work()` as one write."""

    changes: Changes = NOTHING
    saved = Signal(object)  # what the write returned (an ORM row: read ids only)

    def __init__(
        self, ctx: Context, title: str, icon_name: str = "", parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        if icon_name:
            self.setWindowIcon(icons.icon(icon_name))
        self.setMinimumWidth(460)
        self.result_value: Any = None
        self.saving = False

        self.general_error = ErrorLabel()
        self.errors = FieldErrors(general=self.general_error)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.general_error)
        self.layout_.addWidget(self.buttons)

    # -- building ----------------------------------------------------------------------
    def add_row(self, label: str, widget: Any, *fields: str, note: str = "") -> Any:
        """A labelled field (`&` marks the Alt shortcut) with its error label under it;
        errors of `fields` (and of their sub-paths) are shown there."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            hint.setEnabled(False)
            column.addWidget(hint)
        error = ErrorLabel()
        column.addWidget(error)
        self.last_error = error
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, box)
        for name in fields:
            self.errors.bind(name, error, widget)
        return widget

    def bind_items(self, field: str, widget: QWidget, count: int) -> None:
        """Errors of the items of a list field (`findings[3]`) go next to its editor."""
        for i in range(count):
            self.errors.bind(f"{field}[{i}]", self.last_error, widget)

    def add_note(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        self.layout_.insertWidget(0, label)
        return label

    # -- saving ------------------------------------------------------------------------
    def work(self) -> Callable[[Session], Any]:
        """The write to run, built from the inputs on the UI thread. Raise an EbError
        for input that cannot even be put into the service's schema."""
        raise NotImplementedError

    def accept(self) -> None:
        if self.saving:
            return
        self.errors.clear()
        try:
            fn = self.work()
        except EbError as exc:
            self.errors.show_exception(exc)
            return
        except ValidationError as exc:
            self.errors.show_exception(_schema_errors(exc))
            return
        self._set_saving(True)
        self.ctx.write(fn, changes=self.changes, on_result=self._saved, on_error=self._failed)

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.save_button.setEnabled(not saving)

    def _saved(self, value: Any) -> None:
        self._set_saving(False)
        self.result_value = value
        self.saved.emit(value)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        self.errors.show_exception(exc)


def _schema_errors(exc: ValidationError) -> ValidationFailed:
    out = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ()) if not isinstance(p, int)) or None
        out.append(
            FieldError(
                "required" if err.get("type") == "missing" else "invalid_type",
                field,
                {} if err.get("type") == "missing" else {"expected_label": "text"},
            )
        )
    return ValidationFailed(out)


def confirm(
    parent: QWidget, title: str, text: str, yes_text: str, on_yes: Callable[[], Any]
) -> QMessageBox:
    """Ask before something that cannot be undone from here (archive); never blocks."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.setObjectName("confirm")

    def clicked(button: QPushButton) -> None:
        if button is yes:
            on_yes()

    box.buttonClicked.connect(clicked)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


# -- small editors -----------------------------------------------------------------------
def combo(items: list[tuple[str, Any]], current: Any = None) -> QComboBox:
    box = QComboBox()
    for text, value in items:
        box.addItem(text, value)
    if current is not None:
        box.setCurrentIndex(max(0, index_of(box, current)))
    return box


def index_of(box: QComboBox, value: Any) -> int:
    """Like `findData`, which does not match Python objects such as UUIDs."""
    return next((i for i in range(box.count()) if box.itemData(i) == value), -1)


def select_data(box: QComboBox, value: Any) -> None:
    index = index_of(box, value)
    if index >= 0:
        box.setCurrentIndex(index)


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    day = value or local_today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def date_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def datetime_edit(value: datetime | None = None) -> QDateTimeEdit:
    """A local date and time; `value` (aware) is shown in the workstation's zone."""
    edit = QDateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATETIME_FORMAT)
    set_datetime(edit, value)
    return edit


def set_datetime(edit: QDateTimeEdit, value: datetime | None) -> None:
    if value is None:
        return
    local = to_local(value)
    edit.setDateTime(
        QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    )


def datetime_of(edit: QDateTimeEdit) -> datetime:
    """The entered local time, aware in the workstation's zone."""
    d, t = edit.date(), edit.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=local_zone())


def local_today() -> date:
    return to_local(utcnow()).date()


def text_or_none(text: str) -> str | None:
    text = text.strip()
    return text or None
