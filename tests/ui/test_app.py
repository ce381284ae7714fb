"""Starting the console: first run, sign-in, a refused database, fonts and language."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from sqlalchemy import text

from ebconsole.i18n import _, current_language
from ebconsole.settings import LANGUAGE
from tests.support.world import PASSWORD
from tests.ui.typing import type_text
from ui.app import EXIT_DATABASE, EXIT_OK, IDLE_MARKER, Launcher, _exit_when_idle
from ui.dialogs.first_run import FirstRunWizard
from ui.dialogs.login import LoginDialog
from ui.fonts import find_cjk_family
from ui.i18n import resolve_language
from ui.main_window import MainWindow


@pytest.fixture
def launch(qtbot, settings_store, ops):
    started = []

    def start(url):
        launcher = Launcher(url, settings_store, ops=ops)
        started.append(launcher)
        launcher.start()
        return launcher

    yield start
    for launcher in started:
        if launcher.window is not None:
            launcher.window.close()
        for widget in (launcher.dialog,):
            if widget is not None:
                widget.close()
        launcher.shutdown()


def test_a_new_database_opens_the_wizard_then_the_window(qtbot, launch, tmp_path):
    launcher = launch(str(tmp_path / "new.sqlite3"))
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, FirstRunWizard), timeout=20_000)
    wizard = launcher.dialog
    page = wizard.site_page
    type_text(qtbot, page.site_code, "SH02B")
    type_text(qtbot, page.workstation, "应急指挥室")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    admin = wizard.admin_page
    type_text(qtbot, admin.display_name, "陈静")
    type_text(qtbot, admin.password, PASSWORD)
    type_text(qtbot, admin.confirm, PASSWORD)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(launcher.window_shown, timeout=60_000) as shown:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    window = shown.args[0]
    assert isinstance(window, MainWindow) and window.isVisible()
    assert window.ctx.actor.display_name == "陈静"
    assert "应急指挥室" in window.windowTitle()


def test_an_initialised_database_asks_who_is_working(qtbot, launch, db):
    db.dispose()
    launcher = launch(db.url)
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, LoginDialog), timeout=20_000)
    dialog = launcher.dialog
    qtbot.waitUntil(lambda: dialog.user.count() > 0 and dialog.user.isEnabled(), timeout=10_000)
    dialog.select_user("coord")
    type_text(qtbot, dialog.password, PASSWORD)
    with qtbot.waitSignal(launcher.window_shown, timeout=30_000) as shown:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert shown.args[0].ctx.actor.username == "coord"


def test_quitting_at_sign_in_ends_cleanly(qtbot, launch, db):
    launcher = launch(db.url)
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, LoginDialog), timeout=20_000)
    with qtbot.waitSignal(launcher.finished, timeout=5000) as done:
        launcher.dialog.reject()
    assert done.args == [EXIT_OK]


def test_a_database_from_a_newer_version_is_refused_with_a_message(qtbot, launch, db):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    db.dispose()
    launcher = launch(db.url)
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, QMessageBox), timeout=20_000)
    box = launcher.dialog
    assert "ffffffffffff" in box.text()
    assert box.text().startswith(_("The console cannot start."))
    with qtbot.waitSignal(launcher.finished, timeout=5000) as done:
        box.close()
    assert done.args == [EXIT_DATABASE]


def test_an_unreachable_database_is_named_not_a_traceback(qtbot, launch):
    launcher = launch("postgresql://duty:secret@127.0.0.1:1/ebconsole")  # nothing listens
    qtbot.waitUntil(lambda: isinstance(launcher.dialog, QMessageBox), timeout=20_000)
    message = launcher.dialog.text()
    assert _("cannot open the database: {detail}").split("{")[0] in message
    assert "Traceback" not in message and "secret" not in message
    with qtbot.waitSignal(launcher.finished, timeout=5000) as done:
        launcher.dialog.close()
    assert done.args == [EXIT_DATABASE]


def test_language_comes_from_argument_then_setting_then_environment(settings_store, monkeypatch):
    monkeypatch.setenv("EBCONSOLE_LANG", "en")
    assert resolve_language(None, settings_store) == "en"
    settings_store.set(LANGUAGE, "zh_CN")
    assert resolve_language(None, settings_store) == "zh_CN"
    assert resolve_language("en", settings_store) == "en"
    monkeypatch.setenv("EBCONSOLE_LANG", "zh_CN.UTF-8")
    settings_store.set(LANGUAGE, "")
    assert resolve_language(None, settings_store) == "zh_CN"
    assert current_language() == "zh_CN"


def test_a_chinese_font_is_found_and_used(qapp):
    family = find_cjk_family()
    assert family is not None  # fonts-wqy-microhei on the test machines
    assert qapp.font().families()[0] == family
    assert (
        find_cjk_family(["DejaVu Sans", "Microsoft YaHei UI", "Microsoft YaHei"])
        == "Microsoft YaHei"
    )
    assert find_cjk_family(["DejaVu Sans"]) is None
    assert (
        find_cjk_family(["DejaVu Sans", "AR PL UMing CN"], {"AR PL UMing CN"}) == "AR PL UMing CN"
    )


def test_the_idle_marker_waits_for_every_op_even_a_short_one(qtbot, ops, capsys):
    # the benchmarks' cold start ends at this marker: an op still running when the window
    # shows (busy turns on only 300 ms after an op starts) must hold it back
    gate = threading.Event()
    ops.read(lambda: gate.wait(10))
    codes: list[int] = []  # (the real app.exit would end every later event loop here)
    _exit_when_idle(ops, codes.append)
    printed = []

    def marker_printed() -> bool:
        printed.append(capsys.readouterr().out)
        return IDLE_MARKER in "".join(printed)

    try:
        qtbot.wait(100)
        assert not marker_printed() and ops.active and not codes
    finally:
        gate.set()
    qtbot.waitUntil(marker_printed, timeout=5000)
    assert codes == [EXIT_OK]
