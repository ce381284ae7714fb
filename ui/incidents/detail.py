"""One incident: the header, the actions valid now, and its timeline, deadlines, fraud
report, review and the resources it used.

Only the lifecycle steps the incident can take from its status are offered
(`incidents.lifecycle.transitions_from`), and only enabled for a role that may take them
(assessing and driving the response need a coordinator). Every change is one background
write that broadcasts `Changes(incidents, obligations)`; the tab then reloads the view.
"""

from __future__ import annotations

import threading
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.incidents import service as incidents
from ebconsole.incidents.enums import CHANNEL_LABELS, Status
from ebconsole.incidents.lifecycle import Transition
from ebconsole.incidents.schemas import IncidentReview
from ebconsole.obligations.enums import ObligationState
from ebconsole.timeutil import format_local
from ui.context import Context
from ui.errors import error_text
from ui.incidents.assessment_dialog import AssessmentDialog, level_style
from ui.incidents.countdown import Countdown
from ui.incidents.data import IncidentDetail, load_detail
from ui.incidents.fraud_panel import FraudPanel, RequestDialog
from ui.incidents.obligations_panel import ObligationDoneDialog, ObligationsPanel
from ui.incidents.resources_panel import ResourcesUsedPanel, ResourceUseDialog
from ui.incidents.review_panel import ImprovementDialog, ReviewPanel
from ui.incidents.timeline_dialog import TimelineEntryDialog
from ui.incidents.transition_dialog import TransitionDialog
from ui.incidents.widgets import INCIDENT_CHANGES
from ui.models.incidents_model import (
    MUTED,
    ObligationRow,
    TimelineModel,
    category_text,
    severity_text,
    status_text,
)
from ui.permissions import Action, may_see_branch

TAB_TIMELINE, TAB_DEADLINES, TAB_FRAUD, TAB_REVIEW, TAB_RESOURCES = range(5)
AFTER_WAIT_S = 1.0  # the longest a read waits for the event it was told to wait for


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(f"color: {MUTED.name()};")
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return label


