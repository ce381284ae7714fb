"""总结与改进: once service is restored, the review (cause, handling evaluation, lessons)
closes the incident; improvement actions raised by the review are tracked to closure."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.i18n import _
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import SourceKind
from ebconsole.improvements.schemas import ActionCreate
from ebconsole.incidents.enums import Status
from ui.context import Context
from ui.incidents.data import IncidentDetail, default_due_date
from ui.incidents.widgets import FormDialog, TextEdit
from ui.models.incidents_model import ImprovementsModel
from ui.ops import Changes
from ui.widgets.forms import ErrorLabel, FieldErrors


class ImprovementDialog(FormDialog):
    """A new improvement action from this incident's review."""

    changes = Changes(improvements=True)

    def __init__(
        self,
        ctx: Context,
        incident_id: uuid.UUID,
        reference: str,
        owner: str,
        parent: QWidget | None = None,
    ):
        super().__init__(ctx, _("New improvement action"), parent)
        self.setObjectName("improvement_dialog")
        self.incident_id = incident_id
        self.reference = reference
        self.set_intro(_("From the review of {reference}").format(reference=reference))
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setPlaceholderText(_("e.g. 增加数据库主备切换演练"))
        self.description = TextEdit(rows=3)
        self.description.setObjectName("description")
        self.owner = QLineEdit(owner)
        self.owner.setObjectName("owner_name")
        self.due = QDateEdit()
        self.due.setObjectName("due_date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(default_due_date())
        self.add_field("title", _("Action"), self.title)
        self.add_field("description", _("Details"), self.description)
        self.add_field("owner_name", _("Owner"), self.owner)
        self.add_field("due_date", _("Due date"), self.due)
        self.ok_button.setText(_("Add"))
        self.title.setFocus()

    def work(self) -> Callable[[Session], Any] | None:
        data = ActionCreate(
            title=self.title.text(),
            description=self.description.text() or None,
            source_kind=SourceKind.INCIDENT_REVIEW,
            source_id=self.incident_id,
            source_ref=self.reference,
            owner_name=self.owner.text(),
            due_date=self.due.date().toPython(),
        )
        return lambda s: improvements.create(data, session=s).id


class ReviewPanel(QWidget):
    """`save_requested(cause, handling, lessons)`; `add_action_requested()`."""

    save_requested = Signal(str, str, str)
    add_action_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = QLabel()
        self.state.setObjectName("review_state")
        self.state.setWordWrap(True)
        box = QGroupBox(_("Review"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general_error = ErrorLabel()
        self.errors = FieldErrors(general=self.general_error)
        self.cause = TextEdit(_("What caused the incident (required)"))
        self.cause.setObjectName("cause")
        self.handling = TextEdit(_("How well the response went: what worked, what did not"))
        self.handling.setObjectName("handling")
        self.lessons = TextEdit(
            _("What to change in the plan, the systems, the training (required)")
        )
        self.lessons.setObjectName("lessons")
        for name, label, widget in (
            ("cause", _("Cause"), self.cause),
            ("handling", _("Handling evaluation"), self.handling),
            ("lessons", _("Lessons"), self.lessons),
        ):
            holder = QWidget()
            col = QVBoxLayout(holder)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            col.addWidget(widget)
            error = ErrorLabel()
            error.setObjectName(f"error_{name}")
            col.addWidget(error)
            form.addRow(label, holder)
            self.errors.bind(name, error, widget)
        self.save_button = QPushButton(_("Save the review and close"))
        self.save_button.setObjectName("save_review")
        self.save_button.clicked.connect(self._save)
        row = QHBoxLayout()
        row.addWidget(self.general_error, 1)
        row.addWidget(self.save_button)
        form.addRow(row)

        actions = QGroupBox(_("Improvement actions"))
        acol = QVBoxLayout(actions)
        self.actions = ImprovementsModel(self)
        self.table = QTableView()
        self.table.setObjectName("improvements")
        self.table.setModel(self.actions)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ImprovementsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("Add an improvement action…"))
        self.add_button.setObjectName("add_improvement")
        self.add_button.clicked.connect(self.add_action_requested)
        arow = QHBoxLayout()
        arow.addWidget(self.add_button)
        arow.addStretch(1)
        acol.addWidget(self.table, 1)
        acol.addLayout(arow)

        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(box)
        layout.addWidget(actions, 1)
        self._shown: uuid.UUID | None = None

    def set_detail(self, detail: IncidentDetail, *, may_review: bool, may_plan: bool) -> None:
        editable = detail.status is Status.RESTORED and may_review and not detail.archived
        same = self._shown == detail.id
        if not (same and editable):  # keep what is being typed on a refresh
            self.cause.setText(detail.review_cause or "")
            self.handling.setText(detail.review_handling or "")
            self.lessons.setText(detail.review_lessons or "")
            self.errors.clear()
        self._shown = detail.id
        for w in (self.cause, self.handling, self.lessons):
            w.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.save_button.setVisible(detail.status is not Status.REVIEWED)
        if detail.status is Status.REVIEWED:
            self.state.setText(_("Reviewed by {who}.").format(who=detail.reviewed_by or "—"))
        elif detail.status is Status.RESTORED:
            self.state.setText(
                _("Service is restored: record the review to close the incident.")
                if may_review
                else _("Service is restored: a coordinator records the review.")
            )
        else:
            self.state.setText(_("The review is written once service is restored."))
        self.actions.set_rows(detail.improvements)
        self.add_button.setEnabled(may_plan and detail.status in (Status.RESTORED, Status.REVIEWED))

    def _save(self) -> None:
        self.errors.clear()
        self.save_requested.emit(self.cause.text(), self.handling.text(), self.lessons.text())
