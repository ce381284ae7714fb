"""The conflict resolution view: open conflicts, the current (winning) version against the
other one field by field, and the two ways out — keep the current version, or take the
other one. Each choice is one transaction; coordinators and administrators only.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ebconsole.i18n import N_, _
from ebconsole.i18n.messages import FIELD_LABELS, field_label
from ebconsole.sync import service as sync
from ebconsole.sync.service import ConflictView
from ebconsole.timeutil import format_local
from ui.context import Context
from ui.errors import error_text
from ui.ops import Changes
from ui.permissions import Action
from ui.sync.driver import EVERYTHING_BUT_SETTINGS

# what a replicated table holds, for people (table name → label)
ENTITY_LABELS = {
    "incident": N_("Incident"),
    "timeline_entry": N_("Timeline entry"),
    "assessment": N_("Assessment"),
    "obligation": N_("Notification obligation"),
    "fraud_report": N_("Fraud report"),
    "fraud_transaction": N_("Fraud transaction"),
    "user_account": N_("User account"),
    "responsibility_cell": N_("Responsibility matrix entry"),
    "emergency_group": N_("Emergency group"),
    "group_member": N_("Group member"),
    "resource_item": N_("Resource"),
    "resource_check": N_("Resource check"),
    "duty_shift": N_("Duty shift"),
    "exercise_plan": N_("Drill plan"),
    "exercise_record": N_("Drill record"),
    "improvement_action": N_("Improvement"),
    "policy_revision": N_("Grading policy"),
}

# common column names without a label in the core's table
COLUMN_LABELS = {
    "title": N_("Title"),
    "description": N_("Description"),
    "reference": N_("Reference"),
    "status": N_("Status"),
    "severity": N_("Severity"),
    "branch": N_("Branch"),
    "name": N_("Name"),
}


def entity_label(entity: str) -> str:
    return _(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity


def column_label(column: str) -> str:
    if column in FIELD_LABELS:
        return field_label(column, _)
    return _(COLUMN_LABELS[column]) if column in COLUMN_LABELS else column


def record_label(c: ConflictView) -> str:
    """The record in words: an incident's reference and title where the state has them."""
    state = c.winner_state or c.loser_state or {}
    parts = [str(state[k]) for k in ("reference", "title", "name") if state.get(k)]
    return " ".join(parts) if parts else c.record_id


