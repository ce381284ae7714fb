"""Signing in, switching operator (Ctrl+L) and unlocking after idle."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from ebconsole.errors import FieldError
from ebconsole.i18n import _
from ebconsole.users import service as users
from tests.support.world import PASSWORD
from tests.ui.typing import type_text
from ui.dialogs.login import LoginDialog
from ui.permissions import Action
from ui.settings_store import LAST_USER


@pytest.fixture
def login_dialog(qtbot, db, ops, settings_store):
    dialog = LoginDialog(db, ops, settings_store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.user.count() > 0 and dialog.user.isEnabled(), timeout=10_000)
    return dialog


def sign_in(qtbot, dialog, username, password):
    assert dialog.select_user(username)
    type_text(qtbot, dialog.password, password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def failed_logins(db, username):
    with db.session(readonly=True) as s:
        user = users.get_by_username(username, session=s)
        return user.failed_logins, user.locked_until


def test_the_list_shows_every_active_operator_with_role(login_dialog):
    entries = [login_dialog.user.itemText(i) for i in range(login_dialog.user.count())]
    assert any("张丽" in e and "clerk" in e and _("Clerk") in e for e in entries)
    assert len(entries) == 4


def test_wrong_then_right_password(qtbot, login_dialog, db, settings_store):
    sign_in(qtbot, login_dialog, "clerk", "not-the-password")
    qtbot.waitUntil(login_dialog.error.isVisible, timeout=10_000)
    assert login_dialog.error.text() == FieldError("login_failed").message(_)
    assert login_dialog.error.text() == "用户名或密码错误"
    assert login_dialog.password.text() == ""  # cleared for the next try
    assert login_dialog.actor is None and login_dialog.isVisible()
    assert failed_logins(db, "clerk")[0] == 1  # the failure was committed

    with qtbot.waitSignal(login_dialog.accepted, timeout=10_000):
        sign_in(qtbot, login_dialog, "clerk", PASSWORD)
    assert login_dialog.actor.username == "clerk"
    assert login_dialog.actor.display_name == "张丽"
    assert failed_logins(db, "clerk") == (0, None)
    assert settings_store.value(LAST_USER) == "clerk"


def test_repeated_failures_lock_the_account_and_say_so(qtbot, login_dialog, db):
    for attempt in range(users.MAX_FAILED_LOGINS):
        sign_in(qtbot, login_dialog, "coord", f"wrong-{attempt}")
        qtbot.waitUntil(
            lambda: login_dialog.ok_button.isEnabled() and login_dialog.error.isVisible(),
            timeout=10_000,
        )
    _count, locked_until = failed_logins(db, "coord")
    assert locked_until is not None
    sign_in(qtbot, login_dialog, "coord", PASSWORD)  # even the right password waits now
    qtbot.waitUntil(lambda: login_dialog.ok_button.isEnabled(), timeout=10_000)
    prefix = _("the account is locked until {until}").split("{")[0]
    assert login_dialog.error.text().startswith(prefix)
    assert login_dialog.actor is None


def test_the_last_operator_is_preselected(qtbot, db, ops, settings_store):
    settings_store.set_value(LAST_USER, "coord")
    dialog = LoginDialog(db, ops, settings_store)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.user.count() > 0, timeout=10_000)
    assert dialog.username() == "coord"


def find_login(window):
    dialogs = [d for d in window.findChildren(LoginDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_switch_operator_keeps_the_window_and_changes_permissions(qtbot, main_window):
    window = main_window
    assert window.ctx.can(Action.EDIT_SETTINGS)
    action = window.actions_by_name["switch_operator"]
    assert action.shortcut() == QKeySequence("Ctrl+L")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = find_login(window)
    assert dialog.mode == "switch"
    qtbot.waitUntil(lambda: dialog.user.count() > 0 and dialog.user.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(window.ctx.hub.operator_changed, timeout=10_000) as blocker:
        sign_in(qtbot, dialog, "clerk", PASSWORD)
    assert blocker.args[0].username == "clerk"
    assert window.isVisible()  # the same window, still open
    assert window.ctx.actor.username == "clerk"
    assert not window.ctx.can(Action.EDIT_SETTINGS)
    assert "张丽" in window.status.operator.text()
    assert _("Clerk") in window.status.operator.text()


def test_cancelling_a_switch_keeps_the_operator(qtbot, main_window):
    dialog = main_window.switch_operator()
    qtbot.waitUntil(lambda: dialog.user.count() > 0, timeout=10_000)
    dialog.reject()
    assert main_window.ctx.actor.username == "admin"


def test_idle_locks_the_console_and_the_operator_unlocks_it(qtbot, main_window):
    window = main_window
    with qtbot.waitSignal(window.locked_changed, timeout=5000) as blocker:
        window.idle.set_timeout(150)
    assert blocker.args == [True]
    assert window.stack.currentWidget() is window.lock_page
    assert not window.menuBar().isEnabled()
    assert "王建国" in window.lock_page.text.text()

    window.idle.set_timeout(0)
    qtbot.mouseClick(window.lock_page.button, Qt.MouseButton.LeftButton)
    dialog = find_login(window)
    assert dialog.mode == "unlock"
    qtbot.waitUntil(lambda: dialog.user.count() > 0 and dialog.user.isEnabled(), timeout=10_000)
    assert dialog.username() == "admin"
    with qtbot.waitSignal(window.locked_changed, timeout=10_000) as blocker:
        type_text(qtbot, dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [False]
    assert window.stack.currentWidget() is not window.lock_page
    assert window.menuBar().isEnabled()
