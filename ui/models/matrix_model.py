"""The responsibility matrix (plan §3, §4): response phases × emergency groups, each cell
the group's role in the phase (lead / execute / support / informed).

Rows are phases, columns groups, both in the plan's order. An administrator edits a cell
through `ui.plan.delegates.ResponsibilityDelegate` (a combo box); `setData` updates the cell at once and
emits `cell_edited(phase_id, group_id, role_or_None)` for the tab to save.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from ebconsole.i18n import _, current_language
from ebconsole.organisation.dto import Axis, Matrix
from ebconsole.organisation.enums import RESPONSIBILITY_LABELS, Responsibility
from ui.plan.table import ALERT, ALERT_ROLE, MUTED, ROOT, bold

Index = QModelIndex | QPersistentModelIndex

RESPONSIBILITY_ROLE = Qt.ItemDataRole.UserRole + 10  # Responsibility | None
PHASE_ID_ROLE = Qt.ItemDataRole.UserRole + 11
GROUP_ID_ROLE = Qt.ItemDataRole.UserRole + 12

ROLE_COLOURS: dict[Responsibility, tuple[str, str]] = {  # foreground, background
    Responsibility.LEAD: ("#0b3d91", "#d6e4fa"),
    Responsibility.EXECUTE: ("#1b6e35", "#e3f2e7"),
    Responsibility.SUPPORT: ("#8a5a00", "#fff3cd"),
    Responsibility.INFORMED: ("#4b5563", "#eef0f3"),
}


def responsibility_text(role: Responsibility | None) -> str:
    return _(RESPONSIBILITY_LABELS[role]) if role is not None else "—"


class MatrixModel(QAbstractTableModel):
    cell_edited = Signal(object, object, object)  # phase id, group id, Responsibility | None

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.phases: tuple[Axis, ...] = ()
        self.groups: tuple[Axis, ...] = ()
        self._cells: dict[tuple[uuid.UUID, uuid.UUID], Responsibility] = {}
        self.editable = False

    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self.phases = matrix.phases
        self.groups = matrix.groups
        self._cells = dict(matrix.cells)
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable

    def role_at(self, row: int, column: int) -> Responsibility | None:
        if not (0 <= row < len(self.phases) and 0 <= column < len(self.groups)):
            return None
        return self._cells.get((self.phases[row].id, self.groups[column].id))

    def phases_without_lead(self) -> list[Axis]:
        return [
            p
            for p in self.phases
            if not any(self._cells.get((p.id, g.id)) is Responsibility.LEAD for g in self.groups)
        ]

    # -- Qt ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.phases)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.groups)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        lang = current_language()
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.groups):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.groups[section].name(lang)
            return None
        if not 0 <= section < len(self.phases):
            return None
        phase = self.phases[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{section + 1}. {phase.name(lang)}"
        if role == Qt.ItemDataRole.ForegroundRole and phase in self.phases_without_lead():
            return ALERT
        if role == Qt.ItemDataRole.ToolTipRole and phase in self.phases_without_lead():
            return _("No group leads this phase.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        r, c = index.row(), index.column()
        if not (0 <= r < len(self.phases) and 0 <= c < len(self.groups)):
            return None
        value = self.role_at(r, c)
        if role == Qt.ItemDataRole.DisplayRole:
            return responsibility_text(value)
        if role == Qt.ItemDataRole.EditRole:
            return value.value if value is not None else ""
        if role == RESPONSIBILITY_ROLE:
            return value
        if role == PHASE_ID_ROLE:
            return self.phases[r].id
        if role == GROUP_ID_ROLE:
            return self.groups[c].id
        if role == ALERT_ROLE:
            return self.phases[r] in self.phases_without_lead()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(ROLE_COLOURS[value][0]) if value is not None else MUTED
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(ROLE_COLOURS[value][1]) if value is not None else None
        if role == Qt.ItemDataRole.FontRole and value is Responsibility.LEAD:
            return bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            lang = current_language()
            return _("{group} in “{phase}”: {role}").format(
                group=self.groups[c].name(lang),
                phase=self.phases[r].name(lang),
                role=responsibility_text(value),
            )
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        r, c = index.row(), index.column()
        if not (0 <= r < len(self.phases) and 0 <= c < len(self.groups)):
            return False
        if isinstance(value, Responsibility) or value is None:
            new = value
        elif value == "":
            new = None
        else:
            try:
                new = Responsibility(str(value))
            except ValueError:
                return False
        if new == self.role_at(r, c):
            return False
        key = (self.phases[r].id, self.groups[c].id)
        if new is None:
            self._cells.pop(key, None)
        else:
            self._cells[key] = new
        self.dataChanged.emit(index, index)
        self.headerDataChanged.emit(Qt.Orientation.Vertical, r, r)
        self.cell_edited.emit(key[0], key[1], new)
        return True
