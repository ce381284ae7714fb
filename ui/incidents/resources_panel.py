"""The reserves an incident used (应急资源使用): which inventory item, when, by whom, how
many; a coordinator adds one ("Add resource used…"), which also goes on the timeline."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.resources import service as resources
from ebconsole.resources import usage
from ebconsole.resources.enums import KIND_LABELS, ResourceKind
from ebconsole.resources.schemas import ResourceUseCreate
from ebconsole.resources.usage import ResourceUseRow
from ebconsole.timeutil import format_local
from ui.context import Context
from ui.incidents.widgets import FormDialog, LocalDateTimeEdit, TextEdit


def _inventory(session: Session) -> list[tuple[uuid.UUID, str]]:
    return [
        (r.id, f"{r.name}（{_(KIND_LABELS[r.kind])}）")
        for r in resources.list_resources(session=session)
    ]


class ResourceUseDialog(FormDialog):
    """Record one inventory item as used for the incident."""

    def __init__(
        self, ctx: Context, incident_id: uuid.UUID, reference: str, parent: QWidget | None = None
    ):
        super().__init__(ctx, _("Add resource used"), parent)
        self.setObjectName("resource_use_dialog")
        self.incident_id = incident_id
        self.set_intro(reference)
        self.resource = QComboBox()
        self.resource.setObjectName("resource")
        self.quantity = QSpinBox()
        self.quantity.setObjectName("quantity")
        self.quantity.setRange(0, 1_000_000)
        self.quantity.setSpecialValueText(_("not counted"))
        self.at = LocalDateTimeEdit()
        self.at.setObjectName("used_at")
        self.note = TextEdit(_("e.g. switched the mobile bank to the backup centre"))
        self.note.setObjectName("note")
        self.add_field("resource_id", _("Resource"), self.resource)
        self.add_field("quantity", _("Quantity"), self.quantity)
        self.add_field("used_at", _("Used at"), self.at)
        self.add_field("note", _("Note"), self.note)
        self.ok_button.setText(_("Add"))
        self.ok_button.setEnabled(False)  # until the inventory is loaded
        ctx.read(_inventory, on_result=self.set_inventory, owner=self)

    def set_inventory(self, items: Sequence[tuple[uuid.UUID, str]]) -> None:
        self.resource.clear()
        for item_id, text in items:
            self.resource.addItem(text, item_id)
        self.ok_button.setEnabled(bool(items))
        if not items:
            self.general_error.setText(_("The resource inventory is empty."))
            self.general_error.setVisible(True)

    def work(self) -> Callable[[Session], Any] | None:
        resource_id = self.resource.currentData()
        if resource_id is None:
            return None
        data = ResourceUseCreate(
            resource_id=resource_id,
            quantity=self.quantity.value() or None,
            used_at=self.at.value(),
            note=self.note.text() or None,
        )
        incident_id = self.incident_id
        return lambda s: usage.record_use(incident_id, data, session=s).id


class ResourcesUsedPanel(QWidget):
    add_requested = Signal()

    COLUMNS = 5

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("resources_used")
        self.table.setHorizontalHeaderLabels(
            [_("Used at"), _("Resource"), _("Quantity"), _("Used by"), _("Note")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty = QLabel(_("No resource of the inventory is recorded as used."))
        self.empty.setEnabled(False)
        self.add_button = QPushButton(_("Add resource used…"))
        self.add_button.setObjectName("add_resource_used")
        self.add_button.clicked.connect(self.add_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_rows(self, rows: Sequence[ResourceUseRow], *, may_add: bool) -> None:
        self.table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            kind = _(KIND_LABELS[ResourceKind(r.kind)])
            quantity = "" if r.quantity is None else f"{r.quantity} {r.unit or ''}".strip()
            for col, text in enumerate(
                (format_local(r.used_at), f"{r.name}（{kind}）", quantity, r.used_by, r.note or "")
            ):
                self.table.setItem(n, col, QTableWidgetItem(text))
        self.empty.setVisible(not rows)
        self.add_button.setEnabled(may_add)
        self.add_button.setToolTip(
            "" if may_add else _("Only a coordinator may record a resource as used")
        )
