"""The inventory of emergency reserves (plan §5): kind, status, quantity, location,
contact, when last checked and when the next check falls due. Overdue checks (and items
never checked) are marked red and bold with the overdue icon."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt
from sqlalchemy.orm import Session

from ebconsole.i18n import N_, _
from ebconsole.resources import service as resources
from ebconsole.resources.enums import KIND_LABELS, STATUS_LABELS, ResourceKind, ResourceStatus
from ebconsole.timeutil import format_local, to_local, utcnow
from ui import icons
from ui.plan.table import ALERT, ALERT_ROLE, OK, SORT_ROLE, WARN, RowsModel, bold

DUE_SOON_DAYS = 7

STATUS_COLOURS = {
    ResourceStatus.READY: OK,
    ResourceStatus.DEGRADED: WARN,
    ResourceStatus.UNAVAILABLE: ALERT,
    ResourceStatus.IN_USE: None,
}


@dataclass(frozen=True)
class ResourceRow:
    id: uuid.UUID
    kind: ResourceKind
    name: str
    location: str | None
    quantity: int
    unit: str | None
    status: ResourceStatus
    contact_name: str | None
    contact_phone: str | None
    check_interval_days: int
    last_checked_at: datetime | None
    next_due: datetime | None
    notes: str | None
    version: int

    def overdue(self, now: datetime) -> bool:
        return self.next_due is None or self.next_due < now

    def days_overdue(self, now: datetime) -> int:
        if self.next_due is None:
            return 0
        return (to_local(now).date() - to_local(self.next_due).date()).days


@dataclass(frozen=True)
class Inventory:
    rows: tuple[ResourceRow, ...]
    default_days: dict[ResourceKind, int] = field(default_factory=dict)  # per kind


def load_inventory(session: Session) -> Inventory:
    """Runs on a worker: every current item as a plain row, and the kinds' intervals."""
    rows = tuple(
        ResourceRow(
            id=r.id,
            kind=r.kind,
            name=r.name,
            location=r.location,
            quantity=r.quantity,
            unit=r.unit,
            status=r.status,
            contact_name=r.contact_name,
            contact_phone=r.contact_phone,
            check_interval_days=r.check_interval_days,
            last_checked_at=r.last_checked_at,
            next_due=r.next_check_due,
            notes=r.notes,
            version=r.version,
        )
        for r in resources.list_resources(session=session)
    )
    days = {k.kind: k.default_check_days for k in resources.list_kinds(session=session)}
    return Inventory(rows, days)


def kind_text(kind: ResourceKind) -> str:
    return _(KIND_LABELS[kind])


def status_text(status: ResourceStatus) -> str:
    return _(STATUS_LABELS[status])


class ResourcesModel(RowsModel[ResourceRow]):
    KIND, NAME, STATUS, QUANTITY, LOCATION, CONTACT, LAST_CHECKED, NEXT_DUE = range(8)
    COLUMNS = (
        N_("Kind"),
        N_("Item"),
        N_("Status"),
        N_("Quantity"),
        N_("Location"),
        N_("Contact"),
        N_("Last checked"),
        N_("Next check due"),
    )
    ALIGN_RIGHT = frozenset({QUANTITY})

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.now = utcnow()

    def set_rows(self, rows: Any) -> None:
        self.now = utcnow()
        super().set_rows(rows)

    def set_now(self, now: datetime) -> None:
        """Judge overdue at `now` (the clock moves on while the tab stays open)."""
        self.now = now
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def overdue_count(self) -> int:
        return sum(1 for r in self.rows() if r.overdue(self.now))

    def due_text(self, row: ResourceRow) -> str:
        if row.next_due is None:
            return _("Never checked")
        day = to_local(row.next_due).date().isoformat()
        if row.overdue(self.now):
            late = row.days_overdue(self.now)
            if late > 0:
                return _("{date} (overdue {days} d)").format(date=day, days=late)
            return _("{date} (overdue)").format(date=day)
        left = (to_local(row.next_due).date() - to_local(self.now).date()).days
        if left <= DUE_SOON_DAYS:
            return _("{date} (in {days} d)").format(date=day, days=left)
        return day

    def cell(self, row: ResourceRow, column: int, role: int) -> Any:
        overdue = row.overdue(self.now)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ALERT_ROLE:
            return overdue
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME and overdue:
            return icons.icon("overdue", ALERT.name())
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (self.NAME, self.NEXT_DUE) and overdue:
                return ALERT
            if column == self.NEXT_DUE and row.next_due is not None:
                left = (to_local(row.next_due).date() - to_local(self.now).date()).days
                return WARN if left <= DUE_SOON_DAYS else None
            if column == self.STATUS:
                return STATUS_COLOURS.get(row.status)
        if role == Qt.ItemDataRole.FontRole and column in (self.NAME, self.NEXT_DUE) and overdue:
            return bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, overdue)
        return None

    def _display(self, row: ResourceRow, column: int) -> str:
        if column == self.KIND:
            return kind_text(row.kind)
        if column == self.NAME:
            return row.name
        if column == self.STATUS:
            return status_text(row.status)
        if column == self.QUANTITY:
            return f"{row.quantity} {row.unit}" if row.unit else str(row.quantity)
        if column == self.LOCATION:
            return row.location or ""
        if column == self.CONTACT:
            return " ".join(p for p in (row.contact_name, row.contact_phone) if p)
        if column == self.LAST_CHECKED:
            return format_local(row.last_checked_at) if row.last_checked_at else "—"
        if column == self.NEXT_DUE:
            return self.due_text(row)
        return ""

    def _sort_key(self, row: ResourceRow, column: int) -> Any:
        if column == self.KIND:
            return f"{list(ResourceKind).index(row.kind):02d} {row.name}"
        if column == self.QUANTITY:
            return row.quantity
        if column == self.LAST_CHECKED:
            return row.last_checked_at.timestamp() if row.last_checked_at else 0.0
        if column == self.NEXT_DUE:
            return row.next_due.timestamp() if row.next_due else 0.0
        if column == self.STATUS:
            return list(ResourceStatus).index(row.status)
        return self._display(row, column)

    def _tooltip(self, row: ResourceRow, column: int, overdue: bool) -> str | None:
        if column == self.NEXT_DUE or (column == self.NAME and overdue):
            if row.next_due is None:
                return _("Never checked: the check is due now.")
            text = _("Checked every {days} days.").format(days=row.check_interval_days)
            if overdue:
                text = _("The check is overdue.") + " " + text
            return text
        if column == self.NAME and row.notes:
            return row.notes
        return None
