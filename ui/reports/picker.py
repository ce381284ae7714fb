"""Choosing the incident of a report: a search field over number, title, description,
branch and customer, and the matching incidents, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import STATUS_LABELS, Status
from ebconsole.incidents.schemas import IncidentFilter
from ebconsole.timeutil import format_local
from ui.context import Context

SEARCH_DELAY_MS = 250
LIMIT = 50


@dataclass(frozen=True)
class Found:
    reference: str
    title: str
    status: Status
    reported_at: datetime


def find_incidents(text: str, session: Session) -> list[Found]:
    """Up to LIMIT incidents matching `text` (all when empty), newest first."""
    flt = IncidentFilter(text=text.strip()[:200] or None, limit=LIMIT)
    return [
        Found(i.reference, i.title, i.status, i.reported_at)
        for i in incidents.list_incidents(flt, session=session)
    ]


class IncidentPicker(QWidget):
    """`reference()` is the chosen incident's number (or what was typed, if nothing
    matched: the report then says it does not exist)."""

    chosen = Signal(str)
    searched = Signal(int)  # number of matches shown

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self._wanted: str | None = None
        self.search = QLineEdit()
        self.search.setObjectName("incident_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Find by number, title, branch or customer"))
        self.results = QListWidget()
        self.results.setObjectName("incident_results")
        self.results.setUniformItemSizes(True)
        self.results.setMinimumHeight(140)
        self.hint = QLabel()
        self.hint.setObjectName("incident_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid);")
        label = QLabel(_("&Incident:"))
        label.setBuddy(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.results.currentItemChanged.connect(self._current_changed)

    def run_search(self) -> None:
        self.timer.stop()
        self._generation += 1
        generation = self._generation
        text = self.search.text()
        self.ctx.read(
            lambda s: find_incidents(text, s),
            on_result=lambda rows: self._show(generation, rows),
            owner=self,
        )

    def _show(self, generation: int, rows: list[Found]) -> None:
        if generation != self._generation:
            return  # a newer search was asked for meanwhile
        keep = self._wanted or self.reference(typed=False)
        self.results.blockSignals(True)
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(
                f"{row.reference}　{row.title}\n"
                f"{_(STATUS_LABELS[row.status])} · {format_local(row.reported_at)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, row.reference)
            item.setToolTip(row.title)
            self.results.addItem(item)
        self.results.blockSignals(False)
        self.hint.setText(
            _("No incident matches.")
            if not rows
            else _("The {count} newest matches are shown.").format(count=len(rows))
            if len(rows) >= LIMIT
            else ""
        )
        self.hint.setVisible(bool(self.hint.text()))
        selected = bool(keep) and self._select(keep)
        if not selected and self.results.count():
            self.results.setCurrentRow(0)
        self._wanted = None
        self.searched.emit(len(rows))

    def _select(self, reference: str) -> bool:
        for row in range(self.results.count()):
            if self.results.item(row).data(Qt.ItemDataRole.UserRole) == reference:
                self.results.setCurrentRow(row)
                return True
        return False

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.chosen.emit(current.data(Qt.ItemDataRole.UserRole))

    def set_reference(self, reference: str) -> None:
        """Choose `reference` (searching for it if it is not in the list)."""
        if not self._select(reference):
            self._wanted = reference
            self.search.setText(reference)
            self.run_search()

    def reference(self, *, typed: bool = True) -> str:
        item = self.results.currentItem()
        if item is not None:
            return str(item.data(Qt.ItemDataRole.UserRole))
        return self.search.text().strip() if typed else ""
