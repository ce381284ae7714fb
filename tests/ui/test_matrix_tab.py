"""The responsibility matrix tab: an administrator changes who does what and keeps the
groups' members and deputies; everyone else reads."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from ebconsole.organisation import service as organisation
from ebconsole.organisation.enums import GroupCode, PhaseCode, Responsibility
from ebconsole.organisation.schemas import MemberCreate
from tests.ui.conftest import wait_idle
from tests.ui.typing import type_text
from ui.models.matrix_model import RESPONSIBILITY_ROLE, MatrixModel
from ui.models.members_model import MembersModel, load_organisation
from ui.ops import Changes
from ui.plan.form import index_of
from ui.plan.organisation_dialogs import MemberDialog
from ui.plan.table import ROW_ROLE
from ui.tabs.matrix_tab import MatrixTab


@pytest.fixture
def window(make_main_window, admin):
    return make_main_window(admin, tabs=[MatrixTab])


def matrix_tab(window) -> MatrixTab:
    tab = window.tab("matrix")
    assert isinstance(tab, MatrixTab)
    return tab


def cell(tab: MatrixTab, phase: PhaseCode, group: GroupCode):
    model = tab.matrix_model
    row = next(i for i, p in enumerate(model.phases) if p.code == phase)
    column = next(i for i, g in enumerate(model.groups) if g.code == group)
    return model.index(row, column)


def stored_role(db, phase: PhaseCode, group: GroupCode) -> Responsibility | None:
    with db.session(readonly=True) as s:
        return organisation.get_matrix(session=s).role_by_code(phase, group)


def closed(dialog) -> bool:
    """Saved and gone (the dialog deletes itself on close)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def choose_group(tab: MatrixTab, code: GroupCode) -> None:
    assert tab.org is not None
    group = next(g for g in tab.org.groups if g.code == code)
    tab.group_combo.setCurrentIndex(index_of(tab.group_combo, group.id))


def test_the_matrix_shows_the_plans_phases_and_groups(window):
    tab = matrix_tab(window)
    model = tab.matrix_model
    assert model.rowCount() == 5 and model.columnCount() == 3
    assert model.headerData(0, Qt.Orientation.Vertical) == "1. 事件发现与报告"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "应急领导小组"
    index = cell(tab, PhaseCode.DISCOVERY, GroupCode.WORKING)
    assert index.data() == "牵头"
    assert index.data(RESPONSIBILITY_ROLE) == Responsibility.LEAD
    assert not tab.lead_warning.isVisible()


