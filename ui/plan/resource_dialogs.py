"""Dialogs of the resources tab: an inventory item (add / edit, administrators) and a check
with the state found and a note (the one-click "mark checked" needs no dialog)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QSpinBox, QWidget
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind, ResourceStatus
from ebconsole.resources.schemas import ResourceCreate, ResourceUpdate
from ebconsole.timeutil import utcnow
from ui.context import Context
from ui.models.resources_model import ResourceRow, kind_text, status_text
from ui.ops import Changes
from ui.plan.form import FormDialog, datetime_edit, datetime_of, select_data, text_or_none


def _line(text: str | None, max_len: int, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text or "")
    edit.setMaxLength(max_len)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


class ResourceDialog(FormDialog):
    changes = Changes(resources=True)

    def __init__(
        self,
        ctx: Context,
        default_days: Mapping[ResourceKind, int],
        item: ResourceRow | None = None,
        kind: ResourceKind | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(
            ctx, _("Edit resource") if item else _("New resource"), "resources", parent
        )
        self.setObjectName("resource_dialog")
        self.item = item
        self.default_days = dict(default_days)

        self.kind = QComboBox()
        for k in ResourceKind:
            self.kind.addItem(kind_text(k), k)
        select_data(self.kind, item.kind if item else (kind or ResourceKind.BACKUP_SYSTEM))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.name = _line(item.name if item else "", 120, _("e.g. Same-city backup centre"))
        self.status = QComboBox()
        for s in ResourceStatus:
            self.status.addItem(status_text(s), s)
        select_data(self.status, item.status if item else ResourceStatus.READY)
        self.quantity = QSpinBox()
        self.quantity.setRange(0, 1_000_000)
        self.quantity.setValue(item.quantity if item else 1)
        self.unit = _line(item.unit if item else "", 20, _("unit, e.g. sets"))
        self.unit.setMaximumWidth(160)
        amount = QWidget()
        amount_row = QHBoxLayout(amount)
        amount_row.setContentsMargins(0, 0, 0, 0)
        amount_row.addWidget(self.quantity, 1)
        amount_row.addWidget(self.unit)
        amount.setFocusProxy(self.quantity)
        self.location = _line(item.location if item else "", 200, _("e.g. Data centre B2, rack 12"))
        self.contact_name = _line(item.contact_name if item else "", 80)
        self.contact_phone = _line(item.contact_phone if item else "", 40, "13800138000")
        self.interval = QSpinBox()
        self.interval.setRange(0, resources.MAX_CHECK_DAYS)
        self.interval.setSuffix(_(" days"))
        self.interval.setValue(item.check_interval_days if item else 0)
        self.notes = QPlainTextEdit(item.notes if item and item.notes else "")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        self._kind_changed()

        self.add_row(_("&Kind"), self.kind, "kind")
        self.add_row(_("&Item"), self.name, "name")
        self.add_row(_("&Status"), self.status, "status")
        self.add_row(_("&Quantity"), amount)
        self.errors.bind("quantity", self.last_error, self.quantity)
        self.errors.bind("unit", self.last_error, self.unit)
        self.add_row(_("&Location"), self.location, "location")
        self.add_row(_("&Contact"), self.contact_name, "contact_name")
        self.add_row(_("Contact &phone"), self.contact_phone, "contact_phone")
        self.add_row(_("Check &every"), self.interval, "check_interval_days")
        self.add_row(_("No&tes"), self.notes, "notes")
        self.name.setFocus()

    def _kind_changed(self, _index: int = -1) -> None:
        kind = self.kind.currentData()
        days = self.default_days.get(kind, resources.FALLBACK_CHECK_DAYS)
        self.interval.setSpecialValueText(_("as the kind ({days} days)").format(days=days))

    def work(self) -> Callable[[Session], Any]:
        values: dict[str, Any] = {
            "kind": self.kind.currentData(),
            "name": self.name.text().strip(),
            "status": self.status.currentData(),
            "quantity": self.quantity.value(),
            "unit": text_or_none(self.unit.text()),
            "location": text_or_none(self.location.text()),
            "contact_name": text_or_none(self.contact_name.text()),
            "contact_phone": text_or_none(self.contact_phone.text()),
            "check_interval_days": self.interval.value() or None,
            "notes": text_or_none(self.notes.toPlainText()),
        }
        if self.item is None:
            create = ResourceCreate(**values)
            return lambda s: resources.create(create, session=s).id
        item_id = self.item.id
        update = ResourceUpdate(**values, version=self.item.version)
        return lambda s: resources.update(item_id, update, session=s).id


class CheckDialog(FormDialog):
    """A check with the state found, when, and a note."""

    changes = Changes(resources=True)

    def __init__(self, ctx: Context, item: ResourceRow, parent: QWidget | None = None):
        super().__init__(ctx, _("Check: {name}").format(name=item.name), "resources", parent)
        self.setObjectName("check_dialog")
        self.item = item
        self.status = QComboBox()
        for s in ResourceStatus:
            self.status.addItem(status_text(s), s)
        select_data(self.status, item.status)
        self.checked_at = datetime_edit(utcnow())
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        self.note.setPlaceholderText(_("What was checked and what was found"))
        self.add_row(_("State &found"), self.status, "status")
        self.add_row(_("Checked &at"), self.checked_at, "checked_at")
        self.add_row(_("&Note"), self.note, "note")
        self.save_button.setText(_("Record check"))
        self.status.setFocus()

    def work(self) -> Callable[[Session], Any]:
        item_id = self.item.id
        status = self.status.currentData()
        at = datetime_of(self.checked_at)
        note = text_or_none(self.note.toPlainText())
        return lambda s: (
            resources.mark_checked(item_id, at=at, status=status, note=note, session=s).resource_id
        )
