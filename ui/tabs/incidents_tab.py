"""事件处置: the incidents table (filtered, sorted and paged by the database) and the
selected incident's detail view beside it.

Keys: Ctrl+F search, Ctrl+L the table, Ctrl+G assess, Ctrl+T add to the timeline,
Esc in the search box clears it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.incidents.schemas import IncidentFilter
from ebconsole.timeutil import utcnow
from ui.context import Context
from ui.errors import error_text
from ui.incidents.detail import IncidentDetailView
from ui.incidents.filters import FilterBar
from ui.models.incidents_model import IdRole, IncidentsModel
from ui.ops import Changes
from ui.permissions import Action
from ui.tabs import register
from ui.tabs.base import Tab

CLOCK_MS = 30_000  # how often "overdue" is judged again while the tab stays open
PAINT_WAIT_MS = 250  # work waiting for the rows to be painted runs after this at the latest


class AfterPaint(QObject):
    """Runs work once a widget has painted (the rows just loaded are on screen first, then
    what they start: the total, the selected incident's details). A hidden widget, or one
    that does not paint within PAINT_WAIT_MS (a minimised window), does not hold it up."""

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self._widget = widget
        self._work: list[Callable[[], None]] = []
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(PAINT_WAIT_MS)
        self._deadline.timeout.connect(self._run)
        self._soon = QTimer(self)  # once the paint under way is done
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self._run)
        widget.installEventFilter(self)

    def __call__(self, work: Callable[[], None]) -> None:
        if not self._widget.isVisible():
            work()
            return
        self._work.append(work)
        if not self._deadline.isActive():
            self._deadline.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._work and event.type() == QEvent.Type.Paint:
            self._soon.start()
        return False

    def _run(self) -> None:
        self._deadline.stop()
        self._soon.stop()
        work, self._work = self._work, []
        for item in work:
            item()


@register
class IncidentsTab(Tab):
    key = "incidents"
    order = 30
    icon_name = "incidents"
    permission = Action.VIEW_INCIDENTS

    @classmethod
    def title(cls) -> str:
        return _("Incidents")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.setObjectName("incidents_tab")
        self._selected: uuid.UUID | None = None
        self._loaded = False
        self._first_look = False  # selecting the newest incident of a page just loaded

        self.filters = FilterBar()
        self.filters.changed.connect(self._filter_changed)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.error = QLabel()
        self.error.setObjectName("load_error")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setVisible(False)
        self.scope = QLabel()
        self.scope.setObjectName("scope")
        self.scope.setEnabled(False)

        self.model = IncidentsModel(ctx.read, self)
        self.model.total_changed.connect(self._show_total)
        self.model.loading_changed.connect(self._show_total)
        self.model.load_failed.connect(self._load_failed)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.modelReset.connect(self._model_reset)

        self.table = QTableView()
        self.table.setObjectName("incidents")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._default_widths()
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        header.setSortIndicatorShown(True)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.after_paint = AfterPaint(self.table.viewport())
        self.model.when_shown = self.after_paint

        self.detail = IncidentDetailView(ctx)
        self.detail.setObjectName("detail")

        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        lcol.addWidget(self.table, 1)
        status = QHBoxLayout()
        status.addWidget(self.total)
        status.addWidget(self.scope)
        status.addStretch(1)
        lcol.addLayout(status)
        lcol.addWidget(self.error)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("incidents_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)

        restored = ctx.settings.restore_header(header, "incidents/table")
        if not ctx.settings.restore_splitter(self.splitter, "incidents/splitter"):
            self.splitter.setSizes([860, 580])
        if restored:  # the saved sort indicator may name a column the model sorts by
            self._sort_changed(header.sortIndicatorSection(), header.sortIndicatorOrder())

        self._shortcuts()
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        if not ctx.can(Action.VIEW_ALL_BRANCHES):
            self.scope.setText(
                _("Only the incidents of {branch}").format(branch=ctx.actor.branch or "—")
            )
        self.setTabOrder(self.filters.reset_button, self.table)
        self.setTabOrder(self.table, self.detail)

    def _tick(self) -> None:
        now = utcnow()
        self.model.set_now(now)
        self.detail.obligations.model.set_now(now)

    def _default_widths(self) -> None:
        m = self.table.fontMetrics()
        widths = {
            IncidentsModel.REFERENCE: m.horizontalAdvance("BJ01A-20261128-0001") + 16,
            IncidentsModel.REPORTED: m.horizontalAdvance("2026-11-28 22:22") + 16,
            IncidentsModel.CATEGORY: m.horizontalAdvance("自然灾害类事件") + 16,
            IncidentsModel.SEVERITY: m.horizontalAdvance("III级 较大") + 24,
            IncidentsModel.STATUS: m.horizontalAdvance("已启动应急响应") + 16,
            IncidentsModel.TITLE: m.horizontalAdvance("网" * 12),
            IncidentsModel.OWNER: m.horizontalAdvance("王建国") + 16,
            IncidentsModel.DEADLINE: m.horizontalAdvance("2026-11-28 22:22") + 16,
        }
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut

        def add(keys: str, slot: object) -> None:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

        add("Ctrl+F", self.focus_search)
        add("Ctrl+L", self.table.setFocus)
        add("Ctrl+G", self.detail.open_assessment)
        add("Ctrl+T", self.detail.open_timeline_entry)
        escape = QShortcut(QKeySequence("Escape"), self.filters.text)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self.filters.text.clear)

    # -- Tab -----------------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        if not self._loaded:
            self._loaded = True
            self._apply_filter(self.filters.value())
            return
        if changes.touches("incidents", "obligations"):
            self.model.reload()
            self.detail.reload()
        elif changes.touches("improvements"):
            self.detail.reload()

    def save_state(self) -> None:
        self.ctx.settings.save_header(self.table.horizontalHeader(), "incidents/table")
        self.ctx.settings.save_splitter(self.splitter, "incidents/splitter")

    def can_close(self) -> bool:
        return True

    def open_record(self, record_id: str) -> None:
        """Show one incident (from the overview or after intake), whatever the filter."""
        incident_id = uuid.UUID(str(record_id))
        self._selected = incident_id
        row = self.model.row_of(incident_id)
        if row >= 0:
            self.table.selectRow(row)
        self.detail.show_incident(incident_id)

    # -- filtering and sorting -----------------------------------------------------------
    def focus_search(self) -> None:
        self.filters.text.setFocus()
        self.filters.text.selectAll()

    def effective_filter(self, flt: IncidentFilter) -> IncidentFilter:
        """A clerk sees only their own branch's incidents."""
        if self.ctx.can(Action.VIEW_ALL_BRANCHES):
            return flt
        return flt.model_copy(update={"branches": frozenset({self.ctx.actor.branch or ""})})

    def _filter_changed(self, flt: IncidentFilter) -> None:
        if self._loaded:
            self._apply_filter(flt)

    def _apply_filter(self, flt: IncidentFilter) -> None:
        self.error.setVisible(False)
        self.model.set_filter(self.effective_filter(flt))

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column not in IncidentsModel.SORT_KEYS:
            # owner and next deadline are not sortable by the database: keep the old one
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            header.blockSignals(False)

    # -- model events --------------------------------------------------------------------
    def _show_total(self, *_args: object) -> None:
        total = self.model.total
        if total is None:
            self.total.setText(_("Counting…"))
        else:
            text = _("{n} in total").format(n=f"{total:,}")
            if self.model.loading:
                text += " · " + _("loading…")
            self.total.setText(text)

    def _load_failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.error.setVisible(True)

    def _model_reset(self) -> None:
        # a new filter or a reload: keep showing the incident that was selected
        if self._selected is not None:
            QTimer.singleShot(0, self._reselect)

    def _page_loaded(self) -> None:
        self._show_total()
        if self._selected is None and self.model.rowCount() > 0:
            # the newest incident, so the detail pane is never blank on a first look (its
            # details are read once the rows are painted)
            self._first_look = True
            try:
                self.table.selectRow(0)
            finally:
                self._first_look = False
        self._reselect()

    def _reselect(self) -> None:
        if self._selected is None:
            return
        row = self.model.row_of(self._selected)
        if row < 0:
            return
        selected = self.table.selectionModel().selectedRows()
        if selected and selected[0].row() == row:
            return
        self.table.selectionModel().blockSignals(True)
        self.table.selectRow(row)
        self.table.selectionModel().blockSignals(False)
        self.table.viewport().update()

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return  # a reset clears the selection: the detail keeps its incident
        incident_id = rows[0].data(IdRole)
        if incident_id != self._selected or self.detail.incident_id != incident_id:
            self._selected = incident_id
            painted = None
            if self._first_look:  # the rows first: the details are read once they are painted
                painted = threading.Event()
                self.after_paint(painted.set)
            self.detail.show_incident(incident_id, after=painted)
