"""The training and drills tab: plans and where they stand, sessions held with their
findings, improvement actions raised from findings, and the yearly rule (每年至少一次)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt

from ebconsole.drills import service as drills
from ebconsole.drills.enums import ExerciseKind, Method, Rating
from ebconsole.drills.schemas import RecordCreate
from ebconsole.improvements import service as improvements
from ebconsole.improvements.enums import ActionStatus, SourceKind
from ebconsole.timeutil import to_local, utcnow
from tests.ui.conftest import wait_idle
from tests.ui.typing import type_text
from ui.models.drills_model import (
    ActionsModel,
    PlansModel,
    RecordsModel,
    drills_loader,
)
from ui.ops import Changes
from ui.plan.drill_dialogs import (
    CompleteActionDialog,
    ImprovementDialog,
    PlanDialog,
    RecordDialog,
)
from ui.plan.form import select_data
from ui.plan.table import ALERT_ROLE, ROW_ROLE
from ui.tabs.drills_tab import DrillsTab
from ui.widgets.forms import ErrorLabel

TABLETOP = "网络攻击应急桌面演练"


@pytest.fixture
def window(make_main_window, coordinator):
    return make_main_window(coordinator, tabs=[DrillsTab])


def drills_tab(window) -> DrillsTab:
    tab = window.tab("drills")
    assert isinstance(tab, DrillsTab)
    return tab


def table_rows(table) -> list:
    model = table.model()
    return [model.index(r, 0).data(ROW_ROLE) for r in range(model.rowCount())]


def select(table, match) -> int:
    row = next(r for r, item in enumerate(table_rows(table)) if match(item))
    table.selectRow(row)
    return row


def closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def shown_errors(dialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(ErrorLabel) if label.isVisible()]


def type_lines(qtbot, widget, lines: list[str]) -> None:
    """Line by line, Enter between (QTest cannot click a newline character)."""
    widget.clear()
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        type_text(qtbot, widget, line, clear=False)


def back_to_window(window, qtbot) -> None:
    """The offscreen platform leaves no window active once a dialog closed."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_the_plans_and_the_yearly_rule_at_the_top(window):
    tab = drills_tab(window)
    plans = table_rows(tab.plans_table)
    assert {p.title for p in plans} == {
        "电子银行突发事件应急预案年度培训",
        "网络攻击应急桌面演练",
        "核心系统故障切换实战演练",
    }
    assert all(not p.overdue and p.last_held is None for p in plans)
    standing = tab.plans_proxy.index(0, PlansModel.STANDING).data()
    assert standing.startswith("✓ 按期")
    # nothing held yet this year: the rule is not met yet (a warning, not yet overdue)
    banner = tab.compliance.plain_text()
    assert tab.compliance.level == "warn"
    assert f"培训：{tab.year.value()} 年尚未开展" in banner
    assert f"演练：{tab.year.value()} 年尚未开展" in banner
    assert tab.records_model.rowCount() == 0


