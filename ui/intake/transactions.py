"""The fraud report's transactions: a small editable table model, its editors and view.

Rows are plain dicts of the raw text typed (the intake format's keys); the core's
`parse_intake` checks them. An error of `fraud.transactions[1].amount` is put on its cell
(`set_errors`): red background, tooltip, and ERROR_ROLE for tests and screen readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.i18n.messages import FIELD_LABELS
from ebconsole.incidents.rules import MAX, TRANSACTION_KEYS

_ROOT = QModelIndex()

# -- columns (the intake format's keys, in its order) ------------------------------------
TIME, AMOUNT, CURRENCY, COUNTERPARTY_NAME, COUNTERPARTY_ACCOUNT, COUNTERPARTY_BANK, REFERENCE = (
    range(7)
)
KEYS: tuple[str, ...] = tuple(TRANSACTION_KEYS)
COLUMN_OF = {key: i for i, key in enumerate(KEYS)}
DEFAULT_CURRENCY = "CNY"
TIME_FORMAT = "yyyy-MM-dd HH:mm"  # what the time editor shows; the core reads ISO 8601

# -- roles -------------------------------------------------------------------------------
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the column's intake key ("amount")
ERROR_ROLE = Qt.ItemDataRole.UserRole + 2  # the cell's error text, or None

ERROR_BACKGROUND = QColor("#fde3e1")
ERROR_FOREGROUND = QColor("#8c1d18")

MAX_LENGTH = {
    TIME: 25,
    AMOUNT: 24,
    CURRENCY: 3,
    COUNTERPARTY_NAME: MAX["counterparty_name"],
    COUNTERPARTY_ACCOUNT: MAX["counterparty_account"],
    COUNTERPARTY_BANK: MAX["counterparty_bank"],
    REFERENCE: MAX["reference"],
}
# What each editor lets through: shapes only; the core's rules say what is wrong.
PATTERNS = {
    TIME: r"[0-9 :T+\-]*",
    AMOUNT: r"[0-9,]*\.?[0-9]*",
    CURRENCY: r"[A-Za-z]{0,3}",
}


def blank_row() -> dict[str, str]:
    row = dict.fromkeys(KEYS, "")
    row["currency"] = DEFAULT_CURRENCY
    return row


def is_blank(row: Mapping[str, str]) -> bool:
    """Nothing typed (a new row's default currency does not count)."""
    return all(
        not (row.get(k) or "").strip() or (k == "currency" and row[k].strip() == DEFAULT_CURRENCY)
        for k in KEYS
    )


class TransactionsModel(QAbstractTableModel):
    """Editable rows of text; `rows()` gives them back as dicts of the intake keys."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[dict[str, str]] = []
        self._errors: dict[tuple[int, int], str] = {}

    # -- plain data in and out ------------------------------------------------------------
    def rows(self) -> list[dict[str, str]]:
        return [dict(r) for r in self._rows]

    def set_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = []
        for raw in rows:
            row = blank_row()
            for key in KEYS:
                value = raw.get(key)
                row[key] = "" if value is None else str(value)
            self._rows.append(row)
        self._errors.clear()
        self.endResetModel()

    def add_row(self, values: Mapping[str, str] | None = None) -> int:
        row = len(self._rows)
        self.insertRows(row, 1)
        for key, value in (values or {}).items():
            self.setData(self.index(row, COLUMN_OF[key]), value)
        return row

    # -- errors ---------------------------------------------------------------------------
    def set_errors(self, errors: Mapping[tuple[int, str], str]) -> None:
        """`{(row, key): text}`; replaces the previous marks."""
        old = set(self._errors)
        self._errors = {
            (row, COLUMN_OF[key]): text
            for (row, key), text in errors.items()
            if 0 <= row < len(self._rows) and key in COLUMN_OF
        }
        for row, col in old | set(self._errors):
            if row < len(self._rows):
                index = self.index(row, col)
                self.dataChanged.emit(index, index)
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(0, len(self._rows) - 1))

    def clear_errors(self) -> None:
        if self._errors:
            self.set_errors({})

    def error_at(self, row: int, key: str) -> str | None:
        return self._errors.get((row, COLUMN_OF[key]))

    def error_cells(self) -> list[tuple[int, str]]:
        return sorted((row, KEYS[col]) for row, col in self._errors)

    # -- the model interface --------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(KEYS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, col = index.row(), index.column()
        key = KEYS[col]
        error = self._errors.get((row, col))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[row][key]
        if role == Qt.ItemDataRole.ToolTipRole:
            return error
        if role == Qt.ItemDataRole.BackgroundRole:
            return ERROR_BACKGROUND if error else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return ERROR_FOREGROUND if error else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == AMOUNT:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return error
        if role == KEY_ROLE:
            return key
        if role == ERROR_ROLE:
            return error
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows)):
            return False
        text = "" if value is None else str(value)
        if col == CURRENCY:
            text = text.upper()
        key = KEYS[col]
        if self._rows[row][key] == text:
            return True
        self._rows[row][key] = text
        self._errors.pop((row, col), None)  # typed over: the mark goes until checked again
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not (0 <= section < len(KEYS)):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return _(FIELD_LABELS[KEYS[section]])
            if role == KEY_ROLE:
                return KEYS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == TIME:
                return _("Date and time, e.g. 2026-05-01 09:12")
            if role == Qt.ItemDataRole.ToolTipRole and section == AMOUNT:
                return _("Amount with at most 2 decimals, e.g. 4999.00")
            return None
        if not (0 <= section < len(self._rows)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        if role == Qt.ItemDataRole.ForegroundRole:
            has_error = any(r == section for r, _c in self._errors)
            return ERROR_FOREGROUND if has_error else None
        return None

    def insertRows(
        self, row: int, count: int, parent: QModelIndex | QPersistentModelIndex = _ROOT
    ) -> bool:
        if parent.isValid() or count < 1 or not (0 <= row <= len(self._rows)):
            return False
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        for _i in range(count):
            self._rows.insert(row, blank_row())
        self._errors = {
            ((r + count) if r >= row else r, c): t for (r, c), t in self._errors.items()
        }
        self.endInsertRows()
        return True

    def removeRows(
        self, row: int, count: int, parent: QModelIndex | QPersistentModelIndex = _ROOT
    ) -> bool:
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self._errors = {
            ((r - count) if r >= row + count else r, c): t
            for (r, c), t in self._errors.items()
            if not (row <= r < row + count)
        }
        self.endRemoveRows()
        return True


class TransactionDelegate(QStyledItemDelegate):
    """Line editors that let through only what fits a column, and commit as the user types
    (so a draft keeps every keystroke and Save never misses an open editor)."""

    def __init__(self, default_time: Callable[[int], str], parent: Any = None):
        super().__init__(parent)
        self._default_time = default_time

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        col = index.column()
        editor.setObjectName(f"tx_editor_{KEYS[col]}")
        editor.setMaxLength(MAX_LENGTH[col])
        if col in PATTERNS:
            editor.setValidator(
                QRegularExpressionValidator(QRegularExpression(PATTERNS[col]), editor)
            )
        if col == TIME:
            editor.setPlaceholderText("2026-05-01 09:12")
        elif col == AMOUNT:
            editor.setPlaceholderText("4999.00")
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.textEdited.connect(lambda _text, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if not text and index.column() == TIME:
            text = self._default_time(index.row())  # the previous row's time, or the incident's
        if editor.text() != text:  # not when the model echoes what is being typed
            editor.setText(text)
            editor.selectAll()  # typing replaces a suggested time

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text().strip())


class TransactionsView(QTableView):
    """Tab walks the cells and leaves the table after the last one (instead of wrapping
    around to the first), so the rest of the form stays reachable from the keyboard."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # typing, F2, a double click or a click on the current cell edit; walking the cells
        # with Tab or the arrows does not open an editor in each
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(
            triggers.AnyKeyPressed
            | triggers.EditKeyPressed
            | triggers.DoubleClicked
            | triggers.SelectedClicked
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(True)

    def _at_edge(self, forward: bool) -> bool:
        model = self.model()
        current = self.currentIndex()
        if model is None or model.rowCount() == 0:
            return True
        if not current.isValid():
            return False
        if forward:
            return (
                current.row() == model.rowCount() - 1
                and current.column() == model.columnCount() - 1
            )
        return current.row() == 0 and current.column() == 0

    def _leave(self, forward: bool) -> None:
        # QWidget's own focus chain: QAbstractItemView's override would send Tab back here
        QWidget.focusNextPrevChild(self, forward)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = event.key(), Qt.KeyboardModifier.ShiftModifier
        plain = event.modifiers() & ~shift == Qt.KeyboardModifier.NoModifier
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and plain:
            forward = key == Qt.Key.Key_Tab and not event.modifiers() & shift
            if self._at_edge(forward):
                event.accept()
                self._leave(forward)
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        forward = hint == QAbstractItemDelegate.EndEditHint.EditNextItem
        backward = hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem
        if (forward or backward) and self._at_edge(forward):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._leave(forward)
            return
        super().closeEditor(editor, hint)
