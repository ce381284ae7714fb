"""Dialogs of the training and drills tab: a plan, a session held (record) with its
evaluation and findings, an improvement action raised from a finding, and completing one."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from sqlalchemy.orm import Session

from ebconsole.drills import service as drills
from ebconsole.drills.enums import (
    AUDIENCE_LABELS,
    METHODS_BY_KIND,
    Audience,
    ExerciseKind,
    Rating,
    Scenario,
)
from ebconsole.drills.schemas import PlanCreate, PlanUpdate, RecordCreate, RecordUpdate
from ebconsole.i18n import _
from ebconsole.improvements import service as improvements
from ui.context import Context
from ui.models.drills_model import (
    ActionRow,
    Person,
    PlanRow,
    RecordRow,
    exercise_kind_text,
    method_text,
    rating_text,
    scenario_text,
)
from ui.ops import Changes
from ui.plan.form import (
    FormDialog,
    date_edit,
    date_of,
    local_today,
    select_data,
    text_or_none,
)

_SEPARATORS = re.compile(r"[\n,，、;；]+")


def split_names(text: str) -> list[str]:
    """Names one per line or separated by 、 , ；"""
    return [n.strip() for n in _SEPARATORS.split(text) if n.strip()]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _text(text: str | None = "", height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit(text or "")
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


def _methods(box: QComboBox, kind: ExerciseKind, current: Any = None) -> None:
    box.clear()
    for method in METHODS_BY_KIND[ExerciseKind(kind)]:
        box.addItem(method_text(method), method)
    if current is not None:
        select_data(box, current)


class PlanDialog(FormDialog):
    """A training or drill plan: audience, method, scenario and how often it is held."""

    changes = Changes(drills=True)

    def __init__(self, ctx: Context, plan: PlanRow | None = None, parent: QWidget | None = None):
        super().__init__(
            ctx, _("Edit plan") if plan else _("New training or drill plan"), "drills", parent
        )
        self.setObjectName("plan_dialog")
        self.setMinimumWidth(560)
        self.plan = plan
        self.kind = QComboBox()
        for kind in (ExerciseKind.DRILL, ExerciseKind.TRAINING):
            self.kind.addItem(exercise_kind_text(kind), kind)
        select_data(self.kind, plan.kind if plan else ExerciseKind.DRILL)
        self.kind.setEnabled(plan is None)
        self.title_ = QLineEdit(plan.title if plan else "")
        self.title_.setMaxLength(200)
        self.title_.setPlaceholderText(_("e.g. Network attack tabletop drill"))
        audience_box = QWidget()
        row = QHBoxLayout(audience_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.audiences: dict[Audience, QCheckBox] = {}
        for audience in Audience:
            check = QCheckBox(_(AUDIENCE_LABELS[audience]))
            check.setChecked(plan is not None and audience in plan.audiences)
            self.audiences[audience] = check
            row.addWidget(check)
        row.addStretch(1)
        audience_box.setFocusProxy(self.audiences[Audience.STAFF])
        if plan is None:
            self.audiences[Audience.STAFF].setChecked(True)
        self.method = QComboBox()
        self.scenario = QComboBox()
        self.cycle = QSpinBox()
        self.cycle.setRange(1, drills.MAX_CYCLE_MONTHS)
        self.cycle.setValue(plan.cycle_months if plan else 12)
        self.cycle.setSuffix(_(" months"))
        self.content = _text(plan.content if plan else "", 90)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        if plan is not None:
            select_data(self.method, plan.method)
            select_data(self.scenario, plan.scenario)

        self.add_row(_("&Kind"), self.kind, "kind")
        self.add_row(_("&Title"), self.title_, "title")
        self.add_row(_("&Audience"), audience_box, "audiences")
        self.bind_items("audiences", audience_box, len(Audience))
        self.add_row(_("&Method"), self.method, "method")
        self.add_row(_("&Scenario"), self.scenario, "scenario")
        self.add_row(
            _("&Cycle"),
            self.cycle,
            "cycle_months",
            note=_("The plan asks for each at least once a year (12 months)."),
        )
        self.add_row(_("C&ontent"), self.content, "content")
        self.title_.setFocus()

    def _kind_changed(self, _index: int = -1) -> None:
        kind = ExerciseKind(self.kind.currentData())
        _methods(self.method, kind)
        self.scenario.clear()
        if kind is ExerciseKind.TRAINING:
            self.scenario.addItem(_("— none —"), None)
        for scenario in Scenario:
            self.scenario.addItem(scenario_text(scenario), scenario)

    def work(self) -> Callable[[Session], Any]:
        values: dict[str, Any] = {
            "title": self.title_.text().strip(),
            "audiences": [a for a, check in self.audiences.items() if check.isChecked()],
            "method": self.method.currentData(),
            "scenario": self.scenario.currentData(),
            "cycle_months": self.cycle.value(),
            "content": text_or_none(self.content.toPlainText()),
        }
        if self.plan is None:
            create = PlanCreate(kind=self.kind.currentData(), **values)
            return lambda s: drills.create_plan(create, session=s).id
        plan_id = self.plan.id
        update = PlanUpdate(**values, version=self.plan.version)
        return lambda s: drills.update_plan(plan_id, update, session=s).id


class RecordDialog(FormDialog):
    """A training session or drill held: when, how, who, the evaluation and the findings."""

    changes = Changes(drills=True)

    def __init__(
        self,
        ctx: Context,
        plans: Sequence[PlanRow],
        record: RecordRow | None = None,
        plan_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(
            ctx,
            _("Edit training or drill record") if record else _("Record a training or drill"),
            "drills",
            parent,
        )
        self.setObjectName("record_dialog")
        self.setMinimumWidth(620)
        self.record = record
        self.plans = {p.id: p for p in plans}

        self.plan = QComboBox()
        for p in plans:
            self.plan.addItem(f"{exercise_kind_text(p.kind)} · {p.title}", p.id)
        if record is not None and record.plan_id not in self.plans:
            self.plan.addItem(record.plan_title, record.plan_id)
        select_data(self.plan, record.plan_id if record else plan_id)
        self.plan.setEnabled(record is None)
        self.held_on = date_edit(record.held_on if record else local_today())
        today = local_today()
        self.held_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.method = QComboBox()
        self.scenario = QComboBox()
        self.participants = _text("\n".join(record.participants) if record else "", 60)
        self.participants.setPlaceholderText(_("One name per line, or separated by 、"))
        self.count = QSpinBox()
        self.count.setRange(0, 100_000)
        self.count.setSpecialValueText(_("as many as the names"))
        self.count.setValue(
            record.participant_count
            if record and record.participant_count != len(record.participants)
            else 0
        )
        self.duration = QSpinBox()
        self.duration.setRange(0, 7 * 24 * 60)
        self.duration.setSpecialValueText("—")
        self.duration.setSuffix(_(" minutes"))
        self.duration.setValue(record.duration_minutes or 0 if record else 0)
        self.score = QSpinBox()
        self.score.setRange(-1, 100)
        self.score.setSpecialValueText("—")
        self.score.setValue(record.score if record and record.score is not None else -1)
        self.rating = QComboBox()
        self.rating.addItem("—", None)
        for rating in Rating:
            self.rating.addItem(rating_text(rating), rating)
        select_data(self.rating, record.rating if record else None)
        self.evaluation = _text(record.evaluation if record else "", 70)
        self.evaluation.setPlaceholderText(
            _("How the drill went as a whole: was the plan feasible and effective?")
        )
        self.findings = _text("\n".join(record.findings) if record else "", 90)
        self.findings.setPlaceholderText(
            _("One finding per line; each can become an improvement action.")
        )
        self.plan.currentIndexChanged.connect(self._plan_changed)
        self._plan_changed()
        if record is not None:
            select_data(self.method, record.method)
            select_data(self.scenario, record.scenario)

        rating_box = QWidget()
        rating_row = QHBoxLayout(rating_box)
        rating_row.setContentsMargins(0, 0, 0, 0)
        rating_row.addWidget(self.rating, 1)
        score_label = QLabel(_("S&core"))
        score_label.setBuddy(self.score)
        rating_row.addWidget(score_label)
        rating_row.addWidget(self.score)
        rating_box.setFocusProxy(self.rating)

        self.add_row(_("&Plan"), self.plan, "plan_id")
        self.add_row(_("&Held on"), self.held_on, "held_on")
        self.add_row(_("&Method"), self.method, "method")
        self.add_row(_("&Scenario"), self.scenario, "scenario")
        self.add_row(_("P&articipants"), self.participants, "participants")
        self.bind_items("participants", self.participants, drills.MAX_NAMES)
        self.add_row(_("&Number of participants"), self.count, "participant_count")
        self.add_row(_("&Duration"), self.duration, "duration_minutes")
        self.add_row(_("&Rating"), rating_box, "rating")
        self.errors.bind("score", self.last_error, self.score)
        self.add_row(_("&Evaluation"), self.evaluation, "evaluation")
        self.add_row(_("&Findings"), self.findings, "findings")
        self.bind_items("findings", self.findings, drills.MAX_FINDINGS)
        (self.held_on if record else self.plan).setFocus()

    def current_plan(self) -> PlanRow | None:
        return self.plans.get(self.plan.currentData())

    def _plan_changed(self, _index: int = -1) -> None:
        plan = self.current_plan()
        kind = plan.kind if plan else (self.record.kind if self.record else ExerciseKind.DRILL)
        _methods(self.method, kind, plan.method if plan else None)
        self.scenario.clear()
        if kind is ExerciseKind.TRAINING:
            self.scenario.addItem(_("— none —"), None)
        for scenario in Scenario:
            self.scenario.addItem(scenario_text(scenario), scenario)
        if plan is not None:
            select_data(self.scenario, plan.scenario)

    def work(self) -> Callable[[Session], Any]:
        names = split_names(self.participants.toPlainText())
        values: dict[str, Any] = {
            "held_on": date_of(self.held_on),
            "method": self.method.currentData(),
            "scenario": self.scenario.currentData(),
            "participants": names,
            "participant_count": self.count.value() or len(names),
            "duration_minutes": self.duration.value() or None,
            "score": self.score.value() if self.score.value() >= 0 else None,
            "rating": self.rating.currentData(),
            "evaluation": text_or_none(self.evaluation.toPlainText()),
            "findings": split_lines(self.findings.toPlainText()),
        }
        if self.record is None:
            create = RecordCreate(plan_id=self.plan.currentData(), **values)
            return lambda s: drills.create_record(create, session=s).id
        record_id = self.record.id
        update = RecordUpdate(**values, version=self.record.version)
        return lambda s: drills.update_record(record_id, update, session=s).id


class ImprovementDialog(FormDialog):
    """Turn one finding into an improvement action with an owner and a due date."""

    changes = Changes(improvements=True, drills=True)

    def __init__(
        self,
        ctx: Context,
        record: RecordRow,
        finding: int,
        people: Sequence[Person],
        parent: QWidget | None = None,
    ):
        super().__init__(ctx, _("Create an improvement action"), "improvements", parent)
        self.setObjectName("improvement_dialog")
        self.record = record
        self.finding = finding
        self.people = {p.name: p for p in people}
        source = QLabel(
            _("{plan}, {date}, finding {number}:").format(
                plan=record.plan_title, date=record.held_on.isoformat(), number=finding + 1
            )
        )
        source.setWordWrap(True)
        text = QLabel(record.findings[finding])
        text.setWordWrap(True)
        font = text.font()
        font.setBold(True)
        text.setFont(font)
        self.layout_.insertWidget(0, text)
        self.layout_.insertWidget(0, source)
        self.owner = QComboBox()
        self.owner.setEditable(True)
        self.owner.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for p in people:
            self.owner.addItem(p.name)
        self.owner.setCurrentIndex(-1)
        self.owner.lineEdit().setMaxLength(80)
        self.owner.lineEdit().setPlaceholderText(_("Who sees it through"))
        self.due = date_edit(local_today() + timedelta(days=30))
        self.add_row(_("&Owner"), self.owner, "owner_name", "owner_user_id")
        self.add_row(_("&Due date"), self.due, "due_date")
        self.save_button.setText(_("Create action"))
        self.owner.setFocus()

    def work(self) -> Callable[[Session], Any]:
        owner = self.owner.currentText().strip()
        person = self.people.get(owner)
        record_id, finding = self.record.id, self.finding
        due = date_of(self.due)
        user_id = person.user_id if person else None
        return lambda s: (
            drills.raise_improvement(
                record_id, finding, owner, due, owner_user_id=user_id, session=s
            ).id
        )


class CompleteActionDialog(FormDialog):
    """Close an improvement action as done, saying what was achieved."""

    changes = Changes(improvements=True)

    def __init__(self, ctx: Context, action: ActionRow, parent: QWidget | None = None):
        super().__init__(ctx, _("Complete improvement action"), "improvements", parent)
        self.setObjectName("complete_dialog")
        self.action = action
        title = QLabel(action.title)
        title.setWordWrap(True)
        self.layout_.insertWidget(0, title)
        self.result = _text("", 90)
        self.result.setPlaceholderText(_("What was changed, and where it is written down"))
        self.add_row(_("&Result"), self.result, "result")
        self.save_button.setText(_("Mark completed"))
        self.result.setFocus()

    def work(self) -> Callable[[Session], Any]:
        action_id = self.action.id
        result = self.result.toPlainText()
        return lambda s: improvements.complete(action_id, result, session=s).id