def _value() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class IncidentDetailView(QWidget):
    """Shows the incident given to `show_incident`; `loaded(detail)` after each read."""

    loaded = Signal(object)

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.incident_id: uuid.UUID | None = None
        self.detail: IncidentDetail | None = None
        self.dialog: QDialog | None = None
        self._asked = 0

        self.stack = QStackedWidget()
        self.placeholder = QLabel(_("Select an incident to see its details."))
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._build())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> QWidget:
        page = QWidget()
        top = QHBoxLayout()
        self.reference = QLabel()
        self.reference.setObjectName("reference")
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reference.setStyleSheet("font-weight: bold;")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.severity = QLabel()
        self.severity.setObjectName("severity")
        for badge in (self.status, self.severity):
            badge.setFrameShape(QFrame.Shape.StyledPanel)
            badge.setContentsMargins(6, 1, 6, 1)
        self.countdown = Countdown()
        self.countdown.setObjectName("header_countdown")
        top.addWidget(self.reference)
        top.addWidget(self.status)
        top.addWidget(self.severity)
        top.addStretch(1)
        top.addWidget(self.countdown)

        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        fields = (
            ("category", _("Class")),
            ("channel", _("Discovered through")),
            ("occurred_at", _("Occurred at")),
            ("reported_at", _("Reported at")),
            ("reporter", _("Reporter")),
            ("branch", _("Branch")),
            ("owner", _("Owner")),
            ("in_scope", _("Under the plan")),
        )
        for i, (key, caption) in enumerate(fields):
            value = _value()
            value.setObjectName(f"field_{key}")
            self.values[key] = value
            row, col = divmod(i, 2)
            grid.addWidget(_caption(caption), row, col * 2)
            grid.addWidget(value, row, col * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.closing = _value()
        self.closing.setObjectName("closing")
        self.description = _value()
        self.description.setObjectName("description")
        self.description.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 4)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        # the actions valid now
        self.actions = QHBoxLayout()
        self.actions.setSpacing(6)
        self.assess_button = QPushButton(_("Assess…"))
        self.assess_button.setObjectName("assess")
        self.assess_button.clicked.connect(self.open_assessment)
        self.timeline_button = QPushButton(_("Add to timeline…"))
        self.timeline_button.setObjectName("add_timeline")
        self.timeline_button.setToolTip(_("Add an action, decision, notification or note (Ctrl+T)"))
        self.timeline_button.clicked.connect(self.open_timeline_entry)
        self.transition_buttons: dict[Status, QPushButton] = {}
        self._transitions_row = QHBoxLayout()
        self._transitions_row.setSpacing(6)
        self.actions.addWidget(self.assess_button)
        self.actions.addLayout(self._transitions_row)
        self.actions.addStretch(1)
        self.actions.addWidget(self.timeline_button)

        # the sections
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sections")
        self.timeline = TimelineModel(self)
        self.timeline_view = QTableView()
        self.timeline_view.setObjectName("timeline")
        self.timeline_view.setModel(self.timeline)
        self.timeline_view.verticalHeader().hide()
        self.timeline_view.setWordWrap(False)
        self.timeline_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.timeline_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TimelineModel.TEXT, QHeaderView.ResizeMode.Stretch)
        self.obligations = ObligationsPanel()
        self.obligations.done_requested.connect(self.open_obligation_done)
        self.fraud = FraudPanel()
        self.fraud.requested.connect(self.open_request)
        self.review = ReviewPanel()
        self.review.save_requested.connect(self.save_review)
        self.review.add_action_requested.connect(self.open_improvement)
        self.tabs.addTab(self.timeline_view, _("Timeline"))
        self.tabs.addTab(self.obligations, _("Deadlines"))
        self.tabs.addTab(self.fraud, _("Fraud report"))
        self.tabs.addTab(self.review, _("Review and improvement"))
        self.resources_used = ResourcesUsedPanel()
        self.resources_used.add_requested.connect(self.open_resource_use)
        self.tabs.addTab(self.resources_used, _("Resources used"))

        col = QVBoxLayout(page)
        col.setContentsMargins(6, 0, 0, 0)
        col.addLayout(top)
        col.addWidget(self.title)
        col.addLayout(grid)
        col.addWidget(self.closing)
        col.addWidget(self.description)
        col.addLayout(self.actions)
        col.addWidget(self.tabs, 1)
        return page

    # -- loading -----------------------------------------------------------------------
    def show_incident(
        self, incident_id: uuid.UUID | None, *, after: threading.Event | None = None
    ) -> None:
        """Show `incident_id`; `after`: its read waits until this is set (the incidents
        table has painted its rows), for AFTER_WAIT_S at most."""
        if incident_id != self.incident_id:
            self.detail = None
        self.incident_id = incident_id
        if incident_id is None:
            self.clear()
            return
        self.reload(after=after)

    def clear(self, text: str | None = None) -> None:
        self.incident_id = None
        self.detail = None
        self._asked += 1
        self.countdown.set_expiry(None)
        self.fraud.set_view(None, may_act=False, writable=False)
        self.placeholder.setText(text or _("Select an incident to see its details."))
        self.stack.setCurrentIndex(0)

    def reload(self, *, after: threading.Event | None = None) -> None:
        if self.incident_id is None:
            return
        self._asked += 1
        asked, incident_id = self._asked, self.incident_id

        def read(s: Session) -> IncidentDetail:
            if after is not None:
                after.wait(AFTER_WAIT_S)
            return load_detail(incident_id, s)

        def shown(detail: IncidentDetail) -> None:
            if asked == self._asked:
                self.set_detail(detail)

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.clear(error_text(exc))

        self.ctx.read(read, on_result=shown, on_error=failed, owner=self)

    def set_detail(self, detail: IncidentDetail) -> None:
        if not may_see_branch(self.ctx.actor, detail.branch):
            self.clear(_("This incident belongs to another branch."))
            return
        opened = self.detail is None or self.detail.id != detail.id
        self.detail = detail
        self.incident_id = detail.id
        self._fill_header(detail)
        self._fill_actions(detail)
        self.timeline.set_rows(detail.timeline)
        self.timeline_view.scrollToBottom()
        self.obligations.set_rows(detail.obligations, may_record=self.ctx.can(Action.RECORD_NOTICE))
        fraud = detail.fraud is not None
        self.tabs.setTabVisible(TAB_FRAUD, fraud)
        if opened and detail.fraud is not None and detail.fraud.stop_payment_requested_at is None:
            self.tabs.setCurrentIndex(TAB_FRAUD)  # the stop-payment is what is urgent
        self.fraud.set_view(
            detail.fraud, may_act=self.ctx.can(Action.INTAKE), writable=not detail.archived
        )
        self.review.set_detail(
            detail,
            may_review=self.ctx.can(Action.DRIVE_RESPONSE),
            may_plan=self.ctx.can(Action.EDIT_IMPROVEMENTS),
        )
        self.resources_used.set_rows(
            detail.resources_used,
            may_add=not detail.archived and self.ctx.can(Action.DRIVE_RESPONSE),
        )
        now = self.obligations.model.now
        overdue = sum(1 for o in detail.obligations if o.state_at(now) is ObligationState.OVERDUE)
        self.tabs.setTabText(
            TAB_DEADLINES,
            _("Deadlines ({n} overdue)").format(n=overdue) if overdue else _("Deadlines"),
        )
        self.stack.setCurrentIndex(1)
        self.loaded.emit(detail)

    def _fill_header(self, d: IncidentDetail) -> None:
        self.reference.setText(d.reference)
        self.title.setText(d.title)
        self.status.setText(status_text(d.status))
        self.severity.setText(severity_text(d.severity))
        self.severity.setStyleSheet(level_style(d.severity) + "font-weight: bold;")
        category = category_text(d.category)
        self.values["category"].setText(
            f"{category} / {d.subcategory}" if d.subcategory else category
        )
        self.values["channel"].setText(_(CHANNEL_LABELS[d.channel]))
        self.values["occurred_at"].setText(format_local(d.occurred_at) or "—")
        self.values["reported_at"].setText(format_local(d.reported_at))
        reporter = d.reporter_name or "—"
        extra = "，".join(p for p in (d.reporter_department, d.reporter_phone) if p)
        self.values["reporter"].setText(f"{reporter}（{extra}）" if extra else reporter)
        self.values["branch"].setText(d.branch or "—")
        self.values["owner"].setText(d.owner or _("Nobody yet"))
        if d.in_scope:
            self.values["in_scope"].setText(_("Yes"))
        else:
            self.values["in_scope"].setText(
                _("No: handed off to {to}").format(to=d.handed_off_to)
                if d.handed_off_to
                else _("No")
            )
        closing = []
        if d.out_of_scope_reason:
            closing.append(_("Handed off because: {reason}").format(reason=d.out_of_scope_reason))
        if d.dismissed_reason:
            closing.append(
                _("Closed without activation: {reason}").format(reason=d.dismissed_reason)
            )
        if d.archived:
            closing.append(_("Archived: read only."))
        self.closing.setText("\n".join(closing))
        self.closing.setVisible(bool(closing))
        self.description.setText(d.description or "")
        self.description.setToolTip(d.description or "")
        self.description.setVisible(bool(d.description))
        fraud = d.fraud
        if fraud is not None:
            self.countdown.set_expiry(fraud.expires_at, done=fraud.expiry_done)
        else:
            self.countdown.set_expiry(None)

    def _fill_actions(self, d: IncidentDetail) -> None:
        while self._transitions_row.count():
            item = self._transitions_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.transition_buttons = {}
        writable = not d.archived
        may_assess = self.ctx.can(Action.ASSESS)
        self.assess_button.setVisible(not d.closed)
        self.assess_button.setEnabled(writable and may_assess and not d.closed)
        self.assess_button.setText(_("Re-assess…") if d.severity is not None else _("Assess…"))
        self.assess_button.setToolTip(
            _("Grade the incident with the grading policy (Ctrl+G)")
            if may_assess
            else _("Only a coordinator may assess an incident")
        )
        may_drive = self.ctx.can(Action.DRIVE_RESPONSE)
        ordered = sorted(d.transitions(), key=lambda t: t.target is Status.OUT_OF_SCOPE)
        for t in ordered:
            button = QPushButton(_(t.action) + "…")
            button.setObjectName(f"to_{t.target.value}")
            enabled = writable and may_drive
            tip = ""
            if not may_drive:
                tip = _("Only a coordinator may drive the response")
            elif t.needs_severity and d.severity is None:
                enabled = False
                tip = _("Assess the incident first")
            button.setEnabled(enabled)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, t=t: self.start_transition(t))
            self._transitions_row.addWidget(button)
            self.transition_buttons[t.target] = button
        self.timeline_button.setEnabled(writable and self.ctx.can(Action.INTAKE))

    def enabled_actions(self) -> set[str]:
        """The names of the action buttons enabled now (for tests and the status bar)."""
        names = {t.value for t, b in self.transition_buttons.items() if b.isEnabled()}
        if self.assess_button.isVisible() and self.assess_button.isEnabled():
            names.add("assess")
        return names

    # -- dialogs -----------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()  # its shortcuts (Ctrl+Enter) work at once
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def open_assessment(self) -> AssessmentDialog | None:
        d = self.detail
        if d is None or not self.assess_button.isEnabled():
            return None
        dialog = AssessmentDialog(self.ctx, d.id, d.reference, d.criteria, self)
        self._open(dialog)
        return dialog

    def start_transition(self, transition: Transition) -> TransitionDialog | None:
        d = self.detail
        if d is None:
            return None
        if transition.needs_review:
            self.tabs.setCurrentIndex(TAB_REVIEW)
            self.review.cause.setFocus()
            return None
        dialog = TransitionDialog(self.ctx, d.id, d.reference, transition, self)
        self._open(dialog)
        return dialog

    def open_timeline_entry(self) -> TimelineEntryDialog | None:
        d = self.detail
        if d is None or not self.timeline_button.isEnabled():
            return None
        dialog = TimelineEntryDialog(self.ctx, d.id, d.reference, self)
        self._open(dialog)
        return dialog

    def open_obligation_done(self, row: ObligationRow) -> ObligationDoneDialog | None:
        if self.detail is None:
            return None
        dialog = ObligationDoneDialog(self.ctx, row, self)
        self._open(dialog)
        return dialog

    def open_request(self, what: str) -> RequestDialog | None:
        d = self.detail
        if d is None:
            return None
        dialog = RequestDialog(self.ctx, what, d.id, d.reference, self)
        self._open(dialog)
        return dialog

    def open_resource_use(self) -> ResourceUseDialog | None:
        d = self.detail
        if d is None or not self.resources_used.add_button.isEnabled():
            return None
        dialog = ResourceUseDialog(self.ctx, d.id, d.reference, self)
        self._open(dialog)
        return dialog

    def open_improvement(self) -> ImprovementDialog | None:
        d = self.detail
        if d is None:
            return None
        dialog = ImprovementDialog(
            self.ctx, d.id, d.reference, d.owner or self.ctx.actor.name, self
        )
        self._open(dialog)
        return dialog

    def save_review(self, cause: str, handling: str, lessons: str) -> None:
        d = self.detail
        if d is None:
            return
        data = IncidentReview(cause=cause, lessons=lessons, handling=handling or None)
        incident_id = d.id
        self.review.save_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.review.save_button.setEnabled(True)
            self.review.errors.show_exception(exc)

        self.ctx.write(
            lambda s: incidents.review(incident_id, data, session=s).id,
            changes=INCIDENT_CHANGES,
            on_error=failed,
            owner=self,
        )
