"""Item models of the 事件处置 tab.

`IncidentsModel` is the incidents table: it never holds the whole database. Each page is
one background read (`incidents.service.list_rows` with the filter's offset/limit and
sort key, so the database sorts, plus `obligations.service.next_deadline_for` for the
page's next deadlines); the view asks for the next page through `canFetchMore` /
`fetchMore` as it scrolls. A new filter or sort resets the model and loads the first page
(`FIRST_PAGE` rows, what a screen shows; then pages of `PAGE_SIZE`), and only once those
rows are in counts the total, so the count never delays them; `reload()` re-reads the
rows already shown (after a change) in one background read.

The view asks `data()` for seven roles of every cell it paints: the roles the table does
not use return at once, and a row's texts are made once and kept until the rows or the
clock change.

The detail view's lists (timeline, deadlines, transactions, improvement actions) are small
`RowsModel`s over frozen dataclasses built in `ui.incidents.data`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from sqlalchemy.orm import Session

from ebconsole.i18n import N_, _
from ebconsole.improvements.enums import ACTION_STATUS_LABELS
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import (
    CATEGORY_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TIMELINE_LABELS,
    Category,
    Severity,
    Status,
)
from ebconsole.incidents.schemas import MAX_LIMIT, IncidentFilter, IncidentListRow, SortKey
from ebconsole.obligations import service as obligations
from ebconsole.obligations.enums import STATE_LABELS, ObligationState
from ebconsole.timeutil import format_local, utcnow

# -- roles and colours -----------------------------------------------------------------------
IdRole = Qt.ItemDataRole.UserRole + 1  # the record's uuid
SortRole = Qt.ItemDataRole.UserRole + 2  # a plain value the column sorts by
RowRole = Qt.ItemDataRole.UserRole + 3  # the whole frozen row
AlertRole = Qt.ItemDataRole.UserRole + 4  # True when the row needs attention now

ALERT = QColor("#b3261e")
WARN = QColor("#8a5a00")
OK = QColor("#1b6e35")
MUTED = QColor("#6b7280")

SEVERITY_COLOURS = {Severity.I: ALERT, Severity.II: QColor("#c2410c"), Severity.III: WARN}

PAGE_SIZE = 200  # rows read per page as the table scrolls
FIRST_PAGE = 50  # the first page of a filter: enough to fill a tall screen, read sooner
SHOWN_WAIT_S = 1.0  # the longest a count waits for the rows to be shown
ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex
Reader = Callable[..., Any]  # ctx.read(fn, on_result=, on_error=)


def bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def severity_text(severity: Severity | None) -> str:
    return _(SEVERITY_LABELS[severity]) if severity is not None else _("Not assessed")


def status_text(status: Status) -> str:
    return _(STATUS_LABELS[status])


def category_text(category: Category) -> str:
    return _(CATEGORY_LABELS[category])


# -- the incidents table ----------------------------------------------------------------------
_LISTED = tuple(f.name for f in fields(IncidentListRow))


@dataclass(frozen=True, slots=True)
class IncidentRow(IncidentListRow):
    """A row of the table: the incident as listed, and its earliest open deadline."""

    next_due: datetime | None = None

    @classmethod
    def of(cls, item: IncidentListRow, next_due: datetime | None) -> IncidentRow:
        return cls(**{name: getattr(item, name) for name in _LISTED}, next_due=next_due)


def read_rows(flt: IncidentFilter, session: Session) -> list[IncidentRow]:
    """One page (the filter's offset/limit) as plain rows: runs on a worker. The page's
    columns only (`incidents.list_rows`), then its next deadlines."""
    found = incidents.list_rows(flt, session=session)
    due = obligations.next_deadline_for([i.id for i in found], session=session)
    return [IncidentRow.of(i, due.get(i.id)) for i in found]


def read_extent(flt: IncidentFilter, count: int, session: Session) -> list[IncidentRow]:
    """The first `count` rows (at least one page), in pages of at most MAX_LIMIT."""
    rows: list[IncidentRow] = []
    count = max(count, flt.limit)
    while len(rows) < count:
        limit = min(MAX_LIMIT, count - len(rows))
        page = read_rows(flt.model_copy(update={"offset": len(rows), "limit": limit}), session)
        rows += page
        if len(page) < limit:
            break
    return rows


class IncidentsModel(QAbstractTableModel):
    """The incidents matching a filter, loaded a page at a time, sorted by the database."""

    REFERENCE, REPORTED, CATEGORY, SEVERITY, STATUS, TITLE, OWNER, DEADLINE = range(8)
    COLUMNS = (
        N_("Incident no."),
        N_("Reported at"),
        N_("Class"),
        N_("Severity"),
        N_("Status"),
        N_("Title"),
        N_("Owner"),
        N_("Next deadline"),
    )
    # the columns the database can sort by (owner and next deadline it cannot)
    SORT_KEYS: ClassVar[dict[int, SortKey]] = {
        REFERENCE: SortKey.REFERENCE,
        REPORTED: SortKey.REPORTED_AT,
        CATEGORY: SortKey.CATEGORY,
        SEVERITY: SortKey.SEVERITY,
        STATUS: SortKey.STATUS,
        TITLE: SortKey.TITLE,
    }

    total_changed = Signal(object)  # int, or None while it is being counted
    loading_changed = Signal(bool)
    page_loaded = Signal()  # after a page's rows were added (or the model was re-read)
    load_failed = Signal(object)  # the exception of a failed read

    def __init__(
        self,
        read: Reader,
        parent: QObject | None = None,
        page_size: int = PAGE_SIZE,
        first_page: int = FIRST_PAGE,
    ):
        super().__init__(parent)
        self._read = read
        self.page_size = page_size
        self.first_page = min(first_page, page_size)
        self._texts: dict[int, tuple[str, ...]] = {}  # row → its cells' texts, made once
        self._filter = IncidentFilter(limit=page_size)
        self._rows: list[IncidentRow] = []
        self._has_more = False
        self._loading = False
        self._generation = 0  # answers to an older filter are dropped
        self.total: int | None = None
        self.now = utcnow()
        self._started = False  # nothing is read before the first filter is set
        self._count_after_page = False
        # `when_shown(fn)` calls fn once a first page's rows are on screen: a view sets it
        # (`IncidentsTab`: after the table's next paint); without one, at once
        self.when_shown: Callable[[Callable[[], None]], None] = _now

    # -- the filter --------------------------------------------------------------------
    @property
    def filter(self) -> IncidentFilter:
        return self._filter

    def set_filter(self, flt: IncidentFilter) -> None:
        """Show what `flt` matches (its sort, offset and limit are the model's own)."""
        self._filter = flt.model_copy(
            update={
                "sort": self._filter.sort,
                "descending": self._filter.descending,
                "offset": 0,
                "limit": self.page_size,
            }
        )
        self._started = True
        self._restart()

    def sort_column(self) -> int:
        for column, key in self.SORT_KEYS.items():
            if key is self._filter.sort:
                return column
        return self.REPORTED

    def sort_order(self) -> Qt.SortOrder:
        return (
            Qt.SortOrder.DescendingOrder if self._filter.descending else Qt.SortOrder.AscendingOrder
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key is self._filter.sort and descending == self._filter.descending:
            return
        self._filter = self._filter.model_copy(update={"sort": key, "descending": descending})
        if self._started:
            self._restart()

    def _restart(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._texts.clear()
        self._has_more = True
        self._loading = False
        self.endResetModel()
        self.total = None
        self.total_changed.emit(None)
        self._count_after_page = True  # the rows first; then the total, on its own
        self.fetchMore(ROOT)

    def _count(self, shown: threading.Event | None = None) -> None:
        """Count what the filter matches; the query waits until `shown` is set (the rows
        are on screen), for SHOWN_WAIT_S at most. The read is submitted at once, so the
        model is never idle with a count still to come."""
        flt, generation = self._filter, self._generation

        def count(s: Session) -> int:
            if shown is not None:
                shown.wait(SHOWN_WAIT_S)
            return incidents.count_incidents(flt, session=s)

        def done(total: int) -> None:
            if generation == self._generation:
                self.total = total
                self.total_changed.emit(total)

        self._read(
            count,
            on_result=done,
            on_error=self._failed_for(generation),
            label=_("Counting incidents"),
            owner=self,
        )

    # -- paging ------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._has_more

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or not self._has_more or self._loading or not self._started:
            return
        offset = len(self._rows)
        limit = self.page_size if offset else self.first_page
        flt = self._filter.model_copy(update={"offset": offset, "limit": limit})
        generation = self._generation
        self._set_loading(True)

        def done(rows: list[IncidentRow]) -> None:
            if generation != self._generation:
                return
            self._has_more = len(rows) == flt.limit
            if rows:
                # still "loading" while the rows go in: a view or tester asking for more
                # from inside the insertion gets nothing twice
                self.now = utcnow()
                self._texts.clear()  # "overdue" is judged again at the new time
                first = len(self._rows)
                self.beginInsertRows(ROOT, first, first + len(rows) - 1)
                self._rows += rows
                self.endInsertRows()
            self._set_loading(False)
            self.page_loaded.emit()
            if self._count_after_page:
                # the total is the next piece of work once the rows are shown, so its
                # query never competes with them for the interpreter or a core
                self._count_after_page = False
                shown = threading.Event()
                if rows:
                    self.when_shown(shown.set)
                else:
                    shown.set()
                self._count(shown)

        self._read(
            lambda s: read_rows(flt, s),
            on_result=done,
            on_error=self._failed_for(generation),
            label=_("Loading incidents"),
            owner=self,
        )

    def reload(self) -> None:
        """Read again what is shown (after a change), keeping how far it was scrolled."""
        if not self._started:
            return
        self._generation += 1  # a page in flight was read before the change: drop it
        flt = self._filter.model_copy(update={"limit": self.first_page})
        generation = self._generation
        shown = len(self._rows)
        self._count_after_page = False
        self._set_loading(True)

        def done(rows: list[IncidentRow]) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self._rows = rows
            self._texts.clear()
            self._has_more = len(rows) >= max(shown, self.first_page)
            self.now = utcnow()
            self.endResetModel()
            self._set_loading(False)
            self.page_loaded.emit()
            self._count()

        self._read(
            lambda s: read_extent(flt, shown, s),
            on_result=done,
            on_error=self._failed_for(generation),
            label=_("Loading incidents"),
            owner=self,
        )

    def _failed_for(self, generation: int) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return  # a read for a filter no longer shown
            self._set_loading(False)
            self._has_more = False  # no retry storm: a new filter or a refresh tries again
            self.load_failed.emit(exc)

        return failed

    # -- rows --------------------------------------------------------------------------
    def row_at(self, row: int) -> IncidentRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, incident_id: uuid.UUID) -> int:
        for i, item in enumerate(self._rows):
            if item.id == incident_id:
                return i
        return -1

    def rows(self) -> list[IncidentRow]:
        return list(self._rows)

    def set_now(self, now: datetime) -> None:
        """Judge overdue deadlines at `now` (the clock moves on while the tab is open)."""
        self.now = now
        self._texts.clear()
        if self._rows:
            column = self.DEADLINE
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    # -- Qt ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section not in self.SORT_KEYS:
            return _("This column cannot be sorted")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # asked for seven roles of every painted cell: what the table does not use (icons,
        # alignment, background, check boxes) is answered before anything else is looked at
        answer = _ANSWERS.get(role)
        if answer is None:
            return None
        r, column = index.row(), index.column()  # an invalid index: row and column -1
        if not (0 <= r < len(self._rows) and 0 <= column < len(self.COLUMNS)):
            return None
        return answer(self, r, column)

    def _display_of(self, r: int, column: int) -> str:
        texts = self._texts.get(r)
        if texts is None:
            row = self._rows[r]
            texts = self._texts[r] = tuple(self._display(row, c) for c in range(len(self.COLUMNS)))
        return texts[column]

    def _id_of(self, r: int, column: int) -> uuid.UUID:
        return self._rows[r].id

    def _row_of(self, r: int, column: int) -> IncidentRow:
        return self._rows[r]

    def _sort_of(self, r: int, column: int) -> Any:
        return self._sort_value(self._rows[r], column)

    def _overdue(self, row: IncidentRow) -> bool:
        return row.next_due is not None and row.next_due < self.now

    def _alert_of(self, r: int, column: int) -> bool:
        return self._overdue(self._rows[r])

    def _foreground_of(self, r: int, column: int) -> QColor | None:
        if column == self.SEVERITY:
            severity = self._rows[r].severity
            return MUTED if severity is None else SEVERITY_COLOURS.get(severity)
        if column == self.DEADLINE and self._overdue(self._rows[r]):
            return ALERT
        return None

    def _font_of(self, r: int, column: int) -> QFont | None:
        if column == self.SEVERITY and self._rows[r].severity in (Severity.I, Severity.II):
            return _bold()
        if column == self.DEADLINE and self._overdue(self._rows[r]):
            return _bold()
        return None

    def _tooltip_of(self, r: int, column: int) -> str | None:
        row = self._rows[r]
        if column == self.TITLE:
            return row.title
        if column == self.DEADLINE and self._overdue(row):
            return _("Overdue")
        if column == self.REFERENCE and row.branch:
            return row.branch
        return None

    def _display(self, row: IncidentRow, column: int) -> str:
        if column == self.REFERENCE:
            return row.reference
        if column == self.REPORTED:
            return format_local(row.reported_at)
        if column == self.CATEGORY:
            return category_text(row.category)
        if column == self.SEVERITY:
            return severity_text(row.severity)
        if column == self.STATUS:
            return status_text(row.status)
        if column == self.TITLE:
            return row.title
        if column == self.OWNER:
            return row.owner
        if column == self.DEADLINE:
            if row.next_due is None:
                return ""
            text = format_local(row.next_due)
            return _("{time} (overdue)").format(time=text) if row.next_due < self.now else text
        return ""

    def _sort_value(self, row: IncidentRow, column: int) -> Any:
        if column == self.REPORTED:
            return row.reported_at.timestamp()
        if column == self.SEVERITY:
            return row.severity.rank if row.severity is not None else 9
        if column == self.STATUS:
            return list(Status).index(row.status)
        if column == self.CATEGORY:
            return list(Category).index(row.category)
        if column == self.DEADLINE:
            return row.next_due.timestamp() if row.next_due is not None else float("inf")
        return self._display(row, column)


def _now(work: Callable[[], None]) -> None:
    work()


_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
# the roles `IncidentsModel.data` answers, and how
_ANSWERS: dict[int, Callable[[IncidentsModel, int, int], Any]] = {
    Qt.ItemDataRole.DisplayRole: IncidentsModel._display_of,
    IdRole: IncidentsModel._id_of,
    RowRole: IncidentsModel._row_of,
    SortRole: IncidentsModel._sort_of,
    AlertRole: IncidentsModel._alert_of,
    Qt.ItemDataRole.ForegroundRole: IncidentsModel._foreground_of,
    Qt.ItemDataRole.FontRole: IncidentsModel._font_of,
    Qt.ItemDataRole.ToolTipRole: IncidentsModel._tooltip_of,
}
_BOLD: list[QFont] = []


def _bold() -> QFont:
    """One bold font for every cell that asks (made when first asked: it needs the app)."""
    if not _BOLD:
        _BOLD.append(bold())
    return _BOLD[0]


# -- small lists of the detail view -----------------------------------------------------------
R = TypeVar("R")


class RowsModel(QAbstractTableModel, Generic[R]):
    """A short flat list of frozen rows (one incident's timeline, deadlines …): subclasses
    name their columns in COLUMNS and answer `cell(row, column, role)`."""

    COLUMNS: ClassVar[Sequence[str]] = ()
    ALIGN_RIGHT: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[R] = []
        self.now = utcnow()

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.now = utcnow()
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def set_now(self, now: datetime) -> None:
        """Judge states (due soon, overdue) at `now`: the clock moves on."""
        self.now = now
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self.COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        if role == RowRole:
            return row
        if role == IdRole:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.ALIGN_RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.cell(row, index.column(), role)

    def cell(self, row: R, column: int, role: int) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class TimelineRow:
    id: uuid.UUID
    at: datetime
    kind: Any  # TimelineKind
    actor: str
    text: str


class TimelineModel(RowsModel[TimelineRow]):
    TIME, KIND, ACTOR, TEXT = range(4)
    COLUMNS = (N_("Time"), N_("Kind"), N_("By"), N_("Entry"))

    def cell(self, row: TimelineRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TIME:
                return format_local(row.at)
            if column == self.KIND:
                return _(TIMELINE_LABELS[row.kind])
            if column == self.ACTOR:
                return row.actor
            if column == self.TEXT:
                return row.text.replace("\n", " / ")
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TEXT:
            return row.text
        if role == SortRole:
            return row.at.timestamp() if column == self.TIME else self.cell(row, column, 0)
        return None


@dataclass(frozen=True)
class ObligationRow:
    id: uuid.UUID
    kind: Any  # ObligationKind
    due_at: datetime
    remind_at: datetime
    estimated: bool
    done_at: datetime | None
    done_by: str | None
    note: str | None

    def state_at(self, now: datetime) -> ObligationState:
        """As `Obligation.state_at`: done (in time or late), overdue, due soon, pending."""
        if self.done_at is not None:
            return (
                ObligationState.DONE if self.done_at <= self.due_at else ObligationState.DONE_LATE
            )
        if now > self.due_at:
            return ObligationState.OVERDUE
        if now >= self.remind_at:
            return ObligationState.DUE_SOON
        return ObligationState.PENDING


STATE_COLOURS = {
    ObligationState.OVERDUE: ALERT,
    ObligationState.DUE_SOON: WARN,
    ObligationState.DONE: OK,
    ObligationState.DONE_LATE: WARN,
}


class ObligationsModel(RowsModel[ObligationRow]):
    KIND, DUE, STATE, DONE = range(4)
    COLUMNS = (N_("Obligation"), N_("Due"), N_("State"), N_("Done"))

    def cell(self, row: ObligationRow, column: int, role: int) -> Any:
        state = row.state_at(self.now)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.KIND:
                return _(row.kind.label)
            if column == self.DUE:
                due = format_local(row.due_at)
                return _("{time} (estimated)").format(time=due) if row.estimated else due
            if column == self.STATE:
                return _(STATE_LABELS[state])
            if column == self.DONE:
                if row.done_at is None:
                    return ""
                return " ".join(p for p in (format_local(row.done_at), row.done_by or "") if p)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE:
            return STATE_COLOURS.get(state)
        if role == Qt.ItemDataRole.FontRole and state is ObligationState.OVERDUE:
            return bold()
        if role == AlertRole:
            return state is ObligationState.OVERDUE
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.estimated and column == self.DUE:
                return _(
                    "Working days were counted Monday to Friday: the holiday calendar "
                    "lacks this year"
                )
            return row.note or None
        if role == SortRole:
            return row.due_at.timestamp()
        return None


@dataclass(frozen=True)
class TransactionRow:
    id: uuid.UUID
    time: datetime | None
    amount: Any  # Decimal
    currency: str
    counterparty_name: str | None
    counterparty_account: str | None
    counterparty_bank: str | None
    reference: str | None


class TransactionsModel(RowsModel[TransactionRow]):
    TIME, AMOUNT, COUNTERPARTY, ACCOUNT, BANK, REFERENCE = range(6)
    COLUMNS = (
        N_("Time"),
        N_("Amount"),
        N_("Counterparty"),
        N_("Counterparty account"),
        N_("Counterparty bank"),
        N_("Transaction reference"),
    )
    ALIGN_RIGHT = frozenset({AMOUNT})

    def cell(self, row: TransactionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TIME:
                return format_local(row.time) if row.time else ""
            if column == self.AMOUNT:
                return f"{row.amount:,.2f} {row.currency}"
            values = {
                self.COUNTERPARTY: row.counterparty_name,
                self.ACCOUNT: row.counterparty_account,
                self.BANK: row.counterparty_bank,
                self.REFERENCE: row.reference,
            }
            return values.get(column) or ""
        if role == SortRole:
            if column == self.AMOUNT:
                return float(row.amount)
            if column == self.TIME:
                return row.time.timestamp() if row.time else 0.0
            return self.cell(row, column, Qt.ItemDataRole.DisplayRole)
        return None


@dataclass(frozen=True)
class ImprovementRow:
    id: uuid.UUID
    title: str
    owner: str
    due_date: Any  # date
    status: Any  # ActionStatus
    overdue: bool


class ImprovementsModel(RowsModel[ImprovementRow]):
    TITLE, OWNER, DUE, STATUS = range(4)
    COLUMNS = (N_("Improvement action"), N_("Owner"), N_("Due date"), N_("Status"))

    def cell(self, row: ImprovementRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return row.title
            if column == self.OWNER:
                return row.owner
            if column == self.DUE:
                return row.due_date.isoformat()
            if column == self.STATUS:
                return _(ACTION_STATUS_LABELS[row.status])
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DUE and row.overdue:
            return ALERT
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return row.title
        if role == SortRole:
            return row.due_date.toordinal() if column == self.DUE else self.cell(row, column, 0)
        return None
