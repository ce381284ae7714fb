"""总览 Overview: the coordinator's first screen.

Open incidents by severity and state, deadlines overdue and due in the next 24 hours, who
is on duty now and the next gap in the roster, overdue resource checks, training and
drills due, overdue improvement actions. Every item opens where it is handled (double-click
or Enter): incidents and deadlines on the incident, a shift in the roster, a reserve in
the inventory, a plan in Training & drills.

Everything is read in one `ctx.read` (`ui.overview.data.gather`); the tab reloads when a
change touches what it shows and every minute, because deadlines move with the clock.
"""

from __future__ import annotations

import itertools
import logging
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import _
from ebconsole.incidents.enums import STATUS_LABELS, Severity, Status
from ebconsole.timeutil import to_local, utcnow
from ui import icons
from ui.context import Context
from ui.models.overview_models import (
    ALERT_COLOUR,
    INCIDENTS_TAB,
    RECORD_ROLE,
    SEVERITY_COLOURS,
    ActionListModel,
    DrillListModel,
    IncidentListModel,
    ObligationListModel,
    OverviewProxy,
    ResourceListModel,
    RowsModel,
    SeverityStatusModel,
    ShiftListModel,
    Target,
    severity_text,
)
from ui.ops import Changes
from ui.overview.data import MAX_INCIDENTS, SEVERITIES, OverviewData, gather
from ui.overview.texts import due_in_text, short_time
from ui.overview.widgets import Card, CountTile, ItemList
from ui.tabs import register
from ui.tabs.base import Tab

log = logging.getLogger(__name__)

REFRESH_MS = 60_000  # deadlines and who is on duty move with the clock
WATCHED = ("incidents", "obligations", "roster", "resources", "drills", "improvements")


