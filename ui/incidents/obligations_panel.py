"""The incident's deadlines (报告时限, 止付到期): due, state, done; a coordinator records one
as done, with when and a note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.obligations import service as obligations
from ui.context import Context
from ui.incidents.widgets import FormDialog, LocalDateTimeEdit, TextEdit
from ui.models.incidents_model import ObligationRow, ObligationsModel


class ObligationDoneDialog(FormDialog):
    def __init__(self, ctx: Context, row: ObligationRow, parent: QWidget | None = None):
        super().__init__(ctx, _("Record as done"), parent)
        self.setObjectName("obligation_done_dialog")
        self.obligation_id = row.id
        self.set_intro(_(row.kind.label))
        self.at = LocalDateTimeEdit()
        self.at.setObjectName("at")
        self.note = TextEdit(_("e.g. sent to 人民银行 by 李明, reference …"))
        self.note.setObjectName("note")
        self.add_field("at", _("Done at"), self.at)
        self.add_field("note", _("Note"), self.note)
        self.ok_button.setText(_("Record as done"))
        self.note.setFocus()

    def work(self) -> Callable[[Session], Any] | None:
        obligation_id, at, note = self.obligation_id, self.at.value(), self.note.text() or None
        return lambda s: obligations.complete(obligation_id, note=note, at=at, session=s).id


class ObligationsPanel(QWidget):
    done_requested = Signal(object)  # ObligationRow

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ObligationsModel(self)
        self.table = QTableView()
        self.table.setObjectName("obligations")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty = QLabel(
            _(
                "No deadline runs yet: report deadlines start when the response is activated, "
                "the stop-payment expiry when a stop-payment is requested."
            )
        )
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.done_button = QPushButton(_("Record as done…"))
        self.done_button.setObjectName("obligation_done")
        self.done_button.clicked.connect(self._done)
        self.table.doubleClicked.connect(self._done)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.model.modelReset.connect(self._update)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.may_record = False
        self._update()

    def set_rows(self, rows: Any, *, may_record: bool) -> None:
        self.may_record = may_record
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.done_button.setToolTip(
            "" if may_record else _("Only a coordinator may record a deadline as done")
        )

    def selected(self) -> ObligationRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update(self) -> None:
        row = self.selected()
        self.done_button.setEnabled(self.may_record and row is not None and row.done_at is None)

    def _done(self) -> None:
        row = self.selected()
        if row is not None and row.done_at is None and self.may_record:
            self.done_requested.emit(row)
