"""Cell editors of the plan's tables."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ebconsole.i18n import _
from ebconsole.organisation.enums import RESPONSIBILITY_LABELS, Responsibility

Index = QModelIndex | QPersistentModelIndex


class ResponsibilityDelegate(QStyledItemDelegate):
    """A combo box of the four roles and "none", opened at once; a choice is saved as soon
    as it is made (click, or Enter in the list); Escape leaves the cell as it was."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        box.setObjectName("responsibility_editor")
        box.addItem(_("— none —"), "")
        for role in Responsibility:
            box.addItem(_(RESPONSIBILITY_LABELS[role]), role.value)
        box.activated.connect(lambda _i, b=box: self._commit(b))
        QTimer.singleShot(0, box, box.showPopup)  # the four choices at once
        return box

    def _commit(self, box: QComboBox) -> None:
        self.commitData.emit(box)
        self.closeEditor.emit(box, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            current = index.data(Qt.ItemDataRole.EditRole) or ""
            editor.setCurrentIndex(max(0, editor.findData(current)))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
