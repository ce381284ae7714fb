"""Tools → Verify audit trail: the check runs in the background and shows the chain heads,
or the first broken row after the database was edited behind the console's back."""

from __future__ import annotations

from PySide6.QtWidgets import QMenuBar

from ebconsole.audit.verify import verify
from ui.audit_check import AuditCheckDialog


def test_the_tools_menu_checks_an_intact_trail(qtbot, make_main_window, db):
    window = make_main_window(tabs=[])
    bar: QMenuBar = window.menuBar()
    assert "工具(&T)" in [a.text() for a in bar.actions()]
    action = window.actions_by_name["verify_audit"]
    assert action.text() == "校验审计记录(&A)…"
    head = verify(db).chains[0].head

    action.trigger()
    dialog: AuditCheckDialog = window.audit_check
    with qtbot.waitSignal(dialog.checked, timeout=15_000) as blocker:
        pass

    assert blocker.args[0].intact
    assert dialog.status.text() == "审计记录完整，未发现篡改。"
    details = dialog.details.toPlainText()
    assert (
        f"{head.origin}：已校验 {head.seq} 条，链头 第 {head.seq} 条 {head.short}，完整" in details
    )
    assert dialog.again.isEnabled() and dialog.progress.isHidden()


def test_a_broken_trail_names_the_first_broken_row(qtbot, ctx, db):
    with db.engine.begin() as conn:  # behind the core's back
        row_id = conn.exec_driver_sql("SELECT id FROM audit_entry WHERE seq = 6").scalar_one()
        conn.exec_driver_sql("DELETE FROM audit_entry WHERE seq = 5")

    dialog = AuditCheckDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.checked, timeout=15_000):
        dialog.start()

    assert dialog.result is not None and not dialog.result.intact
    assert dialog.status.text() == "审计记录已被篡改：下面列出第一条断裂的记录。"
    details = dialog.details.toPlainText()
    assert "第一条断裂的记录：BJ01/值班室-1 第 6 条" in details
    assert "记录被删除或改写（序号缺失或链接断开）（应为第 5 条）" in details
    assert row_id[:8] in details.replace("-", "")
