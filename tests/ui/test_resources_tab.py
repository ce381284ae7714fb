"""The resources tab: the inventory with its periodic checks; overdue checks stand out and
a check is recorded in one action."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt

from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind, ResourceStatus
from ebconsole.resources.schemas import ResourceCreate
from ebconsole.timeutil import utcnow
from tests.ui.conftest import wait_idle
from tests.ui.typing import type_text
from ui.models.resources_model import ResourceRow, ResourcesModel, load_inventory
from ui.ops import Changes
from ui.plan.form import select_data
from ui.plan.resource_dialogs import CheckDialog, ResourceDialog
from ui.plan.table import ALERT_ROLE, PAGE_SIZE, ROW_ROLE
from ui.tabs.resources_tab import ResourcesTab
from ui.widgets.forms import ErrorLabel


def add_items(db, actor) -> None:
    """A tape set checked long ago (overdue) and a generator checked yesterday."""
    with db.session(actor) as s:
        resources.create(
            ResourceCreate(
                kind=ResourceKind.BACKUP_MEDIA,
                name="核心数据备份磁带",
                location="异地介质库",
                quantity=120,
                unit="盘",
                contact_name="范文静",
                contact_phone="15965701234",
                check_interval_days=30,
                last_checked_at=utcnow() - timedelta(days=75),
            ),
            session=s,
        )
        resources.create(
            ResourceCreate(
                kind=ResourceKind.EMERGENCY_SUPPLIES,
                name="柴油发电机",
                location="主数据中心",
                quantity=2,
                unit="台",
                check_interval_days=30,
                last_checked_at=utcnow() - timedelta(days=1),
            ),
            session=s,
        )


@pytest.fixture
def window(make_main_window, admin, db):
    add_items(db, admin)
    return make_main_window(admin, tabs=[ResourcesTab])


def resources_tab(window) -> ResourcesTab:
    tab = window.tab("resources")
    assert isinstance(tab, ResourcesTab)
    return tab


def visible_rows(tab: ResourcesTab) -> list[ResourceRow]:
    return [tab.proxy.index(r, 0).data(ROW_ROLE) for r in range(tab.proxy.rowCount())]


def row_of(tab: ResourcesTab, name: str) -> int:
    return next(r for r, row in enumerate(visible_rows(tab)) if row.name == name)


def closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_overdue_checks_stand_out_and_can_be_listed_alone(window, qtbot):
    tab = resources_tab(window)
    assert {r.name for r in visible_rows(tab)} == {"核心数据备份磁带", "柴油发电机"}
    tape = row_of(tab, "核心数据备份磁带")
    name = tab.proxy.index(tape, ResourcesModel.NAME)
    due = tab.proxy.index(tape, ResourcesModel.NEXT_DUE)
    assert name.data(ALERT_ROLE) is True
    assert not name.data(Qt.ItemDataRole.DecorationRole).isNull()  # the overdue icon
    assert name.data(Qt.ItemDataRole.FontRole).bold()
    assert "逾期 45 天" in due.data()
    generator = tab.proxy.index(row_of(tab, "柴油发电机"), ResourcesModel.NAME)
    assert generator.data(ALERT_ROLE) is False
    assert generator.data(Qt.ItemDataRole.DecorationRole) is None
    assert "1 项检查逾期" in tab.summary.text()

    qtbot.mouseClick(tab.overdue_only, Qt.MouseButton.LeftButton)
    assert [r.name for r in visible_rows(tab)] == ["核心数据备份磁带"]
    tab.overdue_only.setChecked(False)
    select_data(tab.kind_filter, ResourceKind.EMERGENCY_SUPPLIES)
    assert [r.name for r in visible_rows(tab)] == ["柴油发电机"]
    tab.kind_filter.setCurrentIndex(0)
    type_text(qtbot, tab.search, "介质库")
    assert [r.name for r in visible_rows(tab)] == ["核心数据备份磁带"]


def test_admin_adds_a_resource_and_marks_it_checked_in_one_action(window, qtbot, db, ops):
    tab = resources_tab(window)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, ResourceDialog)
    select_data(dialog.kind, ResourceKind.SPARE_EQUIPMENT)
    assert "90 天" in dialog.interval.specialValueText()  # the kind's default interval
    type_text(qtbot, dialog.name, "备用负载均衡设备")
    type_text(qtbot, dialog.location, "主数据中心备件库 3 号架")
    dialog.quantity.setValue(2)
    type_text(qtbot, dialog.unit, "台")
    type_text(qtbot, dialog.contact_name, "网络组 章涛")
    type_text(qtbot, dialog.contact_phone, "18016376341")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)

    # never checked yet: overdue at once, and selected
    item = tab.selected_item()
    assert item is not None and item.name == "备用负载均衡设备"
    row = row_of(tab, "备用负载均衡设备")
    assert tab.proxy.index(row, ResourcesModel.NAME).data(ALERT_ROLE) is True
    assert tab.proxy.index(row, ResourcesModel.NEXT_DUE).data() == "从未检查"
    assert tab.proxy.index(row, ResourcesModel.QUANTITY).data() == "2 台"
    assert "2 项检查逾期" in tab.summary.text()

    # one action: Ctrl+K on the selected row (the offscreen platform leaves no window
    # active once a dialog closed; a desktop gives the main window back)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ops)

    row = row_of(tab, "备用负载均衡设备")
    assert tab.selected_item().name == "备用负载均衡设备"
    assert tab.proxy.index(row, ResourcesModel.NAME).data(ALERT_ROLE) is False
    assert tab.proxy.index(row, ResourcesModel.NAME).data(Qt.ItemDataRole.DecorationRole) is None
    assert tab.proxy.index(row, ResourcesModel.LAST_CHECKED).data() != "—"
    assert "1 项检查逾期" in tab.summary.text()
    assert "已记录检查" in window.status.currentMessage()
    with db.session(readonly=True) as s:
        stored = next(
            r for r in resources.list_resources(session=s) if r.name == "备用负载均衡设备"
        )
        assert stored.last_checked_at is not None and not stored.is_overdue()
        assert stored.check_interval_days == 90
        checked_by = [c.checked_by for c in resources.list_checks(stored.id, session=s)]
    assert checked_by == ["王建国"]


def test_a_check_with_the_state_found_and_a_note(window, qtbot, db, ops):
    tab = resources_tab(window)
    tab.table.selectRow(row_of(tab, "核心数据备份磁带"))
    dialog = tab.check_with_note()
    assert isinstance(dialog, CheckDialog)
    select_data(dialog.status, ResourceStatus.DEGRADED)
    type_text(qtbot, dialog.note, "3 盘磁带读取校验失败，已送修")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    row = tab.selected_item()
    assert row.name == "核心数据备份磁带" and row.status == ResourceStatus.DEGRADED
    assert not row.overdue(utcnow())
    with db.session(readonly=True) as s:
        check = resources.list_checks(row.id, session=s)[0]
        assert check.result is ResourceStatus.DEGRADED
        assert check.note == "3 盘磁带读取校验失败，已送修"


def test_admin_edits_and_archives_an_item(window, qtbot, db, ops):
    tab = resources_tab(window)
    tab.table.selectRow(row_of(tab, "柴油发电机"))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dialog = tab.dialog
    assert isinstance(dialog, ResourceDialog) and dialog.name.text() == "柴油发电机"
    dialog.quantity.setValue(3)
    type_text(qtbot, dialog.contact_phone, "not a phone")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert dialog.isVisible()  # the phone is refused next to its field
    errors = [label.text() for label in dialog.findChildren(ErrorLabel) if label.isVisible()]
    assert errors == ["“not a phone”不是有效的电话号码"]
    type_text(qtbot, dialog.contact_phone, "15258121234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert tab.selected_item().quantity == 3

    box = tab.archive_item()
    box.buttons()[0].click()
    wait_idle(qtbot, ops)
    assert [r.name for r in visible_rows(tab)] == ["核心数据备份磁带"]


def test_a_coordinator_records_checks_but_keeps_no_inventory(make_tab, coordinator, db, admin):
    add_items(db, admin)
    tab = make_tab(ResourcesTab, coordinator)
    tab.table.selectRow(0)
    assert tab.check_action.isEnabled() and tab.check_note_action.isEnabled()
    assert not tab.add_action.isEnabled()
    assert not tab.edit_action.isEnabled() and not tab.archive_action.isEnabled()
    assert tab.add_item() is None and tab.edit_item() is None


def test_a_clerk_only_reads(make_tab, clerk, db, admin, qtbot, ops):
    add_items(db, admin)
    tab = make_tab(ResourcesTab, clerk)
    tab.table.selectRow(0)
    for action in (tab.check_action, tab.add_action, tab.edit_action, tab.archive_action):
        assert not action.isEnabled()
    qtbot.keyClick(tab.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, ops)
    with db.session(readonly=True) as s:
        assert all(
            not resources.list_checks(r.id, session=s) for r in resources.list_resources(session=s)
        )


def test_the_tab_refreshes_only_on_resource_changes(window, qtbot, ops, db):
    tab = resources_tab(window)
    calls: list[object] = []
    tab.loader.read = lambda *a, **k: calls.append(a)  # type: ignore[method-assign]
    window.broadcast(Changes(incidents=True, roster=True))
    assert calls == []
    window.broadcast(Changes(resources=True))
    assert len(calls) == 1


def test_resources_model_passes_the_model_tester(window, qtmodeltester, db):
    tab = resources_tab(window)
    qtmodeltester.check(tab.model, force_py=True)
    qtmodeltester.check(tab.proxy, force_py=True)
    with db.session(readonly=True) as s:
        inventory = load_inventory(s)
    model = ResourcesModel()
    model.set_rows(inventory.rows)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(ResourcesModel(), force_py=True)


def test_a_long_inventory_is_shown_page_by_page(qtmodeltester):
    base = ResourceRow(
        id=None, kind=ResourceKind.SPARE_EQUIPMENT, name="备用服务器", location="备件库",
        quantity=1, unit="台", status=ResourceStatus.READY, contact_name=None,
        contact_phone=None, check_interval_days=90, last_checked_at=utcnow(),
        next_due=utcnow() + timedelta(days=90), notes=None, version=1,
    )  # fmt: skip
    rows = [replace(base, id=uuid.uuid4(), name=f"备用服务器 {i:04d}") for i in range(1200)]
    model = ResourcesModel()
    model.set_rows(rows)
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 2 * PAGE_SIZE
    assert model.row_of(lambda r: r.name == "备用服务器 1100") == 1100
    assert model.rowCount() == 1200 and not model.canFetchMore(model.index(-1, -1))
    qtmodeltester.check(model, force_py=True)


def test_another_tab_opens_an_item_here(window, qtbot):
    tab = resources_tab(window)
    tape = next(r for r in tab.model.rows() if r.name == "核心数据备份磁带")
    select_data(tab.kind_filter, ResourceKind.EMERGENCY_SUPPLIES)  # the tape is filtered out
    window.ctx.hub.open_record.emit("resources", str(tape.id))
    assert tab.selected_item() == tape
    assert tab.kind_filter.currentIndex() == 0
