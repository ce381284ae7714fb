"""Fixtures for the console's tests (pytest-qt, offscreen), reusable by every tab's tests.

    def test_roster_tab_shows_this_week(make_tab, coordinator, qtbot):
        tab = make_tab(RosterTab, coordinator)        # constructed, refreshed, ops done
        assert tab.model.rowCount() == 7

    def test_intake_from_the_window(main_window, qtbot): ...     # admin, shown, idle

* `db` is a real SQLite file with the test world (tests/support/world.py): installation
  BJ01, admin 王建国, coordinator 李明, clerks 张丽 and 赵强 (password `PASSWORD`).
* QSettings never touch the developer's own: each test gets its own INI file.
* Each test starts in zh_CN.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from tests.support.world import World, world_template
from ui.app import configure_application
from ui.context import Context, Hub, InstallationInfo
from ui.fonts import apply_cjk_font
from ui.i18n import apply_language
from ui.main_window import MainWindow
from ui.ops import Ops
from ui.settings_store import SettingsStore
from ui.tabs.base import Tab


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session", autouse=True)
def _sandboxed_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, folder)


@pytest.fixture(scope="session", autouse=True)
def _application(qapp: QApplication) -> QApplication:
    configure_application(qapp)
    apply_cjk_font(qapp)
    return qapp


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_between_tests() -> Iterator[None]:
    """As in the console (ui/gc_guard.py): no automatic cyclic GC, which could free Qt
    objects inside an event handler; each test's cycles are collected after it."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test(qapp: QApplication) -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def zh_cn() -> Iterator[None]:
    apply_language("zh_CN")
    yield
    apply_language("zh_CN")


# -- database ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def ui_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world's SQLite file, built once a run (shared with the core's tests)."""
    return world_template(tmp_path_factory)


@pytest.fixture
def db(ui_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "ebconsole.sqlite3"
    shutil.copyfile(ui_template, path)
    database = Database(str(path))
    yield database
    database.dispose()


@pytest.fixture
def world(db: Database) -> World:
    return World.load(db)


@pytest.fixture
def admin(world: World) -> Actor:
    return world.admin


@pytest.fixture
def coordinator(world: World) -> Actor:
    return world.coordinator


@pytest.fixture
def clerk(world: World) -> Actor:
    return world.clerk


# -- console plumbing ----------------------------------------------------------------
@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.ini")


@pytest.fixture
def ops(qtbot) -> Iterator[Ops]:
    runner = Ops()
    yield runner
    runner.wait(30_000)
    qtbot.waitUntil(lambda: not runner.active, timeout=10_000)


@pytest.fixture
def hub() -> Hub:
    return Hub()


@pytest.fixture
def make_context(
    db: Database, ops: Ops, hub: Hub, settings_store: SettingsStore, admin: Actor
) -> Callable[..., Context]:
    info = InstallationInfo.load(db)

    def make(actor: Actor | None = None, **kwargs: object) -> Context:
        return Context(db, actor or admin, ops, hub, settings_store, info, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def ctx(make_context: Callable[..., Context]) -> Context:
    return make_context()


def wait_idle(qtbot, ops: Ops) -> None:
    """Until every background op has delivered its result."""
    qtbot.waitUntil(lambda: not ops.active, timeout=15_000)


@pytest.fixture
def make_main_window(
    qtbot, make_context: Callable[..., Context], ops: Ops
) -> Callable[..., MainWindow]:
    def make(
        actor: Actor | None = None,
        tabs: Sequence[type[Tab]] | None = None,
        **context_kwargs: object,
    ) -> MainWindow:
        window = MainWindow(make_context(actor, **context_kwargs), tab_classes=tabs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        wait_idle(qtbot, ops)
        return window

    return make


@pytest.fixture
def main_window(make_main_window: Callable[..., MainWindow]) -> MainWindow:
    """The administrator's window with every tab found in ui/tabs, shown and idle."""
    return make_main_window()


@pytest.fixture
def make_tab(qtbot, make_context: Callable[..., Context], ops: Ops) -> Callable[..., QWidget]:
    """One tab on its own: constructed with a context, refreshed with everything, idle."""

    def make(tab_class: type[Tab], actor: Actor | None = None) -> Tab:
        from ui.ops import Changes

        tab = tab_class(make_context(actor))
        qtbot.addWidget(tab)
        tab.show()
        tab.refresh(Changes.everything())
        wait_idle(qtbot, ops)
        return tab

    return make