def value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ConflictsWidget(QWidget):
    """The list on top, the selected conflict's differences below, the two buttons."""

    resolved = Signal(object)  # the ConflictView after resolution
    loaded = Signal(int)  # how many open conflicts are listed

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sync_conflicts_view")
        self.ctx = ctx
        self.conflicts: list[ConflictView] = []
        layout = QVBoxLayout(self)
        self.list = QTableWidget(0, 4)
        self.list.setObjectName("conflict_list")
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.list.verticalHeader().setVisible(False)
        self.list.itemSelectionChanged.connect(self._selected)
        self.heading = QLabel()
        self.heading.setObjectName("conflict_heading")
        self.heading.setWordWrap(True)
        self.fields = QTableWidget(0, 3)
        self.fields.setObjectName("conflict_fields")
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fields.verticalHeader().setVisible(False)
        self.fields.setWordWrap(True)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.heading)
        lower_layout.addWidget(self.fields)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        layout.addWidget(splitter)
        self.message = QLabel()
        self.message.setObjectName("conflict_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.keep_winner = QPushButton()
        self.keep_winner.setObjectName("keep_winner")
        self.keep_winner.clicked.connect(lambda: self.resolve("winner"))
        self.keep_loser = QPushButton()
        self.keep_loser.setObjectName("keep_loser")
        self.keep_loser.clicked.connect(lambda: self.resolve("loser"))
        buttons.addStretch(1)
        buttons.addWidget(self.keep_winner)
        buttons.addWidget(self.keep_loser)
        layout.addLayout(buttons)
        self._busy = False
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.list.setHorizontalHeaderLabels(
            [_("Record type"), _("Record"), _("Other version from"), _("Detected")]
        )
        self.fields.setHorizontalHeaderLabels(
            [_("Field"), _("Current version"), _("Other version")]
        )
        self.keep_winner.setText(_("Keep the current version"))
        self.keep_loser.setText(_("Take the other version"))
        if not self.ctx.can(Action.SYNC):
            self.message.setText(_("Only coordinators and administrators resolve conflicts."))

    # -- loading -----------------------------------------------------------------------
    def reload(self) -> None:
        self.ctx.read(
            lambda s: sync.list_conflicts(session=s),
            on_result=self._show,
            on_error=self._failed,
        )

    def _show(self, conflicts: list[ConflictView]) -> None:
        selected = self.current()
        self.conflicts = conflicts
        self.list.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            cells = (
                entity_label(c.entity),
                record_label(c),
                f"{c.loser_origin} · {c.loser_actor}",
                format_local(c.detected_at),
            )
            for col, text in enumerate(cells):
                self.list.setItem(row, col, QTableWidgetItem(text))
        keep = next(
            (i for i, c in enumerate(conflicts) if selected and c.id == selected.id),
            0 if conflicts else -1,
        )
        if keep >= 0:
            self.list.selectRow(keep)
        else:
            self._show_fields(None)
        self._update_buttons()
        self.loaded.emit(len(conflicts))

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))

    def current(self) -> ConflictView | None:
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        if not rows or rows[0].row() >= len(self.conflicts):
            return None
        return self.conflicts[rows[0].row()]

    def _selected(self) -> None:
        self._show_fields(self.current())
        self._update_buttons()

    def _show_fields(self, c: ConflictView | None) -> None:
        if c is None:
            self.heading.setText(_("No open conflicts."))
            self.fields.setRowCount(0)
            return
        self.heading.setText(
            _(
                "{entity} {record}: the current version is from {winner} ({winner_actor}); "
                "the other version, from {loser} ({loser_actor}), lost."
            ).format(
                entity=entity_label(c.entity),
                record=record_label(c),
                winner=c.winner_origin,
                winner_actor=c.winner_actor,
                loser=c.loser_origin,
                loser_actor=c.loser_actor,
            )
        )
        diffs = c.differences()
        if c.loser_state is None:
            diffs = [("", _("(kept)"), _("(deleted)"))]
        elif c.winner_state is None:
            diffs = [("", _("(deleted)"), _("(kept)"))]
        self.fields.setRowCount(len(diffs))
        for row, (column, winner, loser) in enumerate(diffs):
            for col, text in enumerate(
                (column_label(column) if column else "", value_text(winner), value_text(loser))
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.fields.setItem(row, col, item)
        self.fields.resizeRowsToContents()

    def _update_buttons(self) -> None:
        enabled = self.ctx.can(Action.SYNC) and self.current() is not None and not self._busy
        self.keep_winner.setEnabled(enabled)
        self.keep_loser.setEnabled(enabled)

    # -- resolving ---------------------------------------------------------------------
    def resolve(self, keep: str) -> bool:
        c = self.current()
        if c is None or self._busy or not self.ctx.can(Action.SYNC):
            return False
        conflict_id: uuid.UUID = c.id
        self._busy = True
        self._update_buttons()
        actor = self.ctx.actor
        changes = EVERYTHING_BUT_SETTINGS if keep == "loser" else Changes()
        self.ctx.write(
            lambda s: sync.resolve_conflict(conflict_id, keep, session=s, actor=actor),
            changes=changes,
            label=_("Resolving a conflict"),
            on_result=self._resolved,
            on_error=self._resolve_failed,
        )
        return True

    def _resolved(self, view: ConflictView) -> None:
        self._busy = False
        self.message.setText(
            _("Resolved: {record}, {choice}.").format(
                record=record_label(view),
                choice=_("current version kept")
                if view.resolution == "winner"
                else _("other version taken"),
            )
        )
        self.resolved.emit(view)
        self.reload()

    def _resolve_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.message.setText(error_text(exc))
        self._update_buttons()
        self.reload()
