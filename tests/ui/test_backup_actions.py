"""Backups in the console: the schedule runs the real backup off the UI thread, the menu
follows the roles, a restore is checked, confirmed, done and the console locked."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QMessageBox

from ebconsole.backup import service as backups
from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import parse_intake
from ebconsole.settings import BACKUP_FOLDER, BACKUP_INTERVAL_HOURS, BACKUP_KEEP
from tests.ebconsole.incidents.samples import fraud_intake
from ui.backup_actions import HOUR_MS, BackupActions
from ui.ops import Changes


def _controller(window) -> BackupActions:  # type: ignore[no-untyped-def]
    found = window.findChild(BackupActions, "backup_actions")
    assert found is not None
    return found


def test_the_scheduled_backup_follows_the_settings(
    qtbot, make_main_window, settings_store, tmp_path
):
    settings_store.set(BACKUP_FOLDER, str(tmp_path / "备份介质"))
    settings_store.set(BACKUP_INTERVAL_HOURS, 2)
    settings_store.set(BACKUP_KEEP, 2)
    window = make_main_window(tabs=[])
    ctl = _controller(window)
    assert ctl.timer.isActive() and ctl.timer.interval() == 2 * HOUR_MS

    made = []
    for _ in range(3):  # the timer fires three times
        with qtbot.waitSignal(ctl.backed_up, timeout=30_000) as signal:
            ctl.timer.timeout.emit()
        made.append(signal.args[0])
    assert all("-auto-" in info.path.name for info in made)
    kept = sorted(p.name for p in (tmp_path / "备份介质").iterdir())
    assert kept == sorted(info.path.name for info in made[1:])  # rotated: keep 2
    assert "数据库已备份" in window.status.currentMessage()

    settings_store.set(BACKUP_INTERVAL_HOURS, 0)
    window.ctx.hub.changed.emit(Changes(settings=True))  # what the settings dialog sends
    assert not ctl.timer.isActive()


def test_the_menu_actions_follow_the_role(make_main_window, clerk, coordinator):
    for actor, may_back_up, may_restore in (
        (None, True, True),  # the administrator
        (coordinator, True, False),
        (clerk, False, False),
    ):
        window = make_main_window(actor, tabs=[])
        assert window.actions_by_name["backup_now"].isEnabled() is may_back_up
        assert window.actions_by_name["restore_backup"].isEnabled() is may_restore
        assert window.actions_by_name["restore_backup"].text() == "从备份恢复(&R)…"


def test_back_up_now_reports_the_checked_copy(qtbot, main_window):
    ctl = _controller(main_window)
    with qtbot.waitSignal(ctl.backed_up, timeout=30_000) as signal:
        main_window.actions_by_name["backup_now"].trigger()
    info = signal.args[0]
    assert "-manual-" in info.path.name and info.path.is_file()
    qtbot.waitUntil(lambda: isinstance(ctl.last_dialog, QMessageBox), timeout=5_000)
    assert str(info.path) in ctl.last_dialog.text()


def test_a_restore_is_checked_confirmed_done_and_the_console_locked(
    qtbot, make_main_window, db, clerk, tmp_path
):
    window = make_main_window(tabs=[])
    ctl = _controller(window)
    good = backups.create_backup(db, tmp_path / "backups")
    with db.session(clerk) as s:
        later = incidents.create(parse_intake(fraud_intake()), session=s).reference

    dialog = ctl.choose_restore_file()
    dialog.fileSelected.emit(str(good.path))  # the operator picked the file
    qtbot.waitUntil(lambda: isinstance(ctl.last_dialog, QMessageBox), timeout=15_000)
    confirm = ctl.last_dialog
    assert "用此备份替换当前数据库吗" in confirm.text()
    assert "BJ01" in confirm.informativeText() and "安全副本" in confirm.informativeText()

    with qtbot.waitSignal(ctl.restored, timeout=30_000) as signal:
        confirm.button(QMessageBox.StandardButton.Yes).click()
    result = signal.args[0]
    assert result.safety_copy is not None and result.safety_copy.is_file()
    assert window.locked  # sign in again against the restored accounts
    with db.session(readonly=True) as s:  # the console's own database object reopened
        refs = {i.reference for i in incidents.list_incidents(_all(), session=s)}
    assert later not in refs
    con = sqlite3.connect(result.safety_copy)
    assert (
        con.execute("select count(*) from incident where reference = ?", (later,)).fetchone()[0]
        == 1
    )
    con.close()


def test_a_damaged_backup_is_refused_before_any_question(qtbot, make_main_window, db, tmp_path):
    window = make_main_window(tabs=[])
    ctl = _controller(window)
    bad = tmp_path / "坏的备份.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(5000))
    before = db.path.read_bytes()
    ctl.check(bad)
    qtbot.waitUntil(lambda: isinstance(ctl.last_dialog, QMessageBox), timeout=15_000)
    assert "未替换任何内容" in ctl.last_dialog.text()
    assert ctl.last_dialog.windowTitle() == "从备份恢复"
    assert db.path.read_bytes() == before and not window.locked


def _all():  # type: ignore[no-untyped-def]
    from ebconsole.incidents.schemas import IncidentFilter

    return IncidentFilter()


CHILD = r"""
import sys
from ebconsole.settings import BACKUP_KEEP
from ui.settings_store import SettingsStore

store = SettingsStore(sys.argv[1])
print("ready", flush=True)
for n in range(1, 100_000):
    store.set(BACKUP_KEEP, n % 900 + 1)
    store.sync()  # what the settings dialog does before it says "saved"
    print(n % 900 + 1, flush=True)
"""


def test_a_saved_setting_survives_a_kill(tmp_path):
    """Durable settings: QSettings writes a temporary file and renames it (QSaveFile), so
    a SIGKILL at any moment leaves the last saved value or a newer one, never a broken
    file."""
    import configparser
    import os
    import random
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "ebconsole.ini"
    env = {**os.environ, "PYTHONPATH": str(root)}
    for _round in range(3):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, env=env, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(random.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        printed = [line.strip() for line in child.stdout if line.strip()]
        child.wait()
        # the bytes on disk, read without Qt's in-process cache of settings files
        saved = configparser.ConfigParser()
        saved.read(path, encoding="utf-8")  # a broken file would raise here
        if printed:  # the value the user was told is saved (or the next one) is there
            last = int(printed[-1])
            assert saved.getint("storage", "backup_keep") in {last, last % 900 + 1}
