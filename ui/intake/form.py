"""The intake form: its sections side by side, its state as plain data (for drafts), the
intake object it makes for the core's `parse_intake`, and errors put back on the fields.

    form = IntakeForm()
    obj, rows = form.intake()                  # the intake format; rows: table row per item
    try:
        data = parse_intake(obj)
    except ValidationFailed as exc:
        form.show_errors(exc.errors, rows)     # under the fields, on the table cells
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ebconsole.errors import FieldError
from ebconsole.i18n import _
from ebconsole.incidents.enums import Category, Channel
from ui.intake.sections import (
    FraudSection,
    IncidentSection,
    IntakeErrors,
    ReporterSection,
    set_combo_value,
)
from ui.intake.transactions import COLUMN_OF, KEYS, is_blank
from ui.intake.widgets import iso_minutes, local_now, parse_iso
from ui.widgets.forms import ERROR_COLOUR, ErrorLabel, message_without_field

TX_FIELD = re.compile(r"^fraud\.transactions\[(\d+)\]\.(\w+)$")
TIME_FIELDS = ("occurred_at", "reported_at")
FRAUD_TIME_FIELDS = ("stop_payment_requested_at", "freeze_requested_at")
INVALID_STYLE = f"border: 1px solid {ERROR_COLOUR}; border-radius: 2px; padding: 1px;"


@dataclass(frozen=True)
class Defaults:
    """What a new form starts with: the operator as reporter, the usual branch."""

    reporter_name: str = ""
    reporter_department: str = ""
    reporter_phone: str = ""
    branch: str = ""


@dataclass(frozen=True)
class FocusTarget:
    widget: QWidget
    row: int = -1  # a transactions table cell when >= 0
    key: str = ""


class IntakeForm(QWidget):
    edited = Signal()  # the user changed something (not set_state / reset)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("intake_form")
        self.errors = IntakeErrors()
        self.incident = IncidentSection(self.errors)
        self.reporter = ReporterSection(self.errors)
        self.fraud = FraudSection(self.errors, self._default_transaction_time)
        self.fraud.setVisible(False)
        self._marked: list[QWidget] = []
        self._loading = False

        left = QVBoxLayout()
        left.addWidget(self.incident)
        left.addWidget(self.reporter)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.fraud)
        right.addStretch(1)
        self.left_column = QWidget()
        self.left_column.setLayout(left)
        self.left_column.setMaximumWidth(760)
        self.right_column = QWidget()
        self.right_column.setLayout(right)
        left.setContentsMargins(0, 0, 0, 0)
        right.setContentsMargins(0, 0, 0, 0)
        self.columns = QHBoxLayout(self)
        self.columns.addWidget(self.left_column, 5)
        self.columns.addWidget(self.right_column, 7)
        self.columns.addStretch(0)  # takes the room the hidden fraud report leaves

        self._readable_when_disabled()
        self.incident.category_changed.connect(self._category_changed)
        for section in (self.incident, self.reporter, self.fraud):
            section.edited.connect(self._edited)
        chain = [
            *self.incident.focus_chain(),
            *self.reporter.focus_chain(),
            *self.fraud.focus_chain(),
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.focus_chain = chain

    def _readable_when_disabled(self) -> None:
        """After Save the form shows what was saved, disabled: keep it legible, and drop the
        placeholders (greyed out, they would read like entered text)."""
        palette = self.palette()
        group, role = QPalette.ColorGroup, QPalette.ColorRole
        text, base = palette.color(group.Active, role.Text), palette.color(group.Active, role.Base)
        muted = QColor(
            (text.red() * 3 + base.red() * 2) // 5,
            (text.green() * 3 + base.green() * 2) // 5,
            (text.blue() * 3 + base.blue() * 2) // 5,
        )
        for r in (role.Text, role.WindowText, role.ButtonText):
            palette.setColor(group.Disabled, r, muted)
        palette.setColor(group.Disabled, role.PlaceholderText, QColor(0, 0, 0, 0))
        self.setPalette(palette)

    # -- reacting ---------------------------------------------------------------------------
    def _edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _category_changed(self, value: str) -> None:
        fraud = value == Category.CUSTOMER_FRAUD
        self._show_fraud(fraud)
        if fraud:  # a customer's report arrives through customer feedback
            set_combo_value(self.incident.channel, Channel.CUSTOMER_FEEDBACK.value)

    def _show_fraud(self, on: bool) -> None:
        self.fraud.setVisible(on)
        self.right_column.setVisible(on)
        self.left_column.setMaximumWidth(520 if on else 760)
        self.columns.setStretch(2, 0 if on else 1)

    def _default_transaction_time(self, row: int) -> str:
        rows = self.fraud.model.rows()
        for earlier in reversed(rows[:row]):
            if earlier["time"].strip():
                return earlier["time"].strip()
        occurred = self.incident.occurred_at.value()
        return occurred.strftime("%Y-%m-%d %H:%M") if occurred else ""

    # -- state as plain data (JSON-ready, for drafts) ---------------------------------------
    def state(self) -> dict[str, Any]:
        incident = self.incident.state()
        fraud = self.fraud.state()
        for key in TIME_FIELDS:
            incident[key] = iso_minutes(incident[key])
        for key in FRAUD_TIME_FIELDS:
            fraud[key] = iso_minutes(fraud[key])
        return {**incident, "reporter": self.reporter.state(), "fraud": fraud}

    def set_state(self, state: dict[str, Any]) -> None:
        """Fill the form (a draft, a reset); emits no `edited`."""
        self._loading = True
        try:
            incident = {
                k: state.get(k)
                for k in ("category", "subcategory", "channel", "title", "branch", "description")
            }
            services = state.get("affected_services")
            incident["affected_services"] = (
                [str(s) for s in services] if isinstance(services, list) else []
            )
            incident["occurred_at"] = parse_iso(state.get("occurred_at"))
            incident["reported_at"] = parse_iso(state.get("reported_at")) or local_now()
            self.incident.set_state(incident)
            reporter = state.get("reporter")
            self.reporter.set_state(reporter if isinstance(reporter, dict) else {})
            fraud = dict(state.get("fraud") or {}) if isinstance(state.get("fraud"), dict) else {}
            for key in FRAUD_TIME_FIELDS:
                fraud[key] = parse_iso(fraud.get(key))
            self.fraud.set_state(fraud)
            self._show_fraud(self.incident.category_value() == Category.CUSTOMER_FRAUD)
            self.clear_errors()
        finally:
            self._loading = False

    def reset(self, defaults: Defaults) -> None:
        """An empty form for a new report: reporter and branch from `defaults`, reported
        now."""
        self.set_state(
            {
                "reporter": {
                    "name": defaults.reporter_name,
                    "department": defaults.reporter_department,
                    "phone": defaults.reporter_phone,
                },
                "branch": defaults.branch,
            }
        )

    def clear_for_next(self) -> None:
        """Empty for the next caller; the reporter and the branch stay as they are."""
        current = self.state()
        self.set_state({"reporter": current["reporter"], "branch": current["branch"]})

    def apply_defaults(self, defaults: Defaults, *, only_blank: bool = True) -> None:
        """Late defaults (the operator's phone, read off the UI thread)."""
        pairs = (
            (self.reporter.name, defaults.reporter_name),
            (self.reporter.department, defaults.reporter_department),
            (self.reporter.phone, defaults.reporter_phone),
            (self.incident.branch, defaults.branch),
        )
        for edit, value in pairs:
            if value and (not only_blank or not edit.text()):
                edit.setText(value)

    # -- the intake object ---------------------------------------------------------------
    def intake(self) -> tuple[dict[str, Any], list[int]]:
        """The intake format object of this form (docs/intake-format.md) and, for each of
        its transactions, the table row it came from (empty rows are left out)."""
        state = self.state()
        obj: dict[str, Any] = {
            k: state[k]
            for k in (
                "title",
                "category",
                "subcategory",
                "channel",
                "occurred_at",
                "reported_at",
                "branch",
                "description",
                "affected_services",
            )
        }
        obj["reporter"] = dict(state["reporter"])
        rows: list[int] = []
        if state["category"] == Category.CUSTOMER_FRAUD:
            fraud = dict(state["fraud"])
            transactions = []
            for i, tx in enumerate(fraud["transactions"]):
                if is_blank(tx):
                    continue
                transactions.append({k: tx[k] for k in KEYS})
                rows.append(i)
            fraud["transactions"] = transactions
            obj["fraud"] = fraud
        return obj, rows

    # -- errors -----------------------------------------------------------------------------
    def clear_errors(self) -> None:
        self.errors.clear()
        self.fraud.model.clear_errors()
        for widget in self._marked:
            widget.setProperty("invalid", False)
            widget.setStyleSheet("")
        self._marked.clear()

    def show_errors(
        self, errors: Sequence[FieldError], rows: Sequence[int] = ()
    ) -> FocusTarget | None:
        """Each error under its field (a transaction's on its table cell); returns the first
        field to focus, in the order the core reported them (the form's order)."""
        others: list[FieldError] = []
        cells: dict[tuple[int, str], list[str]] = {}
        table_lines: list[str] = []
        first: FocusTarget | None = None
        for err in errors:
            match = TX_FIELD.match(err.field or "")
            if match and match.group(2) in COLUMN_OF:
                item = int(match.group(1))
                row = rows[item] if item < len(rows) else item
                key = match.group(2)
                cells.setdefault((row, key), []).append(message_without_field(err))
                table_lines.append(
                    FieldError(err.code, f"transactions[{row}].{key}", err.params).message(_)
                )
                if first is None:
                    first = FocusTarget(self.fraud.table, row, key)
                continue
            others.append(err)
            if first is None:
                widget = self.errors.widget_for(err.field or "")
                if widget is not None:
                    first = FocusTarget(widget)
        self.clear_errors()
        self.errors.show(others)
        if table_lines:
            label = self.fraud.table_error
            label.set_error("\n".join(filter(None, [label.text(), *table_lines])))
        self.fraud.model.set_errors({cell: "\n".join(t) for cell, t in cells.items()})
        self._mark({self.errors.widget_for(e.field or "") for e in others} - {None})
        return first

    def _mark(self, widgets: set[QWidget | None]) -> None:
        for widget in widgets:
            if widget is None or not any(
                widget.inherits(kind) for kind in ("QLineEdit", "QPlainTextEdit")
            ):
                continue
            widget.setProperty("invalid", True)
            # on the widget itself: a style sheet on the form would override its palette
            widget.setStyleSheet(INVALID_STYLE)
            self._marked.append(widget)

    def focus(self, target: FocusTarget | None) -> None:
        if target is None:
            return
        if target.row >= 0:
            index = self.fraud.model.index(target.row, COLUMN_OF[target.key])
            self.fraud.table.setCurrentIndex(index)
            self.fraud.table.scrollTo(index)
        target.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_labels(self) -> dict[str, ErrorLabel]:
        return {
            **self.incident.error_labels,
            **self.reporter.error_labels,
            **self.fraud.error_labels,
            "fraud": self.fraud.general_error,
            "fraud.transactions": self.fraud.table_error,
        }
