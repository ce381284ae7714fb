"""培训演练 — training and drills (plan §6): the plans and where each stands, the sessions
held with their evaluation and findings, the improvement actions raised from findings
(plan §7), and the plan's rule that training and drills are held at least once a year.

Coordinators and administrators plan and record (Action.EDIT_DRILLS) and raise and
complete improvement actions (Action.EDIT_IMPROVEMENTS); everyone else reads.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ebconsole.drills.dto import YearlyCompliance
from ebconsole.i18n import _
from ebconsole.improvements.enums import PENDING_STATUSES
from ebconsole.timeutil import to_local, utcnow
from ui import icons
from ui.context import Context
from ui.models.drills_model import (
    ActionRow,
    ActionsModel,
    DrillsData,
    PlanRow,
    PlansModel,
    RecordRow,
    RecordsModel,
    action_status_text,
    drills_loader,
    exercise_kind_text,
    method_text,
    rating_text,
    scenario_text,
)
from ui.ops import Changes
from ui.permissions import Action
from ui.plan.drill_dialogs import (
    CompleteActionDialog,
    ImprovementDialog,
    PlanDialog,
    RecordDialog,
)
from ui.plan.table import ALERT, OK, Latest, RowsProxy, make_table, select_where, selected_row
from ui.plan.widgets import Banner, escape, focus_when_shown, tab_action, tool_button
from ui.tabs import register
from ui.tabs.base import Tab


def this_year() -> int:
    return to_local(utcnow()).year


@register
class DrillsTab(Tab):
    key = "drills"
    order = 70
    icon_name = "drills"
    permission = Action.VIEW_PLAN

    @classmethod
    def title(cls) -> str:
        return _("Training and drills")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.loader = Latest(ctx, self)
        self.may_edit = ctx.can(Action.EDIT_DRILLS)
        self.may_improve = ctx.can(Action.EDIT_IMPROVEMENTS)
        self.data: DrillsData | None = None
        self._pending: dict[str, uuid.UUID] = {}
        self.dialog: QWidget | None = None
        no_edit = _("Only a coordinator or an administrator plans and records training and drills.")

        # -- compliance at the top -----------------------------------------------------
        self.compliance = Banner(scale=1.15)
        self.compliance.setObjectName("compliance")
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(this_year())
        self.year.setKeyboardTracking(False)
        self.year.valueChanged.connect(lambda _v: self._load())
        year_label = QLabel(_("&Year:"))
        year_label.setBuddy(self.year)
        top = QHBoxLayout()
        top.addWidget(self.compliance, 1)
        top.addWidget(year_label)
        top.addWidget(self.year)

        # -- plans ---------------------------------------------------------------------
        self.plans_model = PlansModel(self)
        self.plans_proxy = RowsProxy(self)
        self.plans_proxy.setSourceModel(self.plans_model)
        self.plans_table = make_table(
            self.plans_proxy, name="plans", widths=(60, 260, 170, 100, 90, 100, 100, 220)
        )
        self.plans_table.activated.connect(lambda _i: self.edit_plan())
        self.plans_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.add_plan_action = tab_action(
            self, "add_plan", _("New &plan…"), self.add_plan, "Ctrl+Shift+N", "drills"
        )
        self.edit_plan_action = tab_action(self, "edit_plan", _("Edit plan…"), self.edit_plan)
        self.record_plan_action = tab_action(
            self, "record_for_plan", _("Record a session of this plan…"), self.record_for_plan
        )
        plans_box = QGroupBox(_("Plans and where they stand"))
        plans_layout = QHBoxLayout(plans_box)
        plans_layout.addWidget(self.plans_table, 1)
        plans_bar = QVBoxLayout()
        for action in (self.add_plan_action, self.edit_plan_action, self.record_plan_action):
            button = tool_button(action)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            plans_bar.addWidget(button)
        plans_bar.addStretch(1)
        plans_layout.addLayout(plans_bar)

        # -- records and their findings --------------------------------------------------
        self.records_model = RecordsModel(self)
        self.records_proxy = RowsProxy(self)
        self.records_proxy.setSourceModel(self.records_model)
        self.records_table = make_table(
            self.records_proxy, name="records", widths=(90, 50, 200, 80, 110, 60, 100, 120)
        )
        self.records_table.sortByColumn(RecordsModel.HELD_ON, Qt.SortOrder.DescendingOrder)
        self.records_table.activated.connect(lambda _i: self.edit_record())
        self.records_table.selectionModel().selectionChanged.connect(self._record_changed)
        self.add_record_action = tab_action(
            self, "add_record", _("&Record a session…"), self.add_record, "Ctrl+N", "drills"
        )
        self.edit_record_action = tab_action(
            self, "edit_record", _("&Edit record…"), self.edit_record
        )

        self.evaluation = QTextBrowser()
        self.evaluation.setObjectName("evaluation")
        self.evaluation.setOpenLinks(False)
        self.evaluation.setMaximumHeight(110)
        self.findings = QListWidget()
        self.findings.setObjectName("findings")
        self.findings.setWordWrap(True)
        self.findings.currentRowChanged.connect(self._update_actions)
        self.findings.itemActivated.connect(lambda _item: self.raise_improvement())
        findings_label = QLabel(_("F&indings"))
        findings_label.setBuddy(self.findings)
        self.raise_action = tab_action(
            self,
            "raise_improvement",
            _("Create &improvement action…"),
            self.raise_improvement,
            "Ctrl+I",
            "improvements",
        )
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.evaluation)
        detail_layout.addWidget(findings_label)
        detail_layout.addWidget(self.findings, 1)
        raise_row = QHBoxLayout()
        raise_row.addStretch(1)
        raise_row.addWidget(tool_button(self.raise_action))
        detail_layout.addLayout(raise_row)

        records_panel = QWidget()
        records_column = QVBoxLayout(records_panel)
        records_column.setContentsMargins(0, 0, 0, 0)
        records_column.addWidget(self.records_table, 1)
        records_bar = QHBoxLayout()
        for action in (self.add_record_action, self.edit_record_action):
            records_bar.addWidget(tool_button(action))
        records_bar.addStretch(1)
        records_column.addLayout(records_bar)

        self.records_split = QSplitter(Qt.Orientation.Horizontal)
        self.records_split.addWidget(records_panel)
        self.records_split.addWidget(detail)
        self.records_split.setStretchFactor(0, 3)
        self.records_split.setStretchFactor(1, 2)
        self.records_box = QGroupBox()
        records_layout = QVBoxLayout(self.records_box)
        records_layout.addWidget(self.records_split, 1)

        # -- improvement actions from training and drills ---------------------------------
        self.actions_model = ActionsModel(self)
        self.actions_proxy = RowsProxy(self)
        self.actions_proxy.setSourceModel(self.actions_model)
        self.actions_table = make_table(
            self.actions_proxy, name="actions", widths=(380, 300, 100, 150, 90)
        )
        self.actions_table.activated.connect(lambda _i: self.complete_action())
        self.actions_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.pending_only = QCheckBox(_("Only &pending"))
        self.pending_only.setObjectName("pending_only")
        self.pending_only.toggled.connect(self._filter_actions)
        self.complete_action_ = tab_action(
            self, "complete_action", _("Mark &completed…"), self.complete_action
        )
        actions_box = QGroupBox(_("Improvement actions from training and drills"))
        actions_layout = QVBoxLayout(actions_box)
        actions_layout.addWidget(self.actions_table, 1)
        actions_bar = QHBoxLayout()
        actions_bar.addWidget(tool_button(self.complete_action_))
        actions_bar.addStretch(1)
        actions_bar.addWidget(self.pending_only)
        actions_layout.addLayout(actions_bar)

        if not self.may_edit:
            for action in (
                self.add_plan_action,
                self.edit_plan_action,
                self.record_plan_action,
                self.add_record_action,
                self.edit_record_action,
            ):
                action.setToolTip(no_edit)
        if not self.may_improve:
            for action in (self.raise_action, self.complete_action_):
                action.setToolTip(
                    _("Only a coordinator or an administrator manages improvement actions.")
                )

        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(plans_box)
        self.split.addWidget(self.records_box)
        self.split.addWidget(actions_box)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)

        settings = ctx.settings
        for table, name in (
            (self.plans_table, "plans"),
            (self.records_table, "records"),
            (self.actions_table, "actions"),
        ):
            settings.restore_header(table.horizontalHeader(), f"drills/{name}")
        if not settings.restore_splitter(self.split, "drills/split"):
            self.split.setSizes([190, 380, 210])
        settings.restore_splitter(self.records_split, "drills/records_split")
        self.setTabOrder(self.year, self.plans_table)
        self.setTabOrder(self.plans_table, self.records_table)
        self.setTabOrder(self.records_table, self.findings)
        self.setTabOrder(self.findings, self.pending_only)
        self.setTabOrder(self.pending_only, self.actions_table)
        self._update_actions()

    # -- loading -----------------------------------------------------------------------
    def refresh(self, changes: Changes) -> None:
        if changes.touches("drills", "improvements"):
            self._load()

    def _load(self) -> None:
        self.loader.read(drills_loader(self.year.value()), self._loaded)

    def _loaded(self, data: DrillsData) -> None:
        if data.year != self.year.value():
            return
        keep = {
            "plan": self._pending.pop("plan", None) or _id(selected_row(self.plans_table)),
            "record": self._pending.pop("record", None) or _id(selected_row(self.records_table)),
            "action": self._pending.pop("action", None) or _id(selected_row(self.actions_table)),
        }
        finding = self.findings.currentRow()
        self.data = data
        self.records_box.setTitle(_("Training and drills held in {year}").format(year=data.year))
        self._show_compliance(data)
        self.plans_model.set_rows(data.plans)
        self.records_model.set_rows(data.records)
        self.actions_model.set_today(data.today)
        self.actions_model.set_rows(data.actions)
        self._filter_actions()
        for table, key in (
            (self.plans_table, "plan"),
            (self.records_table, "record"),
            (self.actions_table, "action"),
        ):
            wanted = keep[key]
            if (
                wanted is None or not select_where(table, lambda r, w=wanted: r.id == w)
            ) and table.model().rowCount():
                table.selectRow(0)
        self._record_changed()
        if 0 <= finding < self.findings.count():
            self.findings.setCurrentRow(finding)
        self._update_actions()

    def _show_compliance(self, data: DrillsData) -> None:
        yearly = data.yearly
        overdue = [p for p in data.plans if p.overdue]
        parts = [
            _("{year}: at least one training and one drill a year").format(year=yearly.year),
            self._kind_standing(_("Training"), yearly.trainings, yearly),
            self._kind_standing(_("Drill"), yearly.drills, yearly),
        ]
        html = "<br>".join([f"<b>{escape(parts[0])}</b>", " · ".join(parts[1:])])
        if overdue:
            html += (
                "<br><b>"
                + escape(_("Overdue: {plans}").format(plans="、".join(p.title for p in overdue)))
                + "</b>"
            )
        past = yearly.year < data.today.year
        if overdue or (past and not yearly.ok):
            level, icon = "alert", "overdue"
        elif not yearly.ok:
            level, icon = "warn", "drills"
        else:
            level, icon = "ok", "drills"
        self.compliance.show_text(html, level, icon)

    def _kind_standing(self, label: str, held: tuple[Any, ...], yearly: YearlyCompliance) -> str:
        if held:
            return "✓ " + _("{kind}: held {count}× (last {date})").format(
                kind=label, count=len(held), date=held[-1].isoformat()
            )
        return "✗ " + _("{kind}: not held in {year}").format(kind=label, year=yearly.year)

    def _filter_actions(self, *_args: Any) -> None:
        if self.pending_only.isChecked():
            self.actions_proxy.set_filter(lambda row: row.status in PENDING_STATUSES)
        else:
            self.actions_proxy.set_filter(None)
        self._update_actions()

    # -- selection ---------------------------------------------------------------------
    def selected_plan(self) -> PlanRow | None:
        row = selected_row(self.plans_table)
        return row if isinstance(row, PlanRow) else None

    def selected_record(self) -> RecordRow | None:
        row = selected_row(self.records_table)
        return row if isinstance(row, RecordRow) else None

    def selected_action(self) -> ActionRow | None:
        row = selected_row(self.actions_table)
        return row if isinstance(row, ActionRow) else None

    def _record_changed(self, *_args: Any) -> None:
        record = self.selected_record()
        self.findings.clear()
        if record is None:
            self.evaluation.clear()
            self._update_actions()
            return
        lines = [
            f"<b>{escape(record.plan_title)}</b> · {record.held_on.isoformat()}",
            escape(
                " · ".join(
                    p
                    for p in (
                        exercise_kind_text(record.kind),
                        method_text(record.method),
                        scenario_text(record.scenario) if record.scenario else "",
                        _("{count} participants").format(count=record.participant_count),
                        rating_text(record.rating) if record.rating else "",
                    )
                    if p
                )
            ),
            escape(record.evaluation or _("No evaluation written.")).replace("\n", "<br>"),
        ]
        self.evaluation.setHtml("<br>".join(lines))
        for i, text in enumerate(record.findings):
            status = record.action_for(i)
            label = f"{i + 1}. {text}"
            item = QListWidgetItem(label)
            if status is None:
                item.setForeground(ALERT)
                item.setToolTip(_("No improvement action yet."))
            else:
                item.setText(
                    label
                    + "\n    → "
                    + _("improvement action: {status}").format(status=action_status_text(status))
                )
                item.setIcon(icons.icon("improvements", OK.name()))
            self.findings.addItem(item)
        if not record.findings:
            empty = QListWidgetItem(_("No findings recorded."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.findings.addItem(empty)
        else:
            first_open = next(
                (i for i in range(len(record.findings)) if record.action_for(i) is None), 0
            )
            self.findings.setCurrentRow(first_open)
        self._update_actions()

    def selected_finding(self) -> int | None:
        record = self.selected_record()
        row = self.findings.currentRow()
        if record is None or not 0 <= row < len(record.findings):
            return None
        return row

    def _update_actions(self, *_args: Any) -> None:
        loaded = self.data is not None
        plan = self.selected_plan()
        record = self.selected_record()
        finding = self.selected_finding()
        action = self.selected_action()
        self.add_plan_action.setEnabled(self.may_edit and loaded)
        self.edit_plan_action.setEnabled(self.may_edit and plan is not None)
        self.record_plan_action.setEnabled(self.may_edit and plan is not None)
        self.add_record_action.setEnabled(
            self.may_edit and loaded and bool(self.plans_model.rows())
        )
        self.edit_record_action.setEnabled(self.may_edit and record is not None)
        self.raise_action.setEnabled(
            self.may_improve
            and record is not None
            and finding is not None
            and record.action_for(finding) is None
        )
        self.complete_action_.setEnabled(
            self.may_improve and action is not None and action.status in PENDING_STATUSES
        )

    def open_record(self, record_id: str) -> None:
        """Show a plan, a training or drill record, or an improvement action by id."""
        try:
            wanted = uuid.UUID(str(record_id))
        except ValueError:
            return
        for table in (self.records_table, self.plans_table, self.actions_table):
            if select_where(table, lambda r: r.id == wanted):
                table.setFocus()
                return

    # -- dialogs -----------------------------------------------------------------------
    def _open(self, dialog: Any, pending: str | None) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if pending:
            dialog.saved.connect(
                lambda value: (
                    self._pending.__setitem__(pending, value)
                    if isinstance(value, uuid.UUID)
                    else None
                )
            )
        dialog.open()
        self.dialog = dialog
        return dialog

    def add_plan(self) -> PlanDialog | None:
        if not self.may_edit:
            return None
        return self._open(PlanDialog(self.ctx, parent=self), "plan")

    def edit_plan(self) -> PlanDialog | None:
        plan = self.selected_plan()
        if not self.may_edit or plan is None:
            return None
        return self._open(PlanDialog(self.ctx, plan, self), "plan")

    def add_record(self, plan_id: uuid.UUID | None = None) -> RecordDialog | None:
        if not self.may_edit or self.data is None or not self.data.plans:
            return None
        if plan_id is None:
            plan = self.selected_plan()
            plan_id = plan.id if plan else None
        return self._open(RecordDialog(self.ctx, self.data.plans, None, plan_id, self), "record")

    def record_for_plan(self) -> RecordDialog | None:
        plan = self.selected_plan()
        return self.add_record(plan.id if plan else None)

    def edit_record(self) -> RecordDialog | None:
        record = self.selected_record()
        if not self.may_edit or self.data is None or record is None:
            return None
        return self._open(RecordDialog(self.ctx, self.data.plans, record, parent=self), "record")

    def raise_improvement(self) -> ImprovementDialog | None:
        record = self.selected_record()
        finding = self.selected_finding()
        if (
            not self.may_improve
            or self.data is None
            or record is None
            or finding is None
            or record.action_for(finding) is not None
        ):
            return None
        dialog = self._open(
            ImprovementDialog(self.ctx, record, finding, self.data.people, self), "action"
        )
        self._pending["record"] = record.id
        dialog.saved.connect(
            lambda _v: self.ctx.hub.status_message.emit(
                _("Improvement action created from finding {number}.").format(number=finding + 1),
                5000,
            )
        )
        return dialog

    def complete_action(self) -> CompleteActionDialog | None:
        action = self.selected_action()
        if not self.may_improve or action is None or action.status not in PENDING_STATUSES:
            return None
        return self._open(CompleteActionDialog(self.ctx, action, self), "action")

    # -- state -------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus_when_shown(self, self.plans_table)
        if self.data is not None and self.data.today != to_local(utcnow()).date():
            QTimer.singleShot(0, self, self._load)  # a new day: due dates moved on

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.save_header(self.plans_table.horizontalHeader(), "drills/plans")
        settings.save_header(self.records_table.horizontalHeader(), "drills/records")
        settings.save_header(self.actions_table.horizontalHeader(), "drills/actions")
        settings.save_splitter(self.split, "drills/split")
        settings.save_splitter(self.records_split, "drills/records_split")


def _id(row: Any) -> uuid.UUID | None:
    value = getattr(row, "id", None)
    return value if isinstance(value, uuid.UUID) else None
