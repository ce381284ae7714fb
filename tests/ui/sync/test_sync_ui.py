"""The console's side of replication: the status-bar indicator against a real hub (and a
dead one), the conflict resolution view, USB bundles through the sync panel."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ebconsole.incidents import service as incidents
from ebconsole.settings import HUB_URL, SYNC_KEY_FILE
from ebconsole.sync import service as sync
from ebconsole.sync.bundle import export_bundle, import_bundle
from ebconsole.sync.keys import load_key
from ebconsole.sync.service import SyncStatus
from ebconsole.timeutil import format_local, to_local
from tests.ebconsole.sync.conftest import Workstation, join
from tests.ui.conftest import wait_idle
from ui.ops import Changes


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def key_file(settings_store, tmp_path) -> Path:
    path = tmp_path / "sync.key"
    settings_store.set(SYNC_KEY_FILE, str(path))
    return path


@pytest.fixture
def station_a(db, world) -> Workstation:
    return Workstation("A", db, world.coordinator)


@pytest.fixture
def station_b(station_a, tmp_path):
    ws = join(tmp_path / "b.sqlite3", station_a, "BJ01B", "值班室-2")
    yield ws
    ws.db.dispose()


def _status(driver) -> SyncStatus:
    assert driver.status is not None
    return driver.status


def test_indicator_goes_offline_then_synced_with_the_real_hub(
    make_main_window, ops, qtbot, postgres_server, settings_store, world
):
    window = make_main_window(world.coordinator, tabs=[])
    indicator = window.status.sync
    driver = indicator.driver
    assert driver.standalone and not driver.timer.isActive()
    assert indicator.state.text() == "单机模式"
    assert "sync_now" in window.actions_by_name  # the 同步 menu is there

    # a hub nobody listens on: the first run comes by itself, soon after the setting
    # changed; offline since that run, work goes on
    settings_store.set(HUB_URL, f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nohub")
    with qtbot.waitSignal(driver.finished, timeout=30_000) as run:
        window.ctx.hub.changed.emit(Changes(settings=True))
        assert not driver.standalone and driver.timer.isActive()
    assert run.args[0].offline
    wait_idle(qtbot, ops)
    since = _status(driver).offline_since
    assert since is not None
    text = indicator.state.text()
    assert text == f"离线（自 {format_local(since)} 起）"
    assert _status(driver).pending > 0
    assert indicator.pending.text() == f"待同步：{_status(driver).pending}"

    # the real hub: the console resumes by itself, pushes everything, nothing pending
    settings_store.set(HUB_URL, postgres_server.url(postgres_server.create_database()))
    with qtbot.waitSignal(driver.finished, timeout=120_000) as run:
        window.ctx.hub.changed.emit(Changes(settings=True))
    result = run.args[0]
    assert result.ok and result.pushed > 0
    wait_idle(qtbot, ops)
    status = _status(driver)
    assert status.online and status.pending == 0 and status.last_pull is not None
    assert indicator.state.text() == f"已同步 {to_local(status.last_pull):%H:%M}"
    assert indicator.pending.text() == "待同步：0"
    assert not indicator.conflicts.isVisible()

    # 同步 → 立即同步: one run at a time
    with qtbot.waitSignal(driver.finished, timeout=60_000) as run:
        window.actions_by_name["sync_now"].trigger()
        assert driver.running and indicator.state.text() == "同步中…"
        assert not driver.sync_now()  # never two runs at once
    assert run.args[0].ok and run.args[0].pushed == 0
    window.close()
    assert driver.stopped and not driver.timer.isActive()


def test_conflict_view_shows_both_versions_and_resolves(
    make_context, ops, qtbot, station_a, station_b, key_file, tmp_path
):
    inc = station_a.record_incident("核心系统批处理延迟")
    # B already knows the incident (it joined after A recorded it); both edit it offline
    key = load_key(key_file, create=True)
    out = tmp_path / "a-to-b.ebx"
    export_bundle(station_a.db, out, key=key, actor=station_a.actor)
    import_bundle(station_b.db, out, key=key, actor=station_b.actor)
    station_a.edit(inc, description="A站：批处理已恢复")
    station_b.edit(inc, description="B站：仍在排查")
    from_b = tmp_path / "b-to-a.ebx"
    export_bundle(station_b.db, from_b, key=key, actor=station_b.actor)

    ctx = make_context(station_a.actor)
    from ui.sync.indicator import SyncIndicator

    indicator = SyncIndicator(ctx)
    qtbot.addWidget(indicator)
    indicator.show()
    wait_idle(qtbot, ops)
    assert indicator.state.text() == "单机模式" and not indicator.conflicts.isVisible()

    dialog = indicator.open_panel("status")
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ops)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        assert dialog.import_from(from_b)  # the USB bundle from B, through the panel
    assert done.args[0].applied.conflicts == 1
    assert dialog.message.text().endswith("新增冲突：1")
    wait_idle(qtbot, ops)
    assert indicator.conflicts.isVisible() and indicator.conflicts.text() == "冲突：1"

    # the red count opens the conflicts page
    qtbot.mouseClick(indicator.conflicts, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    view = dialog.conflicts
    assert dialog.pages.currentWidget() is view
    assert view.list.rowCount() == 1
    assert view.list.item(0, 0).text() == "事件"
    assert "核心系统批处理延迟" in view.list.item(0, 1).text()
    rows = {
        view.fields.item(r, 0).text(): (
            view.fields.item(r, 1).text(),
            view.fields.item(r, 2).text(),
        )
        for r in range(view.fields.rowCount())
    }
    assert ("B站：仍在排查", "A站：批处理已恢复") in rows.values()
    assert view.keep_winner.text() == "保留当前版本" and view.keep_loser.text() == "采用另一版本"
    assert view.keep_loser.isEnabled()

    with qtbot.waitSignal(view.resolved, timeout=30_000):
        qtbot.mouseClick(view.keep_loser, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    with station_a.db.session(readonly=True) as s:
        assert sync.list_conflicts(session=s) == []
        [c] = sync.list_conflicts(session=s, include_resolved=True)
        assert c.resolution == "loser" and c.resolved_by == station_a.actor.username
        assert incidents.get(inc, session=s).description == "A站：批处理已恢复"
        assert sync.sync_status(session=s).open_conflicts == 0
    assert view.list.rowCount() == 0 and not view.keep_loser.isEnabled()
    assert _status(indicator.driver).open_conflicts == 0
    assert not indicator.conflicts.isVisible()


def test_clerk_sees_conflicts_but_may_not_resolve(make_context, ops, qtbot, world, key_file):
    ctx = make_context(world.clerk)
    from ui.sync.indicator import SyncIndicator

    indicator = SyncIndicator(ctx)
    qtbot.addWidget(indicator)
    dialog = indicator.open_panel("conflicts")
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ops)
    assert not dialog.export_button.isEnabled() and not dialog.import_button.isEnabled()
    assert not dialog.conflicts.keep_winner.isEnabled()
    assert "协调员" in dialog.conflicts.message.text()
    assert not dialog.export_to(Path("never.ebx"))


def test_bundle_export_and_import_through_the_panel(
    make_context, ops, qtbot, station_a, station_b, key_file, tmp_path
):
    station_a.record_incident("网银登录缓慢（A站记录）")
    ctx = make_context(station_a.actor)
    from ui.sync.indicator import SyncIndicator

    indicator = SyncIndicator(ctx)
    qtbot.addWidget(indicator)
    dialog = indicator.open_panel("status")
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ops)
    assert dialog.values["hub"].text().startswith("无")

    out = tmp_path / "usb" / "a.ebx"
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        assert dialog.export_to(out)
        assert not dialog.export_button.isEnabled() and dialog.progress.isVisible()
    wait_idle(qtbot, ops)
    assert out.exists() and done.args[0].count > 0
    assert dialog.message.text() == f"已将 {done.args[0].count} 条变更写入 {out}"
    assert dialog.export_button.isEnabled() and not dialog.progress.isVisible()

    # B takes it (the core's import), then a damaged copy is refused through the panel
    result = import_bundle(station_b.db, out, key=load_key(key_file), actor=station_b.actor)
    assert result.applied.applied > 0
    damaged = tmp_path / "damaged.ebx"
    damaged.write_bytes(out.read_bytes()[:100])
    with qtbot.waitSignal(dialog.bundle_failed, timeout=30_000):
        assert dialog.import_from(damaged)
    wait_idle(qtbot, ops)
    assert dialog.message.text().startswith("已拒绝：")
    assert "damaged.ebx" in dialog.message.text()

    # the same bundle again: accepted, nothing new
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as again:
        assert dialog.import_from(out)
    assert again.args[0].applied.applied == 0
    assert "已应用 0 条变更" in dialog.message.text()


def test_bundle_progress_shows_while_the_console_stays_usable(
    make_context,
    ops,
    hub,
    settings_store,
    qtbot,
    station_a,
    station_b,
    key_file,
    tmp_path,
    monkeypatch,
):
    """Export and import report (done, total) into a progress dialog; the work runs on
    the ops worker, so the panel keeps answering while a bundle is half written."""
    import threading

    from ebconsole.sync import apply as sync_apply
    from ebconsole.sync import bundle as bundles
    from ui.sync import panel as panel_module
    from ui.sync.indicator import SyncIndicator

    for n in range(3):
        station_a.record_incident(f"网点终端故障 {n + 1}")
    monkeypatch.setattr(bundles, "EXPORT_CHUNK", 10)  # report often (small test data)
    monkeypatch.setattr(sync_apply, "PROGRESS_EVERY", 10)
    halfway = threading.Event()
    go_on = threading.Event()
    real_export = panel_module.export_bundle

    def paused_export(*args, progress, **kwargs):  # the real export, held once half-way
        def report(done, total):
            progress(done, total)
            if 0 < done < total and not halfway.is_set():
                halfway.set()
                go_on.wait(120)  # longer than the test waits below: only the test lets go

        return real_export(*args, progress=report, **kwargs)

    monkeypatch.setattr(panel_module, "export_bundle", paused_export)
    ctx = make_context(station_a.actor)
    indicator = SyncIndicator(ctx)
    qtbot.addWidget(indicator)
    dialog = indicator.open_panel("status")
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ops)

    out = tmp_path / "usb" / "a.ebx"
    try:
        with qtbot.waitSignal(dialog.exported, timeout=60_000) as done:
            assert dialog.export_to(out)
            assert dialog.bundle_progress is not None and dialog.bundle_progress.isVisible()
            # until the worker is held half-way the export may still end (an error closes
            # and deletes the dialog): touch the dialog only once it is known to be held
            qtbot.waitUntil(lambda: halfway.is_set() or not dialog._bundle_busy, timeout=60_000)
            shown = dialog.bundle_progress
            assert halfway.is_set() and shown is not None, (
                f"the export ended before half-way: {dialog.message.text()}"
            )
            # the worker is held half-way: the UI thread still shows its progress, and the
            # panel still answers (switch pages, read the status)
            qtbot.waitUntil(lambda: 0 < shown.value() < shown.maximum(), timeout=60_000)
            assert not out.exists() and f"/ {shown.maximum()} " in shown.labelText()
            dialog.show_page("conflicts")
            dialog.show_page("status")
            assert dialog.isEnabled() and not dialog.export_button.isEnabled()
            go_on.set()
    finally:
        go_on.set()  # never leave the worker held
    wait_idle(qtbot, ops)
    assert dialog.bundle_progress is None  # closed (and deleted) when done
    total = done.args[0].count
    assert total > 10 and out.exists()

    # import on B through B's panel: progress up to every change of the bundle
    from ui.context import Context, InstallationInfo

    ctx_b = Context(
        station_b.db, station_b.actor, ops, hub, settings_store, InstallationInfo.load(station_b.db)
    )
    dialog_b = SyncIndicator(ctx_b).open_panel("status")
    qtbot.addWidget(dialog_b)
    seen: list[tuple[int, int]] = []
    show = dialog_b._bundle_progressed

    def record(d: int, t: int, text: str = "") -> None:
        seen.append((d, t))
        show(d, t, text)

    dialog_b._bundle_progressed = record  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog_b.imported, timeout=60_000) as imported:
        assert dialog_b.import_from(out)
    wait_idle(qtbot, ops)
    assert imported.args[0].applied.received == total
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert any(0 < d < total for d, _t in seen)
