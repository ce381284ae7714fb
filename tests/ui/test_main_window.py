"""The main window: tabs from the registry, change broadcasts, layout kept between runs,
menus, the status bar and switching language at runtime."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from ebconsole.i18n import _, current_language
from ebconsole.settings import IDLE_LOCK_MINUTES, LANGUAGE
from tests.support.probe import run_fresh
from tests.ui.conftest import wait_idle
from ui.main_window import MainWindow
from ui.ops import Changes
from ui.permissions import Action
from ui.status_bar import StatusSnapshot
from ui.tabs import TabSpec
from ui.tabs.base import Tab


class RecordingTab(Tab):
    """A stand-in tab that records what it is told. Its titles borrow strings the shell
    itself translates, so these tests do not depend on other areas' catalogs."""

    key, order, icon_name = "overview", 10, "overview"

    @classmethod
    def title(cls):
        return _("Settings")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.received: list[Changes] = []
        self.label = QLabel(self.title(), self)

    def refresh(self, changes):
        self.received.append(changes)


class IncidentsLikeTab(RecordingTab):
    key, order, icon_name = "incidents", 30, "incidents"

    @classmethod
    def title(cls):
        return _("Operator")


class AdminOnlyTab(RecordingTab):
    key, order, icon_name, permission = "matrix", 40, "matrix", Action.EDIT_MATRIX

    @classmethod
    def title(cls):
        return _("Settings")


TABS = [AdminOnlyTab, IncidentsLikeTab, RecordingTab]  # any order; `order` sorts them


def ordered(window):
    return [window.tab_widget.widget(i).key for i in range(window.tab_widget.count())]


def test_the_shell_works_with_no_tab_at_all(make_main_window):
    window = make_main_window(tabs=[])
    assert window.stack.currentWidget() is window.empty
    assert window.empty.text.text() == _("No work areas are installed yet.")
    assert window.menuBar().actions()  # menus are there all the same
    assert window.status.operator.text()


def test_tabs_come_in_order_and_only_for_roles_allowed(make_main_window, clerk):
    admin_window = make_main_window(tabs=sorted(TABS, key=lambda c: c.order))
    assert ordered(admin_window) == ["overview", "incidents", "matrix"]
    assert not admin_window.tab_widget.tabIcon(0).isNull()
    clerk_window = make_main_window(clerk, tabs=sorted(TABS, key=lambda c: c.order))
    assert ordered(clerk_window) == ["overview", "incidents"]


def test_changes_reach_the_visible_tab_now_and_hidden_ones_when_shown(qtbot, make_main_window):
    window = make_main_window(tabs=[RecordingTab, IncidentsLikeTab])
    overview, incidents = window.tab("overview"), window.tab("incidents")
    assert window.current_tab() is overview
    assert overview.received == [Changes.everything()]  # first show loads everything
    assert incidents.received == []  # hidden: nothing loaded yet

    window.ctx.hub.changed.emit(Changes(incidents=True))
    window.ctx.hub.changed.emit(Changes(obligations=True))
    assert overview.received[1:] == [Changes(incidents=True), Changes(obligations=True)]
    assert incidents.received == []
    window.show_tab("incidents")
    assert incidents.received == [Changes.everything()]  # merged with what it missed


def test_only_the_tab_shown_is_built_the_others_when_first_shown(make_main_window):
    window = make_main_window(tabs=[RecordingTab, IncidentsLikeTab])
    assert window.tab_keys() == ["overview", "incidents"]
    assert [t.key for t in window.built_tabs()] == ["overview"]
    window.ctx.hub.changed.emit(Changes(incidents=True))  # nothing to tell a tab not built
    window.show_tab("incidents")
    assert [t.key for t in window.built_tabs()] == ["overview", "incidents"]
    assert window.tab("incidents").received == [Changes.everything()]
    assert window.tabs == window.built_tabs()


