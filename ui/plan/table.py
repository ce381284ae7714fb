"""What the plan's tables share: a table model over plain rows (paged with canFetchMore /
fetchMore), a sort/filter proxy driven by a predicate, a configured QTableView, the
colours that mark what needs attention, and a reader that keeps only the newest answer.

    class ResourcesModel(RowsModel[ResourceRow]):
        COLUMNS = (N_("Kind"), N_("Name"), ...)
        def cell(self, row, column, role): ...

    self.model = ResourcesModel(self)
    self.proxy = RowsProxy(self)
    self.proxy.setSourceModel(self.model)
    self.table = make_table(self.proxy)
    self.proxy.set_filter(lambda row: row.overdue)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ui.context import Context

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

# -- custom roles (shared by the plan's models) ---------------------------------------
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a str / int / float to sort the column by
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the record's uuid
ROW_ROLE = Qt.ItemDataRole.UserRole + 3  # the whole plain row
ALERT_ROLE = Qt.ItemDataRole.UserRole + 4  # True when the row needs attention (overdue, gap)

# -- colours ----------------------------------------------------------------------------
ALERT = QColor("#b3261e")  # overdue, gap, nobody leads: same red as field errors
ALERT_BACKGROUND = QColor("#fde7e9")
OK = QColor("#1b6e35")
OK_BACKGROUND = QColor("#e3f2e7")
WARN = QColor("#8a5a00")
WARN_BACKGROUND = QColor("#fff3cd")
MUTED = QColor("#6b7280")

PAGE_SIZE = 500
ROOT = QModelIndex()  # the invalid parent of every row of a flat table


def bold(font: QFont | None = None) -> QFont:
    f = QFont(font) if font is not None else QFont()
    f.setBold(True)
    return f


class RowsModel(QAbstractTableModel, Generic[R]):
    """A flat table of plain rows (frozen dataclasses). Subclasses name their columns in
    `COLUMNS` (English, translated when shown) and answer `cell(row, column, role)`.

    Rows are shown in pages of `PAGE_SIZE`: a view asks for more (`fetchMore`) as it
    scrolls, so a long list never builds all its rows at once."""

    COLUMNS: ClassVar[Sequence[str]] = ()
    ALIGN_RIGHT: ClassVar[frozenset[int]] = frozenset()  # numeric columns

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[R] = []
        self._shown = 0

    # -- rows --------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._shown = min(len(self._rows), PAGE_SIZE)
        self.endResetModel()

    def rows(self) -> list[R]:
        """Every row, also those not fetched yet."""
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < self._shown else None

    def row_of(self, key: Callable[[R], bool]) -> int:
        """The position of the first row matching `key` (fetching pages as needed), -1."""
        for i, item in enumerate(self._rows):
            if key(item):
                while i >= self._shown and self.canFetchMore(QModelIndex()):
                    self.fetchMore(QModelIndex())
                return i
        return -1

    # -- Qt ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        extra = min(PAGE_SIZE, len(self._rows) - self._shown)
        if extra <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + extra - 1)
        self._shown += extra
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.ALIGN_RIGHT:
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.ALIGN_RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        value = self.cell(row, index.column(), role)
        if role == SORT_ROLE and value is None:
            return self.cell(row, index.column(), Qt.ItemDataRole.DisplayRole) or ""
        return value

    def cell(self, row: R, column: int, role: int) -> Any:
        """DisplayRole text, ToolTip, colours, fonts, icons, SORT_ROLE … of one cell."""
        raise NotImplementedError


class RowsProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE and keeps the rows a predicate accepts."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)
        self._accept: Callable[[Any], bool] | None = None

    def set_filter(self, accept: Callable[[Any], bool] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10
            self.beginFilterChange()
            self._accept = accept
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._accept = accept
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._accept is None:
            return True
        model = self.sourceModel()
        row = model.row_at(source_row) if isinstance(model, RowsModel) else None
        return row is not None and bool(self._accept(row))

    def row_at(self, proxy_row: int) -> Any:
        source = self.mapToSource(self.index(proxy_row, 0))
        model = self.sourceModel()
        return model.row_at(source.row()) if isinstance(model, RowsModel) else None


def make_table(
    model: QSortFilterProxyModel | QAbstractTableModel,
    *,
    name: str,
    sortable: bool = True,
    widths: Sequence[int] = (),
    parent: QWidget | None = None,
) -> QTableView:
    """A read-only, row-selecting table: Tab leaves it, Enter activates the row."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.setCornerButtonEnabled(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setSectionsMovable(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    if sortable:
        view.setSortingEnabled(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    return view


def selected_row(view: QTableView) -> Any:
    """The plain row of the current selection (through the proxy), or None."""
    selection = view.selectionModel()
    if selection is None:
        return None
    rows = selection.selectedRows()
    if not rows:
        return None
    return rows[0].data(ROW_ROLE)


def select_where(view: QTableView, match: Callable[[Any], bool]) -> bool:
    """Select (and scroll to) the first row whose plain row matches; False when none."""
    model = view.model()
    source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
    if isinstance(source, RowsModel):
        source.row_of(match)  # make sure the page holding it is fetched
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        if match(index.data(ROW_ROLE)):
            view.selectRow(r)
            view.scrollTo(index)
            return True
    return False


class Latest:
    """Reads whose answers are used only if no newer read was asked for meanwhile, so a
    slow answer never overwrites a fresher one. Callbacks are skipped once `owner` is
    deleted."""

    def __init__(self, ctx: Context, owner: QObject):
        self.ctx = ctx
        self.owner = owner
        self._generation: dict[str, int] = {}

    def read(
        self,
        fn: Callable[[Session], Any],
        on_result: Callable[[Any], Any],
        *,
        channel: str = "",
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        generation = self._generation.get(channel, 0) + 1
        self._generation[channel] = generation

        def deliver(value: Any) -> None:
            if self._generation.get(channel) == generation:
                on_result(value)

        kwargs: dict[str, Any] = {"on_result": deliver, "owner": self.owner}
        if on_error is not None:
            kwargs["on_error"] = on_error
        self.ctx.read(fn, **kwargs)
