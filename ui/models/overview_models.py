"""Item models of the Overview tab: the open incidents by severity × state, and one small
table model per list (incidents, obligations, on duty, resource checks, drills,
improvement actions). Rows are the plain dataclasses of `ui.overview.data`.

Every list model answers `RECORD_ROLE` with the `Target` a row opens (tab key and record
id), `SORT_ROLE` with a value the proxy sorts by, and `URGENT_ROLE` with whether the row
is overdue (drawn in the alert colour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from ebconsole.i18n import N_, _
from ebconsole.improvements.enums import SourceKind
from ebconsole.incidents.enums import SEVERITY_LABELS, STATUS_LABELS, Severity, Status
from ebconsole.timeutil import format_local, to_local
from ui.overview.data import (
    OPEN_ORDER,
    SEVERITIES,
    ActionRow,
    DrillRow,
    IncidentRow,
    ObligationRow,
    OverviewData,
    ResourceRow,
    ShiftRow,
)
from ui.overview.texts import days_text, due_in_text, short_time

Index = QModelIndex | QPersistentModelIndex

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # Target: where activating the row goes
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # str / int / float the proxy sorts by
URGENT_ROLE = Qt.ItemDataRole.UserRole + 3  # bool: overdue, shown in the alert colour

ALERT_COLOUR = "#b3261e"
# the plan's levels: I red, II orange, III yellow, IV blue; not yet graded grey
SEVERITY_COLOURS: dict[Severity | None, str] = {
    Severity.I: "#d32f2f",
    Severity.II: "#ef6c00",
    Severity.III: "#f9a825",
    Severity.IV: "#1e6fd0",
    None: "#8a8f98",
}
NOT_GRADED = N_("Not assessed")  # as the Incidents tab and the reports say

# tab keys a row opens
INCIDENTS_TAB = "incidents"
RESOURCES_TAB = "resources"
ROSTER_TAB = "roster"
DRILLS_TAB = "drills"
IMPROVEMENTS_TAB = "improvements"


@dataclass(frozen=True)
class Target:
    """Where an item is handled: the tab and, when there is one, the record to show."""

    tab: str
    record_id: str = ""


def severity_text(severity: Severity | None) -> str:
    return _(SEVERITY_LABELS[severity]) if severity is not None else _(NOT_GRADED)


@cache
def _dot(colour: str, size: int = 12) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return pixmap


def severity_icon(severity: Severity | None) -> QIcon:
    return QIcon(_dot(SEVERITY_COLOURS[severity]))


def _stamp(value: datetime | None) -> float:
    """A sort value for a time; no time sorts last."""
    return value.timestamp() if value is not None else float("inf")


def _day(value: date | None) -> int:
    return value.toordinal() if value is not None else 0


# -- open incidents by severity × state --------------------------------------------------
class SeverityStatusModel(QAbstractTableModel):
    """Rows: the open states in lifecycle order, then the total. Columns: the state, each
    level I … IV, not yet graded, the total. Any cell opens the Incidents tab."""

    COL_STATE = 0
    FIRST_LEVEL = 1  # columns 1 … 4: I … IV
    COL_NOT_GRADED = FIRST_LEVEL + len(SEVERITIES)
    COL_TOTAL = COL_NOT_GRADED + 1
    COLUMN_COUNT = COL_TOTAL + 1
    TOTAL_ROW = len(OPEN_ORDER)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.overview: OverviewData | None = None

    def set_overview(self, data: OverviewData) -> None:
        self.beginResetModel()
        self.overview = data
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(OPEN_ORDER) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def severity_of(self, column: int) -> Severity | None:
        """The level a count column stands for (None: not yet graded)."""
        if self.FIRST_LEVEL <= column < self.COL_NOT_GRADED:
            return SEVERITIES[column - self.FIRST_LEVEL]
        return None

    def status_of(self, row: int) -> Status | None:
        return OPEN_ORDER[row] if 0 <= row < len(OPEN_ORDER) else None

    def count(self, row: int, column: int) -> int:
        data = self.overview
        if data is None or column == self.COL_STATE:
            return 0
        status = self.status_of(row)
        if column == self.COL_TOTAL:
            return data.open_total if status is None else data.by_status(status)
        severity = self.severity_of(column)
        if status is None:
            return data.by_severity(severity)
        return data.count(severity, status)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.COL_STATE:
                return _("State")
            if section == self.COL_TOTAL:
                return _("Total")
            if section == self.COL_NOT_GRADED:
                return _(NOT_GRADED)
            return _("Level {level}").format(level=self.severity_of(section))
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and self.FIRST_LEVEL <= section <= self.COL_NOT_GRADED
        ):
            return severity_text(self.severity_of(section))
        if role == Qt.ItemDataRole.DecorationRole and (
            self.FIRST_LEVEL <= section <= self.COL_NOT_GRADED
        ):
            return severity_icon(self.severity_of(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.overview is None:
            return None
        row, column = index.row(), index.column()
        total_row = row == self.TOTAL_ROW
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_STATE:
                status = self.status_of(row)
                return _(STATUS_LABELS[status]) if status is not None else _("Total")
            number = self.count(row, column)
            return str(number) if number else "·"
        if role == SORT_ROLE:
            return self.count(row, column) if column != self.COL_STATE else row
        if role == RECORD_ROLE:
            return Target(INCIDENTS_TAB)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.COL_STATE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and (total_row or column == self.COL_TOTAL):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column != self.COL_STATE:
            if not self.count(row, column):
                return QBrush(QColor("#9aa0a6"))
            return None
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and self.FIRST_LEVEL <= column < self.COL_NOT_GRADED
            and self.count(row, column)
        ):
            colour = QColor(SEVERITY_COLOURS[self.severity_of(column)])
            colour.setAlpha(40)
            return QBrush(colour)
        if role == Qt.ItemDataRole.ToolTipRole and column != self.COL_STATE:
            status = self.status_of(row)
            parts = [severity_text(self.severity_of(column))] if column != self.COL_TOTAL else []
            if status is not None:
                parts.append(_(STATUS_LABELS[status]))
            return _("{what}: {count} open incidents").format(
                what=" · ".join(parts) or _("Total"), count=self.count(row, column)
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


# -- the lists ---------------------------------------------------------------------------
R = TypeVar("R")


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over plain rows. Subclasses set COLUMNS (translatable headers)
    and say what each cell shows."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    ALERT_COLUMNS: ClassVar[frozenset[int]] = frozenset()  # shown red when the row is urgent
    RIGHT_COLUMNS: ClassVar[frozenset[int]] = frozenset()  # numbers, right-aligned

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: tuple[R, ...] = ()
        self.now: datetime | None = None
        self.today: date | None = None

    def set_rows(self, rows: Sequence[R], now: datetime, today: date) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.now, self.today = now, today
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return _(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == SORT_ROLE:
            return self.sort_value(row, column)
        if role == RECORD_ROLE:
            return self.target(row)
        if role == URGENT_ROLE:
            return self.urgent(row)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.decoration(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in self.ALERT_COLUMNS and self.urgent(row):
                return QBrush(QColor(ALERT_COLOUR))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.RIGHT_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- what subclasses say -------------------------------------------------------------
    def display(self, row: R, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: R, column: int) -> str:
        return self.display(row, column)

    def sort_value(self, row: R, column: int) -> Any:
        return self.display(row, column)

    def target(self, row: R) -> Target:
        raise NotImplementedError

    def urgent(self, row: R) -> bool:
        return False

    def decoration(self, row: R, column: int) -> Any:
        return None

    # -- shared helpers ------------------------------------------------------------------
    def _now(self) -> datetime:
        assert self.now is not None
        return self.now

    def _today(self) -> date:
        assert self.today is not None
        return self.today


class IncidentListModel(RowsModel[IncidentRow]):
    """The gravest open incidents: not yet graded first, then level I … IV."""

    COL_SEVERITY, COL_REFERENCE, COL_TITLE, COL_STATUS, COL_DEADLINE = range(5)
    COLUMNS = (
        N_("Level"),
        N_("Incident no."),
        N_("Title"),
        N_("State"),
        N_("Next deadline"),
    )
    ALERT_COLUMNS = frozenset({COL_DEADLINE})

    def display(self, row: IncidentRow, column: int) -> str:
        if column == self.COL_SEVERITY:
            if row.severity is None:
                return _(NOT_GRADED)
            return _("Level {level}").format(level=row.severity.value)
        if column == self.COL_REFERENCE:
            return row.reference
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_STATUS:
            return _(STATUS_LABELS[row.status])
        if column == self.COL_DEADLINE:
            return due_in_text(row.next_due, self._now()) if row.next_due else ""
        return ""

    def tooltip(self, row: IncidentRow, column: int) -> str:
        if column == self.COL_SEVERITY:
            return severity_text(row.severity)
        if column == self.COL_DEADLINE and row.next_due:
            return format_local(row.next_due)
        if column in (self.COL_REFERENCE, self.COL_TITLE):
            reported = _("Reported at {time}").format(time=format_local(row.reported_at))
            return "\n".join(p for p in (row.reference, row.title, row.branch, reported) if p)
        return self.display(row, column)

    def sort_value(self, row: IncidentRow, column: int) -> Any:
        if column == self.COL_SEVERITY:
            return row.severity.rank if row.severity is not None else 0
        if column == self.COL_STATUS:
            return OPEN_ORDER.index(row.status) if row.status in OPEN_ORDER else 99
        if column == self.COL_DEADLINE:
            return _stamp(row.next_due)
        return self.display(row, column)

    def decoration(self, row: IncidentRow, column: int) -> Any:
        return severity_icon(row.severity) if column == self.COL_SEVERITY else None

    def urgent(self, row: IncidentRow) -> bool:
        return row.next_due is not None and row.next_due < self._now()

    def target(self, row: IncidentRow) -> Target:
        return Target(INCIDENTS_TAB, str(row.id))


class ObligationListModel(RowsModel[ObligationRow]):
    """Deadlines overdue and due in the next 24 hours, earliest first."""

    COL_DUE, COL_LEFT, COL_KIND, COL_INCIDENT = range(4)
    COLUMNS = (N_("Due at"), N_("Time left"), N_("Obligation"), N_("Incident"))
    ALERT_COLUMNS = frozenset({COL_DUE, COL_LEFT})

    def display(self, row: ObligationRow, column: int) -> str:
        if column == self.COL_DUE:
            return short_time(row.due_at, self._now()) + ("*" if row.estimated else "")
        if column == self.COL_LEFT:
            return due_in_text(row.due_at, self._now())
        if column == self.COL_KIND:
            return _(row.kind.label)
        if column == self.COL_INCIDENT:
            return f"{row.reference}  {row.incident_title}"
        return ""

    def tooltip(self, row: ObligationRow, column: int) -> str:
        if column == self.COL_DUE:
            text = format_local(row.due_at)
            if row.estimated:
                text += "\n" + _(
                    "Estimated: working days counted Monday to Friday (no holiday calendar "
                    "for that year)."
                )
            return text
        if column == self.COL_INCIDENT:
            return f"{row.reference}  {row.incident_title}\n{severity_text(row.severity)}"
        return self.display(row, column)

    def sort_value(self, row: ObligationRow, column: int) -> Any:
        if column in (self.COL_DUE, self.COL_LEFT):
            return _stamp(row.due_at)
        return self.display(row, column)

    def decoration(self, row: ObligationRow, column: int) -> Any:
        return severity_icon(row.severity) if column == self.COL_INCIDENT else None

    def urgent(self, row: ObligationRow) -> bool:
        return row.overdue(self._now())

    def target(self, row: ObligationRow) -> Target:
        return Target(INCIDENTS_TAB, str(row.incident_id))


class ShiftListModel(RowsModel[ShiftRow]):
    """Who is on duty now, the shift leader first."""

    COL_ROLE, COL_NAME, COL_PHONE, COL_UNTIL = range(4)
    COLUMNS = (N_("Duty"), N_("Name"), N_("Phone"), N_("On duty until"))

    def display(self, row: ShiftRow, column: int) -> str:
        if column == self.COL_ROLE:
            return _(row.role.label)
        if column == self.COL_NAME:
            return row.person_name
        if column == self.COL_PHONE:
            return row.person_phone or ""
        if column == self.COL_UNTIL:
            return short_time(row.ends_at, self._now())
        return ""

    def tooltip(self, row: ShiftRow, column: int) -> str:
        return _("{start} – {end}").format(
            start=format_local(row.starts_at), end=format_local(row.ends_at)
        )

    def sort_value(self, row: ShiftRow, column: int) -> Any:
        if column == self.COL_ROLE:
            return list(type(row.role)).index(row.role)
        if column == self.COL_UNTIL:
            return _stamp(row.ends_at)
        return self.display(row, column)

    def target(self, row: ShiftRow) -> Target:
        return Target(ROSTER_TAB, str(row.id))


class ResourceListModel(RowsModel[ResourceRow]):
    """Reserves whose periodic check is overdue, most overdue first."""

    COL_NAME, COL_OVERDUE, COL_STATUS, COL_CONTACT = range(4)
    COLUMNS = (N_("Item"), N_("Check due"), N_("Condition"), N_("Contact"))
    ALERT_COLUMNS = frozenset({COL_OVERDUE})

    def display(self, row: ResourceRow, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_OVERDUE:
            if row.next_check_due is None:
                return _("never checked")
            return days_text(to_local(row.next_check_due).date(), self._today())
        if column == self.COL_STATUS:
            return _(row.status.label)
        if column == self.COL_CONTACT:
            return row.contact or ""
        return ""

    def tooltip(self, row: ResourceRow, column: int) -> str:
        if column == self.COL_NAME:
            return "\n".join(p for p in (row.name, _(row.kind.label), row.location) if p)
        if column == self.COL_OVERDUE:
            last = format_local(row.last_checked_at) if row.last_checked_at else _("never")
            text = _("Last checked: {time}").format(time=last)
            if row.next_check_due is not None:
                text = _("Check due: {time}").format(time=format_local(row.next_check_due)) + (
                    "\n" + text
                )
            return text
        return self.display(row, column)

    def sort_value(self, row: ResourceRow, column: int) -> Any:
        if column == self.COL_OVERDUE:
            return row.next_check_due.timestamp() if row.next_check_due else float("-inf")
        return self.display(row, column)

    def urgent(self, row: ResourceRow) -> bool:
        return True  # every row here is overdue

    def target(self, row: ResourceRow) -> Target:
        return Target(RESOURCES_TAB, str(row.id))


class DrillListModel(RowsModel[DrillRow]):
    """Training and drill plans overdue or falling due soon (每年至少一次)."""

    COL_TITLE, COL_KIND, COL_DUE, COL_LEFT, COL_LAST = range(5)
    COLUMNS = (N_("Plan"), N_("Kind"), N_("Next due"), N_("Time left"), N_("Last held"))
    ALERT_COLUMNS = frozenset({COL_DUE, COL_LEFT})

    def display(self, row: DrillRow, column: int) -> str:
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_KIND:
            return _(row.kind.label)
        if column == self.COL_DUE:
            return row.next_due.isoformat()
        if column == self.COL_LEFT:
            return days_text(row.next_due, self._today())
        if column == self.COL_LAST:
            return row.last_held.isoformat() if row.last_held else _("never held")
        return ""

    def tooltip(self, row: DrillRow, column: int) -> str:
        if column == self.COL_TITLE:
            return _("{title}: held {count} times this year").format(
                title=row.title, count=row.held_in_year
            )
        return self.display(row, column)

    def sort_value(self, row: DrillRow, column: int) -> Any:
        if column in (self.COL_DUE, self.COL_LEFT):
            return _day(row.next_due)
        if column == self.COL_LAST:
            return _day(row.last_held)
        return self.display(row, column)

    def urgent(self, row: DrillRow) -> bool:
        return row.overdue

    def target(self, row: DrillRow) -> Target:
        return Target(DRILLS_TAB, str(row.plan_id))


class ActionListModel(RowsModel[ActionRow]):
    """Improvement actions past their due date, the oldest due first."""

    COL_TITLE, COL_OWNER, COL_DUE, COL_LEFT, COL_SOURCE = range(5)
    COLUMNS = (N_("Improvement action"), N_("Owner"), N_("Due date"), N_("Time left"), N_("Source"))
    ALERT_COLUMNS = frozenset({COL_DUE, COL_LEFT})

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        # the tabs this operator has, to open an action where it is handled (None: any)
        self.tabs: frozenset[str] | None = None

    def set_tabs(self, tabs: Sequence[str] | None) -> None:
        self.tabs = frozenset(tabs) if tabs is not None else None

    def display(self, row: ActionRow, column: int) -> str:
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_OWNER:
            return row.owner_name
        if column == self.COL_DUE:
            return row.due_date.isoformat()
        if column == self.COL_LEFT:
            return days_text(row.due_date, self._today())
        if column == self.COL_SOURCE:
            return _(row.source_kind.label)
        return ""

    def tooltip(self, row: ActionRow, column: int) -> str:
        if column == self.COL_SOURCE and row.source_ref:
            return f"{_(row.source_kind.label)}: {row.source_ref}"
        return self.display(row, column)

    def sort_value(self, row: ActionRow, column: int) -> Any:
        if column in (self.COL_DUE, self.COL_LEFT):
            return _day(row.due_date)
        return self.display(row, column)

    def urgent(self, row: ActionRow) -> bool:
        return True  # every row here is overdue

    def target(self, row: ActionRow) -> Target:
        """The Improvements tab when there is one; else where the action is also shown:
        Training & drills for a finding of a drill or training (by the action's id), the
        incident for a finding of its review."""
        if self.tabs is None or IMPROVEMENTS_TAB in self.tabs:
            return Target(IMPROVEMENTS_TAB, str(row.id))
        if row.source_kind in (SourceKind.DRILL, SourceKind.TRAINING):
            return Target(DRILLS_TAB, str(row.id))
        if row.source_kind is SourceKind.INCIDENT_REVIEW and row.source_id is not None:
            return Target(INCIDENTS_TAB, str(row.source_id))
        return Target(IMPROVEMENTS_TAB, str(row.id))


class OverviewProxy(QSortFilterProxyModel):
    """Sorts a list by `SORT_ROLE` (times and ranks, not their text)."""

    def __init__(self, source: QAbstractTableModel, parent: Any = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSourceModel(source)