class BrokenTab(IncidentsLikeTab):
    def __init__(self, ctx, parent=None):
        raise RuntimeError("this tab cannot be built")


def test_a_tab_that_cannot_be_built_says_so_in_its_place(qtbot, make_main_window):
    window = make_main_window(tabs=[RecordingTab, BrokenTab])
    assert window.tab("incidents") is None
    assert window.show_tab("incidents") and window.current_tab() is None
    texts = [label.text() for label in window.tab_widget.currentWidget().findChildren(QLabel)]
    assert any(t.startswith("无法打开此工作区。") for t in texts), texts
    window.show_tab("overview")
    assert window.current_tab() is window.tab("overview")  # the others work on


def test_a_tab_whose_module_fails_to_import_says_so_in_its_place(qtbot, make_main_window):
    """Tab modules are imported when first shown: a broken one spoils only its own tab."""
    broken = TabSpec("incidents", 30, "incidents", None, "Operator", "ui.tabs.no_such_tab")
    window = make_main_window(tabs=[RecordingTab, broken])
    assert window.tab_keys() == ["overview", "incidents"]
    assert window.tab_widget.tabText(1) == _("Operator")  # made without the module
    assert window.show_tab("incidents") and window.current_tab() is None
    assert isinstance(window.tab_failures["incidents"], ModuleNotFoundError)
    texts = [label.text() for label in window.tab_widget.currentWidget().findChildren(QLabel)]
    assert any(t.startswith("无法打开此工作区。") for t in texts), texts
    window.show_tab("overview")
    assert window.current_tab() is window.tab("overview")


def test_the_main_window_imports_no_tab_module():
    """A start imports only the module of the tab it opens on (`ui.tabs.TABS`)."""
    run_fresh(
        "import sys\n"
        "import ui.main_window\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('ui.tabs.') and m.endswith('_tab'))\n"
        "assert not loaded, loaded\n"
    )


def test_a_successful_write_refreshes_the_tabs(qtbot, make_main_window):
    window = make_main_window(tabs=[RecordingTab])
    tab = window.tab("overview")
    op = window.ctx.write(lambda s: None, changes=Changes(roster=True))
    qtbot.waitUntil(lambda: op.done, timeout=10_000)
    assert tab.received[-1] == Changes(roster=True)


def test_geometry_and_current_tab_are_kept_between_runs(qtbot, make_main_window, settings_store):
    window = make_main_window(tabs=[RecordingTab, IncidentsLikeTab])
    area = window.screen().availableGeometry()  # restoring keeps a window on its screen
    size = QSize(area.width() - 123, area.height() - 77)
    window.resize(size)
    window.show_tab("incidents")
    qtbot.waitUntil(lambda: window.size() == size)
    window.close()
    again = make_main_window(tabs=[RecordingTab, IncidentsLikeTab])
    assert again.size() == size
    assert again.current_tab_key() == "incidents"
    assert [t.key for t in again.built_tabs()] == ["incidents"]  # the only one built


def test_status_bar_names_operator_database_duty_and_overdue(qtbot, make_main_window, db):
    window = make_main_window(
        tabs=[RecordingTab, IncidentsLikeTab], status_probe=lambda _db: StatusSnapshot("李明", 2, 1)
    )
    bar = window.status
    assert bar.operator.text() == "王建国 · " + _("Administrator")
    assert bar.database.text.text().endswith("ebconsole.sqlite3")
    assert str(db.path) in bar.database.toolTip()
    assert bar.on_duty.isVisible() and "李明" in bar.on_duty.text.text()
    assert bar.overdue.isVisible() and "2" in bar.overdue.text() and "1" in bar.overdue.text()

    window.show_tab("incidents")
    with qtbot.waitSignal(bar.overdue_clicked):
        qtbot.mouseClick(bar.overdue, Qt.MouseButton.LeftButton)
    assert window.current_tab_key() == "overview"