def test_a_drill_with_findings_becomes_an_improvement_action(window, qtbot, db, ops):
    tab = drills_tab(window)
    select(tab.plans_table, lambda p: p.title == TABLETOP)
    dialog = tab.record_for_plan()
    assert isinstance(dialog, RecordDialog)
    assert dialog.current_plan().title == TABLETOP
    assert dialog.method.currentData() == Method.TABLETOP  # the plan's method
    type_lines(qtbot, dialog.participants, ["张丽、李明、王建国", "赵强"])
    select_data(dialog.rating, Rating.GOOD)
    dialog.score.setValue(85)
    dialog.duration.setValue(120)
    type_text(qtbot, dialog.evaluation, "报告与初步评估流程顺畅，对外沟通口径准备不足。")
    type_lines(
        qtbot, dialog.findings, ["客服中心未及时收到统一答复口径", "暂停网银服务的审批链条过长"]
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)

    # the record is listed and selected; compliance counts it
    record = tab.selected_record()
    assert record is not None and record.plan_title == TABLETOP
    assert record.participant_count == 4 and record.score == 85
    assert record.held_on == to_local(utcnow()).date()
    row = table_rows(tab.records_table).index(record)
    assert tab.records_proxy.index(row, RecordsModel.FINDINGS).data() == "2（2 条无措施）"
    banner = tab.compliance.plain_text()
    assert f"演练：已开展 1 次（最近 {record.held_on.isoformat()}）" in banner
    assert "培训：" in banner and "尚未开展" in banner
    plan = next(p for p in table_rows(tab.plans_table) if p.title == TABLETOP)
    assert plan.last_held == record.held_on and plan.held_in_year == 1

    # select the second finding, Ctrl+I: owner and due date
    assert tab.findings.count() == 2
    tab.findings.setCurrentRow(1)
    back_to_window(window, qtbot)
    tab.findings.setFocus()
    qtbot.keyClick(tab.findings, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, ImprovementDialog) and dialog.finding == 1
    type_text(qtbot, dialog.owner.lineEdit(), "李明")
    due = to_local(utcnow()).date() + timedelta(days=45)
    dialog.due.setDate(due)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)

    with db.session(readonly=True) as s:
        actions = improvements.list_actions(source_id=record.id, session=s)
        assert [(a.source_item, a.owner_name, a.due_date, a.source_kind) for a in actions] == [
            (1, "李明", due, SourceKind.DRILL)
        ]
        assert actions[0].owner_user_id is not None  # 李明 is an operator
        assert actions[0].title == "暂停网银服务的审批链条过长"
    action_rows = table_rows(tab.actions_table)
    assert [(a.title, a.status) for a in action_rows] == [
        ("暂停网银服务的审批链条过长", ActionStatus.OPEN)
    ]
    assert tab.actions_proxy.index(0, ActionsModel.STATUS).data() == "待处理"
    # the finding now carries its action; it cannot be raised twice
    assert tab.selected_record().id == record.id
    assert "改进措施：待处理" in tab.findings.item(1).text()
    tab.findings.setCurrentRow(1)
    assert not tab.raise_action.isEnabled()
    tab.findings.setCurrentRow(0)
    assert tab.raise_action.isEnabled()

    # close the action from here
    tab.actions_table.selectRow(0)
    dialog = tab.complete_action()
    assert isinstance(dialog, CompleteActionDialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # a result is required
    wait_idle(qtbot, ops)
    assert dialog.isVisible() and shown_errors(dialog)
    type_text(qtbot, dialog.result, "审批改为值班长现场决定，已写入预案 4.3 节")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert tab.actions_proxy.index(0, ActionsModel.STATUS).data() == "已完成"
    tab.pending_only.setChecked(True)
    assert tab.actions_proxy.rowCount() == 0


def test_an_overdue_plan_and_a_past_year_without_drills_are_marked(window, qtbot, db, ops):
    today = to_local(utcnow()).date()
    with db.session(window.ctx.actor) as s:
        plan = next(p for p in drills.list_plans(session=s) if p.kind is ExerciseKind.TRAINING)
        drills.create_record(
            RecordCreate(
                plan_id=plan.id, held_on=today - timedelta(days=400), participants=["张丽", "赵强"]
            ),
            session=s,
        )
        title = plan.title
    tab = drills_tab(window)
    tab.year.setValue((today - timedelta(days=400)).year)
    wait_idle(qtbot, ops)
    training = next(p for p in table_rows(tab.plans_table) if p.title == title)
    assert training.overdue
    row = table_rows(tab.plans_table).index(training)
    assert tab.plans_proxy.index(row, PlansModel.STANDING).data(ALERT_ROLE) is True
    assert tab.plans_proxy.index(row, PlansModel.STANDING).data().startswith("✗ 已逾期")
    assert tab.compliance.level == "alert"
    assert "已逾期" in tab.compliance.plain_text() and title in tab.compliance.plain_text()
    assert [r.participant_count for r in table_rows(tab.records_table)] == [2]


def test_a_new_plan_needs_an_audience(window, qtbot, db, ops):
    tab = drills_tab(window)
    dialog = tab.add_plan()
    assert isinstance(dialog, PlanDialog)
    select_data(dialog.kind, ExerciseKind.TRAINING)
    assert [dialog.method.itemData(i) for i in range(dialog.method.count())] == [
        "online",
        "offline",
        "lecture",
        "case_study",
    ]
    type_text(qtbot, dialog.title_, "客户防诈骗宣传培训")
    for check in dialog.audiences.values():
        check.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert dialog.isVisible()
    assert shown_errors(dialog) == ["为必填项"]
    dialog.audiences[next(iter(dialog.audiences))].setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    assert tab.selected_plan().title == "客户防诈骗宣传培训"
    with db.session(readonly=True) as s:
        assert any(p.title == "客户防诈骗宣传培训" for p in drills.list_plans(session=s))


def test_a_clerk_reads_training_and_drills_only(make_tab, clerk):
    tab = make_tab(DrillsTab, clerk)
    tab.plans_table.selectRow(0)
    for action in (
        tab.add_plan_action,
        tab.edit_plan_action,
        tab.record_plan_action,
        tab.add_record_action,
        tab.edit_record_action,
        tab.raise_action,
        tab.complete_action_,
    ):
        assert not action.isEnabled()
    assert tab.add_record() is None and tab.add_plan() is None


def test_drills_models_pass_the_model_tester(window, qtmodeltester, db, qtbot, ops):
    today = to_local(utcnow()).date()
    with db.session(window.ctx.actor) as s:
        plan = next(p for p in drills.list_plans(session=s) if p.kind is ExerciseKind.DRILL)
        record = drills.create_record(
            RecordCreate(
                plan_id=plan.id,
                held_on=today,
                participants=["李明"],
                findings=["监控告警升级时间偏长", "备份介质标签不清"],
            ),
            session=s,
        )
        drills.raise_improvement(record.id, 0, "李明", today - timedelta(days=1), session=s)
    tab = drills_tab(window)
    tab.refresh(Changes(drills=True))
    wait_idle(qtbot, ops)
    overdue = tab.actions_proxy.index(0, ActionsModel.DUE)
    assert overdue.data(ALERT_ROLE) is True and "已逾期" in overdue.data()
    for model in (
        tab.plans_model,
        tab.records_model,
        tab.actions_model,
        tab.plans_proxy,
        tab.records_proxy,
        tab.actions_proxy,
    ):
        qtmodeltester.check(model, force_py=True)
    with db.session(readonly=True) as s:
        data = drills_loader(today.year)(s)
    for cls, rows in (
        (PlansModel, data.plans),
        (RecordsModel, data.records),
        (ActionsModel, data.actions),
    ):
        model = cls()
        model.set_rows(rows)
        qtmodeltester.check(model, force_py=True)
        qtmodeltester.check(cls(), force_py=True)
    assert isinstance(data.yearly.drills[0], date)