def test_admin_changes_a_cell_with_the_keyboard_and_it_is_saved(window, qtbot, db, ops):
    tab = matrix_tab(window)
    view = tab.matrix_view
    index = cell(tab, PhaseCode.DISCOVERY, GroupCode.SUPPORT)
    assert stored_role(db, PhaseCode.DISCOVERY, GroupCode.SUPPORT) is Responsibility.SUPPORT

    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QComboBox, "responsibility_editor")
    assert editor is not None and editor.currentData() == "support"
    qtbot.waitUntil(lambda: editor.view().isVisible())  # the choices open at once
    popup = editor.view()
    popup.setCurrentIndex(popup.model().index(editor.findData("execute"), 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    wait_idle(qtbot, ops)

    assert stored_role(db, PhaseCode.DISCOVERY, GroupCode.SUPPORT) is Responsibility.EXECUTE
    assert cell(tab, PhaseCode.DISCOVERY, GroupCode.SUPPORT).data() == "执行"
    assert "已保存" in window.status.currentMessage()


def test_clearing_the_only_lead_of_a_phase_is_saved_and_warned(window, qtbot, db, ops):
    tab = matrix_tab(window)
    index = cell(tab, PhaseCode.RECOVERY, GroupCode.WORKING)
    assert index.data(RESPONSIBILITY_ROLE) == Responsibility.LEAD
    assert tab.matrix_model.setData(index, "", Qt.ItemDataRole.EditRole)
    wait_idle(qtbot, ops)
    assert stored_role(db, PhaseCode.RECOVERY, GroupCode.WORKING) is None
    assert tab.lead_warning.isVisible()
    assert "恢复服务" in tab.lead_warning.text()
    assert cell(tab, PhaseCode.RECOVERY, GroupCode.WORKING).data() == "—"


@pytest.mark.parametrize("role", ["clerk", "coordinator"])
def test_the_matrix_is_read_only_below_administrator(make_tab, request, qtbot, db, role):
    tab = make_tab(MatrixTab, request.getfixturevalue(role))
    index = cell(tab, PhaseCode.DISCOVERY, GroupCode.SUPPORT)
    assert not tab.matrix_model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not tab.matrix_model.setData(index, "lead", Qt.ItemDataRole.EditRole)
    tab.matrix_view.setCurrentIndex(index)
    qtbot.keyClick(tab.matrix_view, Qt.Key.Key_F2)
    assert tab.matrix_view.findChild(QComboBox, "responsibility_editor") is None
    assert stored_role(db, PhaseCode.DISCOVERY, GroupCode.SUPPORT) is Responsibility.SUPPORT
    for action in (tab.add_action, tab.edit_action, tab.archive_action, tab.duties_action):
        assert not action.isEnabled()
    assert tab.add_member() is None
    assert "管理员" in tab.matrix_hint.text()


def test_admin_adds_members_and_names_a_deputy(window, qtbot, db, ops):
    tab = matrix_tab(window)
    choose_group(tab, GroupCode.WORKING)
    tab.members_table.setFocus()
    qtbot.keyClick(tab.members_table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, MemberDialog)
    assert dialog.group.currentText() == "应急小组"

    # a contact nobody can call is refused, the error stands next to the phone
    type_text(qtbot, dialog.name, "周建华")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert dialog.isVisible()
    shown = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert "办公电话和手机至少填写一项" in shown

    type_text(qtbot, dialog.title_, "电子银行部总经理")
    type_text(qtbot, dialog.department, "电子银行部")
    type_text(qtbot, dialog.mobile_phone, "13901011234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    assert tab.selected_member() is not None and tab.selected_member().name == "周建华"

    # the second member names the first as deputy
    dialog = tab.add_member()
    type_text(qtbot, dialog.name, "吴倩")
    type_text(qtbot, dialog.title_, "电子银行部副总经理")
    type_text(qtbot, dialog.office_phone, "010-66106688")
    dialog.deputy.setCurrentIndex(
        next(
            i
            for i in range(dialog.deputy.count())
            if dialog.deputy.itemText(i).startswith("周建华")
        )
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)

    with db.session(readonly=True) as s:
        contacts = {c.name: c for c in organisation.contacts(session=s)}
    assert contacts["吴倩"].deputy_name == "周建华"
    assert contacts["吴倩"].deputy_mobile_phone == "13901011234"
    assert contacts["吴倩"].group_code is GroupCode.WORKING
    member = tab.selected_member()
    assert member is not None and member.name == "吴倩"
    row = tab.members_table.selectionModel().selectedRows()[0].row()
    deputy = tab.members_proxy.index(row, MembersModel.DEPUTY).data()
    assert deputy == "周建华（13901011234）"
    assert "应急小组（2）" in [tab.group_combo.itemText(i) for i in range(tab.group_combo.count())]


def test_admin_edits_and_archives_a_member(window, qtbot, db, ops):
    with db.session(window.ctx.actor) as s:
        group = organisation.get_group_by_code(GroupCode.SUPPORT, session=s)
        first = organisation.create_member(
            MemberCreate(
                group_id=group.id, name="郑洁", title="客服中心主任", mobile_phone="13700001111"
            ),
            session=s,
        )
        organisation.create_member(
            MemberCreate(
                group_id=group.id,
                name="孙涛",
                title="法务部经理",
                mobile_phone="13700002222",
                deputy_id=first.id,
            ),
            session=s,
        )
    window.broadcast(Changes(organisation=True))  # as after a write elsewhere
    wait_idle(qtbot, ops)
    tab = matrix_tab(window)
    choose_group(tab, GroupCode.SUPPORT)
    assert tab.members_proxy.rowCount() == 2

    tab.members_table.selectRow(0)
    assert tab.selected_member().name == "郑洁"
    qtbot.keyClick(tab.members_table, Qt.Key.Key_Return)
    dialog = tab.dialog
    assert isinstance(dialog, MemberDialog) and dialog.name.text() == "郑洁"
    type_text(qtbot, dialog.office_phone, "010-66100000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    with db.session(readonly=True) as s:
        assert organisation.get_member(first.id, session=s).office_phone == "010-66100000"

    tab.members_table.selectRow(0)
    box = tab.archive_member()
    box.buttons()[0].click()  # 归档
    wait_idle(qtbot, ops)
    assert [
        tab.members_proxy.index(r, 0).data(ROW_ROLE).name
        for r in range(tab.members_proxy.rowCount())
    ] == ["孙涛"]
    with db.session(readonly=True) as s:
        contacts = {c.name: c for c in organisation.contacts(session=s)}
    assert "郑洁" not in contacts and contacts["孙涛"].deputy_name is None


def test_group_duties_are_shown_and_edited_by_the_admin(window, qtbot, db, ops):
    tab = matrix_tab(window)
    choose_group(tab, GroupCode.LEADERSHIP)
    assert "负责领导和协调" in tab.duties_view.toPlainText()
    dialog = tab.edit_duties()
    type_text(qtbot, dialog.duties_zh, "统一领导电子银行突发事件应急工作。")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "统一领导电子银行突发事件应急工作。" in tab.duties_view.toPlainText()


def test_matrix_and_members_models_pass_the_model_tester(window, qtmodeltester, db):
    tab = matrix_tab(window)
    qtmodeltester.check(tab.matrix_model, force_py=True)
    empty = MatrixModel()
    qtmodeltester.check(empty, force_py=True)
    with db.session(window.ctx.actor) as s:
        group = organisation.get_group_by_code(GroupCode.WORKING, session=s)
        a = organisation.create_member(
            MemberCreate(group_id=group.id, name="钱峰", mobile_phone="13600001111"), session=s
        )
        organisation.create_member(
            MemberCreate(
                group_id=group.id, name="冯丽", office_phone="010-88886666", deputy_id=a.id
            ),
            session=s,
        )
    with db.session(readonly=True) as s:
        org = load_organisation(s)
    model = MembersModel()
    model.set_rows(org.members)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(tab.members_proxy, force_py=True)