def test_status_bar_shows_nothing_it_does_not_know(make_main_window):
    window = make_main_window(tabs=[], status_probe=lambda _db: StatusSnapshot())
    assert not window.status.on_duty.isVisible()
    assert not window.status.overdue.isVisible()
    assert window.status.operator.isVisible()


def test_status_bar_asks_the_real_services(qtbot, main_window, ops):
    # the test world has nobody on the roster: no on-duty name, not a made-up one
    wait_idle(qtbot, ops)
    snap = main_window.status.snapshot
    assert snap.on_duty is None
    assert not main_window.status.on_duty.isVisible()


def menu_titles(window):
    return [a.text() for a in window.menuBar().actions()]


def test_language_switches_at_runtime_and_back(qtbot, make_main_window):
    window = make_main_window(tabs=[RecordingTab])
    assert menu_titles(window) == ["文件(&F)", "视图(&V)", "工具(&T)", "帮助(&H)"]
    assert window.tab_widget.tabText(0) == "设置"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"

    dialog = window.open_settings()
    dialog.set_value(LANGUAGE, "en")
    dialog.accept()
    assert current_language() == "en"
    assert menu_titles(window) == ["&File", "&View", "&Tools", "&Help"]
    assert window.tab_widget.tabText(0) == "Settings"
    assert window.status.operator.text().endswith("Administrator")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert window.tab("overview").received  # the rebuilt tab loaded its data again

    dialog = window.open_settings()
    dialog.set_value(LANGUAGE, "zh_CN")
    dialog.accept()
    assert menu_titles(window) == ["文件(&F)", "视图(&V)", "工具(&T)", "帮助(&H)"]
    assert window.windowTitle().startswith("电子银行应急控制台")


def test_settings_are_stored_and_restricted_for_clerks(
    qtbot, make_main_window, clerk, settings_store
):
    window = make_main_window(tabs=[])
    dialog = window.open_settings()
    dialog.set_value(IDLE_LOCK_MINUTES, 25)
    dialog.accept()
    assert settings_store.get(IDLE_LOCK_MINUTES) == 25
    assert window.idle.timeout_ms == 25 * 60_000

    clerk_window = make_main_window(clerk, tabs=[])
    clerk_dialog = clerk_window.open_settings()
    assert clerk_dialog.editors[LANGUAGE].isEnabled()  # everyone picks their language
    assert not clerk_dialog.editors[IDLE_LOCK_MINUTES].isEnabled()
    clerk_dialog.reject()


def test_help_menu_copies_diagnostics_and_shows_the_version(qtbot, main_window):
    from ebconsole import __version__

    text = main_window.copy_diagnostics()
    assert QGuiApplication.clipboard().text() == text
    assert f"ebconsole: {__version__}" in text and "BJ01" in text and "password" not in text
    box = main_window.about()
    assert __version__ in box.text()
    box.close()


def test_menu_actions_have_icons_and_shortcuts(main_window):
    actions = main_window.actions_by_name
    for name in ("switch_operator", "lock", "settings", "quit", "refresh", "about"):
        assert not actions[name].icon().isNull(), name
    assert actions["quit"].shortcut().toString() == "Ctrl+Q"


def test_busy_work_shows_progress_and_the_wait_cursor(qtbot, make_main_window):
    import time

    window = make_main_window(tabs=[])
    op = window.ctx.ops.read(lambda: time.sleep(0.8), label="正在生成报告…")
    qtbot.waitUntil(window.status.busy_bar.isVisible, timeout=5000)
    assert window.status.busy_text.text() == "正在生成报告…"
    assert QApplication.overrideCursor() is not None
    qtbot.waitUntil(lambda: op.done, timeout=5000)
    assert not window.status.busy_bar.isVisible()
    assert QApplication.overrideCursor() is None


def test_the_window_is_a_real_main_window(main_window):
    assert isinstance(main_window, MainWindow)
    assert not main_window.windowIcon().isNull()
    assert not main_window.tab_failures  # every tab module in ui/tabs imports