@register
class OverviewTab(Tab):
    key, order, icon_name = "overview", 10, "overview"

    @classmethod
    def title(cls) -> str:
        return _("Overview")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data: OverviewData | None = None
        self._loading = False
        self._again = False
        self._stale = False
        self._fitted: set[str] = set()

        # -- open incidents: a tile per level, the severity × state table, the gravest -----
        self.incidents_card = Card("incidents")
        self.tiles: dict[Severity | None, CountTile] = {}
        tiles = QHBoxLayout()
        tiles.setSpacing(6)
        for severity in (*SEVERITIES, None):
            tile = CountTile(SEVERITY_COLOURS[severity])
            tile.setObjectName(f"tile_{severity.value if severity else 'not_graded'}")
            tile.clicked.connect(lambda _checked=False: self.open(Target(INCIDENTS_TAB)))
            tiles.addWidget(tile)
            self.tiles[severity] = tile
        self.counts = SeverityStatusModel(self)
        self.count_table = QTableView()
        self.count_table.setObjectName("severity_state_table")
        self.count_table.setModel(self.counts)
        self.count_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.count_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.count_table.verticalHeader().setVisible(False)
        self.count_table.setShowGrid(False)
        self.count_table.setAlternatingRowColors(True)
        self.count_table.setWordWrap(False)
        self.count_table.setTabKeyNavigation(False)  # Tab moves on to the next list
        self.count_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.count_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (SeverityStatusModel.COL_STATE, SeverityStatusModel.COL_NOT_GRADED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.count_table.activated.connect(self._open_index)
        self.restored_note = QLabel()
        self.incidents = IncidentListModel(self)
        self.incident_list = self._list(
            "incidents", self.incidents, IncidentListModel.COL_TITLE, IncidentListModel.COL_SEVERITY
        )
        self.incidents_card.body.addLayout(tiles)
        self.incidents_card.body.addWidget(self.count_table)
        self.incidents_card.body.addWidget(self.restored_note)
        self.incidents_card.body.addWidget(self.incident_list, 1)

        # -- deadlines ---------------------------------------------------------------------
        self.obligations_card = Card("overdue")
        self.obligations = ObligationListModel(self)
        self.obligation_list = self._list(
            "obligations",
            self.obligations,
            ObligationListModel.COL_INCIDENT,
            ObligationListModel.COL_DUE,
        )
        self.obligations_card.body.addWidget(self.obligation_list)

        # -- improvement actions -----------------------------------------------------------
        self.actions_card = Card("improvements")
        self.action_model = ActionListModel(self)
        self.action_list = self._list(
            "actions", self.action_model, ActionListModel.COL_TITLE, ActionListModel.COL_DUE
        )
        self.actions_card.body.addWidget(self.action_list)

        # -- on duty -----------------------------------------------------------------------
        self.duty_card = Card("duty")
        self.shifts = ShiftListModel(self)
        self.shift_list = self._list(
            "shifts", self.shifts, ShiftListModel.COL_NAME, ShiftListModel.COL_ROLE
        )
        self.shift_list.setMinimumHeight(70)
        self.duty_card.body.addWidget(self.shift_list)

        # -- resource checks ---------------------------------------------------------------
        self.resources_card = Card("resources")
        self.resources = ResourceListModel(self)
        self.resource_list = self._list(
            "resources", self.resources, ResourceListModel.COL_NAME, ResourceListModel.COL_OVERDUE
        )
        self.resources_card.body.addWidget(self.resource_list)

        # -- training and drills -----------------------------------------------------------
        self.drills_card = Card("drills")
        self.drills = DrillListModel(self)
        self.drill_list = self._list(
            "drills", self.drills, DrillListModel.COL_TITLE, DrillListModel.COL_DUE
        )
        self.drills_card.body.addWidget(self.drill_list)

        # -- header: when the figures were read, and reload -------------------------------
        self.updated = QLabel()
        self.updated.setObjectName("updated")
        self.reload_button = QToolButton()
        self.reload_button.setAutoRaise(True)
        self.reload_button.setIcon(icons.icon("refresh"))
        self.reload_button.clicked.connect(self.reload)
        self.scope_note = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.scope_note)
        top.addStretch(1)
        top.addWidget(self.updated)
        top.addWidget(self.reload_button)

        # -- layout: three columns of cards -----------------------------------------------
        left, middle, right = QVBoxLayout(), QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.incidents_card, 1)
        middle.addWidget(self.obligations_card, 3)
        middle.addWidget(self.actions_card, 1)
        right.addWidget(self.duty_card, 2)
        right.addWidget(self.resources_card, 4)
        right.addWidget(self.drills_card, 3)
        columns = QHBoxLayout()
        columns.setSpacing(10)
        columns.addLayout(left, 5)
        columns.addLayout(middle, 5)
        columns.addLayout(right, 4)
        page = QWidget()
        page.setObjectName("overview_page")
        inner = QVBoxLayout(page)
        inner.setContentsMargins(10, 6, 10, 10)
        inner.addLayout(top)
        inner.addLayout(columns, 1)
        page.setMinimumSize(1000, 620)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        # keyboard: the tiles, the table, then each list in reading order
        chain: list[QWidget] = [
            *self.tiles.values(),
            self.count_table,
            self.incident_list,
            self.obligation_list,
            self.action_list,
            self.shift_list,
            self.resource_list,
            self.drill_list,
            self.reload_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.retranslate()

    # -- building helpers --------------------------------------------------------------
    def _list(self, name: str, model: RowsModel, stretch: int, sort_column: int) -> ItemList:
        view = ItemList()
        view.setObjectName(f"{name}_list")
        proxy = OverviewProxy(model, view)
        view.setModel(proxy)
        view.stretch(stretch)
        view.header().setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
        if self.ctx.settings.restore_header(view.header(), f"{self.key}/{name}"):
            self._fitted.add(name)
            view.stretch(stretch)
        view.opened.connect(self.open)
        return view

    def _tab_keys(self) -> list[str] | None:
        """The tabs of the window this tab is in (an improvement action opens where it is
        handled), built or not; None on its own."""
        keys = getattr(self.window(), "tab_keys", None)
        if not callable(keys):
            return None
        return [str(k) for k in keys()]

    def _lists(self) -> dict[str, ItemList]:
        return {
            "incidents": self.incident_list,
            "obligations": self.obligation_list,
            "actions": self.action_list,
            "shifts": self.shift_list,
            "resources": self.resource_list,
            "drills": self.drill_list,
        }

    def retranslate(self) -> None:
        self.incidents_card.set_title(_("Open &incidents"), self.incident_list)
        self.obligations_card.set_title(
            _("&Deadlines: overdue and next 24 hours"), self.obligation_list
        )
        self.actions_card.set_title(_("Improvement &actions overdue"), self.action_list)
        self.duty_card.set_title(_("On d&uty now"), self.shift_list)
        self.resources_card.set_title(_("Resource &checks overdue"), self.resource_list)
        self.drills_card.set_title(_("&Training and drills due"), self.drill_list)
        self.reload_button.setToolTip(_("Read the figures again (F5)"))
        self.incident_list.set_placeholder(_("No open incidents."))
        self.obligation_list.set_placeholder(_("No deadline overdue or due in the next 24 hours."))
        self.action_list.set_placeholder(_("No improvement action is overdue."))
        self.shift_list.set_placeholder(_("Nobody is on duty now."))
        self.resource_list.set_placeholder(_("Every resource check is up to date."))
        self.drill_list.set_placeholder(_("No training or drill falls due in the next 30 days."))
        self.count_table.setToolTip(_("Double-click or press Enter to open the incidents."))
        self._show()

    # -- loading -----------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        if changes.touches(*WATCHED):
            self.reload()

    def reload(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._stale = False
        actor, now = self.ctx.actor, utcnow()
        self.ctx.read(
            lambda s: gather(s, actor, now),
            label=_("Reading the overview…"),
            on_result=self._loaded,
            on_error=self._failed,
        )

    def _loaded(self, data: OverviewData) -> None:
        self.data = data
        self._show()
        self._done()

    def _failed(self, exc: BaseException) -> None:
        log.warning("overview not read: %s", exc, exc_info=exc)
        self.updated.setText(_("The overview could not be read: {error}").format(error=exc))
        self.updated.setStyleSheet(f"color: {ALERT_COLOUR};")
        self._done()

    def _done(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()

    def _tick(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True  # read again when shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.data is not None:
            self.reload()

    # -- showing -----------------------------------------------------------------------
    def _show(self) -> None:
        data = self.data
        if data is None:
            self.updated.setText(_("Reading…"))
            for severity, tile in self.tiles.items():
                tile.set_value(0, severity_text(severity))
            return
        now, today = data.now, data.today
        self.updated.setText(_("Updated at {time}").format(time=to_local(now).strftime("%H:%M")))
        self.updated.setStyleSheet("color: palette(placeholder-text);")
        self.scope_note.setText(
            _("Incidents of {branch} only").format(branch=data.branch) if data.branch else ""
        )

        # incidents
        for severity, tile in self.tiles.items():
            tile.set_value(
                data.by_severity(severity),
                severity_text(severity),
                _("Open incidents of this level: double-click a row below to open one."),
            )
        self.counts.set_overview(data)
        self._fit_count_table()
        self.incidents_card.set_count(data.open_total)
        self.restored_note.setText(
            _("{status}, awaiting review: {count}").format(
                status=_(STATUS_LABELS[Status.RESTORED]), count=data.restored
            )
        )
        self.incidents.set_rows(data.incidents, now, today)
        if data.open_total > len(data.incidents):
            self.incidents_card.set_note(
                _("The {shown} most pressing of {total} open incidents.").format(
                    shown=min(MAX_INCIDENTS, len(data.incidents)), total=data.open_total
                )
            )
        else:
            self.incidents_card.set_note("")

        # deadlines
        self.obligations.set_rows(data.obligations, now, today)
        overdue = data.overdue_obligations
        self.obligations_card.set_count(data.obligations_due)
        notes = [_("{count} overdue").format(count=overdue)] if overdue else []
        if data.obligations_due > len(data.obligations):
            notes.append(
                _("The {shown} earliest of {total} deadlines are listed.").format(
                    shown=len(data.obligations), total=data.obligations_due
                )
            )
        self.obligations_card.set_note(" · ".join(notes), alarming=bool(overdue))

        # improvement actions
        self.action_model.set_tabs(self._tab_keys())
        self.action_model.set_rows(data.actions, now, today)
        self.actions_card.set_count(len(data.actions), alarming=True)

        # on duty and the next gap
        self.shifts.set_rows(data.on_duty, now, today)
        self.duty_card.set_count(len(data.on_duty))
        if not data.on_duty:
            self.duty_card.set_note(_("Nobody is on duty now: fill the roster."), alarming=True)
        elif data.next_gap is not None:
            start, end = data.next_gap
            self.duty_card.set_note(
                _("Next gap without anyone on duty: {start} – {end} ({when}).").format(
                    start=short_time(start, now),
                    end=short_time(end, now),
                    when=due_in_text(start, now),
                ),
                alarming=True,
            )
        else:
            self.duty_card.set_note(_("Covered for the next 24 hours."))

        # resources and drills
        self.resources.set_rows(data.resources, now, today)
        self.resources_card.set_count(len(data.resources), alarming=True)
        self.drills.set_rows(data.drills, now, today)
        self.drills_card.set_count(len(data.drills), alarming=any(d.overdue for d in data.drills))
        overdue_drills = sum(1 for d in data.drills if d.overdue)
        self.drills_card.set_note(
            _("{count} overdue").format(count=overdue_drills) if overdue_drills else "",
            alarming=True,
        )

        for name, view in self._lists().items():
            if name not in self._fitted and view.model().rowCount():
                view.fit_columns()
                self._fitted.add(name)

    def _fit_count_table(self) -> None:
        table = self.count_table
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        for row in range(self.counts.rowCount()):
            height += table.rowHeight(row)
        table.setFixedHeight(height)

    # -- opening where an item is handled -------------------------------------------------
    def open(self, target: Target) -> None:
        keys = self._tab_keys()
        if keys is not None and target.tab not in keys:
            self.ctx.hub.status_message.emit(
                _("That item is handled in a work area this operator does not have."), 8000
            )
            return
        if target.record_id:
            self.ctx.hub.open_record.emit(target.tab, target.record_id)
        else:
            self.ctx.hub.open_tab.emit(target.tab)

    def _open_index(self, index: QModelIndex) -> None:
        target = index.data(RECORD_ROLE) if index.isValid() else None
        if isinstance(target, Target):
            self.open(target)

    # -- state -------------------------------------------------------------------------
    def save_state(self) -> None:
        for name, view in self._lists().items():
            self.ctx.settings.save_header(view.header(), f"{self.key}/{name}")

    @property
    def updated_at(self) -> datetime | None:
        return self.data.now if self.data is not None else None
