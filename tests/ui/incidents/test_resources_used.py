"""应急资源使用 in the incident detail: a coordinator adds a reserve of the inventory as
used and sees it listed (and on the timeline); a clerk's button is disabled."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ebconsole.resources import service as resources
from ebconsole.resources.enums import ResourceKind
from ebconsole.resources.schemas import ResourceCreate
from tests.ui.incidents.support import click, open_incident, record_sample, relay, wait_idle
from ui.incidents.detail import TAB_RESOURCES
from ui.incidents.resources_panel import ResourceUseDialog
from ui.tabs.incidents_tab import IncidentsTab


def test_a_coordinator_adds_a_resource_used_and_a_clerk_cannot(db, world, make_tab, ops, qtbot):
    sample = record_sample(db, world.coordinator)
    with db.session(world.admin) as s:
        resources.create(
            ResourceCreate(
                kind=ResourceKind.BACKUP_SYSTEM, name="上海同城灾备中心", quantity=1, unit="套"
            ),
            session=s,
        )
    tab = relay(make_tab(IncidentsTab, world.coordinator))
    wait_idle(qtbot, ops)
    open_incident(qtbot, tab, sample.outage)
    detail = tab.detail
    panel = detail.resources_used
    detail.tabs.setCurrentIndex(TAB_RESOURCES)
    assert detail.tabs.tabText(TAB_RESOURCES) == "使用的应急资源"
    assert panel.table.rowCount() == 0 and panel.empty.isVisibleTo(panel)
    click(qtbot, panel.add_button)
    dialog = detail.dialog
    assert isinstance(dialog, ResourceUseDialog)
    qtbot.waitUntil(lambda: dialog.resource.count() == 1)
    assert dialog.resource.currentText() == "上海同城灾备中心（备份系统/备份中心）"
    dialog.quantity.setValue(1)
    dialog.note.setText("手机银行切换至同城灾备中心")
    click(qtbot, dialog.ok_button)
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert detail.dialog is None
    cells = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert cells[1:] == [
        "上海同城灾备中心（备份系统/备份中心）",
        "1 套",
        "李明",
        "手机银行切换至同城灾备中心",
    ]
    assert any("上海同城灾备中心" in r.text for r in detail.detail.timeline)

    clerk_tab = relay(make_tab(IncidentsTab, world.clerk))
    wait_idle(qtbot, ops)
    open_incident(qtbot, clerk_tab, sample.outage)
    clerk_panel = clerk_tab.detail.resources_used
    assert clerk_panel.table.rowCount() == 1
    assert not clerk_panel.add_button.isEnabled()
    assert clerk_tab.detail.open_resource_use() is None
    QApplication.processEvents()
