"""初步评估与决策 (plan §4.2): the assessor enters what is known of the impact, the grading
policy proposes a level (live, off the UI thread, with the rules that set it), the
coordinator confirms it or overrides it with a reason, and after saving the dialog shows
the deadlines that now run (and those that start when the response is activated)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ebconsole.assessment import service as assessment
from ebconsole.assessment.enums import Criterion
from ebconsole.assessment.grading import Proposal, describe
from ebconsole.assessment.schemas import AssessmentCreate, Criteria
from ebconsole.i18n import _
from ebconsole.incidents.enums import SEVERITY_LABELS, Severity
from ui.context import Context
from ui.errors import error_text
from ui.incidents.data import AssessmentOutcome, load_outcome
from ui.incidents.widgets import INCIDENT_CHANGES, TextEdit
from ui.models.incidents_model import SEVERITY_COLOURS, ObligationsModel, severity_text
from ui.widgets.forms import ErrorLabel, FieldErrors

PROPOSE_DELAY_MS = 150
MAX_SPIN = 2_000_000_000
NAME_SEPARATORS = ("、", "，", ",", ";", "；", "\n")


def split_names(text: str) -> list[str]:
    for sep in NAME_SEPARATORS[1:]:
        text = text.replace(sep, NAME_SEPARATORS[0])
    return [p.strip() for p in text.split(NAME_SEPARATORS[0]) if p.strip()]


def level_style(level: Severity | None) -> str:
    colour = SEVERITY_COLOURS.get(level) if level is not None else None
    return f"color: {colour.name()};" if colour is not None else ""


class AssessmentDialog(QDialog):
    saved = Signal(object)  # the incident id

    def __init__(
        self,
        ctx: Context,
        incident_id: uuid.UUID,
        reference: str,
        criteria: Criteria | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.incident_id = incident_id
        self.setObjectName("assessment_dialog")
        self.setWindowTitle(_("Assess {reference}").format(reference=reference))
        self.setMinimumWidth(720)
        self.proposal: Proposal | None = None
        self.outcome: AssessmentOutcome | None = None
        self._asked = 0  # sequence of proposal requests: only the newest answer is shown
        self.busy = False

        self.stack = QStackedWidget()
        self.stack.addWidget(self._form_page())
        self.stack.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PROPOSE_DELAY_MS)
        self._timer.timeout.connect(self.propose)
        self.set_criteria(criteria or Criteria())
        self._update_override()
        self.propose()
        self.editors[Criterion.OUTAGE_MINUTES].setFocus()

    # -- the form ----------------------------------------------------------------------
    def _form_page(self) -> QWidget:
        page = QWidget()
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("general_error")
        self.errors = FieldErrors(general=self.general_error)

        criteria_box = QGroupBox(_("What is known of the impact"))
        form = QFormLayout(criteria_box)
        self.editors: dict[Criterion, QWidget] = {}
        for criterion in Criterion:
            editor = self._editor(criterion)
            editor.setObjectName(criterion.value)
            self.editors[criterion] = editor
            error = ErrorLabel()
            error.setObjectName(f"error_{criterion.value}")
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            col.addWidget(editor)
            col.addWidget(error)
            if criterion.is_flag:
                form.addRow(box)
            else:
                form.addRow(_(criterion.label), box)
            self.errors.bind(f"criteria.{criterion.value}", error, editor)

        proposal_box = QGroupBox(_("The grading policy proposes"))
        pcol = QVBoxLayout(proposal_box)
        self.proposed_level = QLabel("…")
        self.proposed_level.setObjectName("proposed_level")
        font = self.proposed_level.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.proposed_level.setFont(font)
        self.why = QLabel()
        self.why.setObjectName("why")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        pcol.addWidget(self.proposed_level)
        pcol.addWidget(self.why, 1)

        decision_box = QGroupBox(_("Decision"))
        dform = QFormLayout(decision_box)
        dform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.confirm = QRadioButton(_("Confirm the proposed level"))
        self.confirm.setObjectName("confirm")
        self.override = QRadioButton(_("Set another level:"))
        self.override.setObjectName("override")
        self.confirm.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.confirm)
        group.addButton(self.override)
        self.override_level = QComboBox()
        self.override_level.setObjectName("override_level")
        for level in Severity:
            self.override_level.addItem(_(SEVERITY_LABELS[level]), level)
        row = QHBoxLayout()
        row.addWidget(self.override)
        row.addWidget(self.override_level, 1)
        dform.addRow(self.confirm)
        dform.addRow(row)
        self.override_reason = TextEdit(_("Why the proposed level does not fit (required)"))
        self.override_reason.setObjectName("override_reason")
        self.override_reason_error = self._bound(
            dform, "override_reason", _("Reason"), self.override_reason
        )
        self.notify = QLineEdit()
        self.notify.setObjectName("notify")
        self.notify.setPlaceholderText(_("e.g. 应急领导小组、科技部、客户服务中心"))
        self._bound(dform, "notify", _("Notified"), self.notify)
        self.decision_note = TextEdit(_("Whether to activate the response, and why"))
        self.decision_note.setObjectName("decision_note")
        self._bound(dform, "decision_note", _("Decision note"), self.decision_note)
        self.errors.bind("override_level", self.override_reason_error, self.override_level)

        right = QVBoxLayout()
        right.addWidget(proposal_box, 1)
        right.addWidget(decision_box)
        grid = QGridLayout()
        grid.addWidget(criteria_box, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(1, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setObjectName("save")
        self.save_button.setText(_("Save the assessment"))
        self.save_button.setToolTip(_("Save (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), page, activated=self.save)

        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(grid)
        col.addWidget(self.general_error)
        col.addWidget(self.buttons)

        self.override.toggled.connect(self._update_override)
        self.override_level.currentIndexChanged.connect(self._update_override)
        return page

    def _bound(self, form: QFormLayout, name: str, label: str, widget: QWidget) -> ErrorLabel:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(widget)
        error = ErrorLabel()
        error.setObjectName(f"error_{name}")
        col.addWidget(error)
        form.addRow(label, box)
        self.errors.bind(name, error, widget)
        return error

    def _editor(self, criterion: Criterion) -> QWidget:
        if criterion.is_flag:
            box = QCheckBox(_(criterion.label))
            box.toggled.connect(self._criteria_changed)
            return box
        if criterion.is_money:
            money = QDoubleSpinBox()
            money.setDecimals(2)
            money.setRange(0, 1e12)
            money.setGroupSeparatorShown(True)
            money.setSuffix(" " + _("CNY"))
            money.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
            money.valueChanged.connect(self._criteria_changed)
            return money
        spin = QSpinBox()
        spin.setRange(0, MAX_SPIN)
        spin.setGroupSeparatorShown(True)
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        spin.valueChanged.connect(self._criteria_changed)
        return spin

    # -- the criteria ------------------------------------------------------------------
    def set_criteria(self, criteria: Criteria) -> None:
        for criterion, editor in self.editors.items():
            value = getattr(criteria, criterion.value)
            editor.blockSignals(True)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(float(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(min(value, MAX_SPIN)))
            editor.blockSignals(False)
        self._criteria_changed()

    def criteria(self) -> Criteria:
        values: dict[str, Any] = {}
        for criterion, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                values[criterion.value] = editor.isChecked()
            elif isinstance(editor, QDoubleSpinBox):
                values[criterion.value] = Decimal(f"{editor.value():.2f}")
            elif isinstance(editor, QSpinBox):
                values[criterion.value] = editor.value()
        return Criteria(**values)

    def _criteria_changed(self) -> None:
        self.proposed_level.setEnabled(False)
        self._timer.start()

    def propose(self) -> None:
        """Ask the policy in force for its level (on a worker); only the newest answer
        is shown."""
        self._timer.stop()
        self._asked += 1
        asked = self._asked
        criteria = self.criteria()

        def shown(proposal: Proposal) -> None:
            if asked == self._asked:
                self.show_proposal(proposal)

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.proposal = None
                self.proposed_level.setText("—")
                self.proposed_level.setStyleSheet("")
                self.why.setText(error_text(exc))

        self.ctx.read(
            lambda s: assessment.propose(criteria, session=s),
            on_result=shown,
            on_error=failed,
            owner=self,
        )

    def show_proposal(self, proposal: Proposal) -> None:
        self.proposal = proposal
        self.proposed_level.setEnabled(True)
        self.proposed_level.setText(severity_text(proposal.level))
        self.proposed_level.setStyleSheet(level_style(proposal.level))
        reasons = [describe(t, _) for t in proposal.triggers]
        if reasons:
            self.why.setText(_("Why:") + "\n" + "\n".join(f"• {reason}" for reason in reasons))
        else:
            self.why.setText(_("No rule of the grading policy matched: its default level applies"))
        self._update_override()

    def _update_override(self) -> None:
        overriding = self.override.isChecked()
        self.override_level.setEnabled(overriding)
        differs = (
            overriding
            and self.proposal is not None
            and self.chosen_level() is not self.proposal.level
        )
        self.override_reason.setEnabled(overriding)
        self.override_reason.setPlaceholderText(
            _("Why the proposed level does not fit (required)")
            if differs or self.proposal is None
            else _("Optional")
        )

    def chosen_level(self) -> Severity:
        return Severity(self.override_level.currentData())

    def set_override(self, level: Severity, reason: str = "") -> None:
        self.override.setChecked(True)
        self.override_level.setCurrentIndex(self.override_level.findData(str(level)))
        self.override_reason.setText(reason)

    # -- saving ------------------------------------------------------------------------
    def data(self) -> AssessmentCreate:
        overriding = self.override.isChecked()
        return AssessmentCreate(
            criteria=self.criteria(),
            override_level=self.chosen_level() if overriding else None,
            override_reason=(self.override_reason.text() or None) if overriding else None,
            notify=split_names(self.notify.text()),
            decision_note=self.decision_note.text() or None,
        )

    def save(self) -> None:
        if self.busy or self.stack.currentIndex() != 0:
            return
        self.errors.clear()
        data, incident_id = self.data(), self.incident_id
        self.busy = True
        self.save_button.setEnabled(False)
        self.ctx.write(
            lambda s: assessment.assess(incident_id, data, session=s).id,
            changes=INCIDENT_CHANGES,
            on_result=self._saved,
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.errors.show_exception(exc)

    def _saved(self, _assessment_id: Any) -> None:
        self.saved.emit(self.incident_id)
        incident_id = self.incident_id
        self.ctx.read(
            lambda s: load_outcome(incident_id, s),
            on_result=self.show_outcome,
            on_error=self._failed,
        )

    # -- the result --------------------------------------------------------------------
    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_level = QLabel()
        self.result_level.setObjectName("result_level")
        font = self.result_level.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.result_level.setFont(font)
        self.result_text = QLabel()
        self.result_text.setObjectName("result_text")
        self.result_text.setWordWrap(True)
        self.deadlines = ObligationsModel(self)
        self.deadlines_view = QTableView()
        self.deadlines_view.setObjectName("deadlines")
        self.deadlines_view.setModel(self.deadlines)
        self.deadlines_view.verticalHeader().hide()
        self.deadlines_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.deadlines_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.deadlines_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.deadlines_view.horizontalHeader().setStretchLastSection(True)
        self.later = QLabel()
        self.later.setObjectName("on_activation")
        self.later.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.result_level)
        col.addWidget(self.result_text)
        heading = QLabel(_("Deadlines now running"))
        heading.setStyleSheet("font-weight: bold;")
        col.addWidget(heading)
        col.addWidget(self.deadlines_view, 1)
        col.addWidget(self.later)
        col.addWidget(close)
        return page

    def show_outcome(self, outcome: AssessmentOutcome) -> None:
        self.busy = False
        self.outcome = outcome
        self.result_level.setText(
            _("Assessed as {level}").format(level=severity_text(outcome.level))
        )
        self.result_level.setStyleSheet(level_style(outcome.level))
        if outcome.level is not outcome.computed:
            self.result_text.setText(
                _(
                    "The policy proposed {computed}; the override and its reason are on the "
                    "timeline."
                ).format(computed=severity_text(outcome.computed))
            )
        else:
            self.result_text.setText(_("The assessment is on the timeline."))
        self.deadlines.set_rows(outcome.deadlines)
        if not outcome.deadlines:
            self.deadlines_view.setVisible(False)
        lines = [
            _("{obligation}: within {minutes} minutes of activating the response").format(
                obligation=_(d.kind.label), minutes=d.minutes
            )
            for d in outcome.on_activation
        ]
        if lines:
            self.later.setText(_("When the response is activated:") + "\n" + "\n".join(lines))
        elif not outcome.deadlines:
            self.later.setText(_("No reporting deadline applies at this level yet."))
        self.stack.setCurrentIndex(1)
        self.close_button.setFocus()
