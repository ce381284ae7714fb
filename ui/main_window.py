"""The main window: the tabs found in `ui.tabs`, menus, the status bar, the idle lock.

It relays every `Changes` broadcast to the tabs, switches operator without closing
(Ctrl+L), and rebuilds its tabs and menus when the language or the operator changes.

A tab is built when it is first shown or asked for (`tab(key)`), not when the window
opens: the tab bar holds one page per tab of the operator, made from the tab's line in
`ui.tabs.TABS` (title, icon, permission), and the page imports the tab's module and builds
the tab on first use. A start imports, builds and loads only the tab it opens on.
"""

from __future__ import annotations

import linecache
import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ebconsole import __version__
from ebconsole.actor import Actor
from ebconsole.i18n import _, current_language
from ebconsole.settings import IDLE_LOCK_MINUTES, LANGUAGE
from ui import audit_check, backup_actions, diagnostics, icons
from ui.context import Context
from ui.dialogs.login import LoginDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.errors import error_text, show_error
from ui.i18n import apply_language, resolve_language
from ui.idle import IdleWatcher
from ui.ops import Changes
from ui.status_bar import StatusBar
from ui.sync import menu as sync_menu
from ui.tabs import TabSpec, tab_specs
from ui.tabs.base import Tab

log = logging.getLogger(__name__)

WINDOW = "main"
CURRENT_TAB = "window/current_tab"
OVERVIEW = "overview"


class _Notice(QWidget):
    """A centred icon, a sentence and optionally a button (empty state, lock screen)."""

    def __init__(self, icon_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.icon_name = icon_name
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading = QLabel()
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.heading.setFont(font)
        self.text = QLabel()
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.button.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (self.picture, self.heading, self.text):
            layout.addWidget(widget)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def show_text(self, heading: str, text: str, button: str = "") -> None:
        self.picture.setPixmap(icons.icon(self.icon_name).pixmap(QSize(72, 72)))
        self.heading.setText(heading)
        self.text.setText(text)
        self.button.setText(button)
        self.button.setVisible(bool(button))


class _TabPage(QWidget):
    """The tab bar's page for one tab: empty until the tab is first shown or asked for,
    then holding the tab (or, when its module or class failed, a notice saying so)."""

    def __init__(self, spec: TabSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.key = spec.key
        self.tab: Tab | None = None
        self.failed = False
        self.setObjectName(f"page_{spec.key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, widget: QWidget) -> None:
        layout = self.layout()
        assert layout is not None
        layout.addWidget(widget)
        widget.show()


class MainWindow(QMainWindow):
    locked_changed = Signal(bool)

    def __init__(
        self,
        ctx: Context,
        tab_classes: Sequence[type[Tab] | TabSpec] | None = None,
        parent: QWidget | None = None,
    ):
        """`tab_classes`: these tabs instead of the console's (`ui.tabs.TABS`; tests)."""
        super().__init__(parent)
        self.ctx = ctx
        if tab_classes is None:
            self.tab_specs = tab_specs()  # no tab module imported yet
        else:
            self.tab_specs = [t if isinstance(t, TabSpec) else TabSpec.of(t) for t in tab_classes]
        self.tab_failures: dict[str, BaseException] = {}  # key → why it could not open
        self.pages: list[_TabPage] = []  # one per tab this operator sees, in order
        self._pending: dict[int, Changes] = {}  # id(tab) → changes not yet delivered
        self._locked = False
        self._cursor_busy = False
        self._language_setting = ctx.settings.get(LANGUAGE)
        self.setWindowIcon(icons.app_icon())
        self.setObjectName("MainWindow")

        self.tab_widget = QTabWidget()
        self.tab_widget.setDocumentMode(True)
        self.tab_widget.setIconSize(QSize(20, 20))
        self.tab_widget.currentChanged.connect(self._current_changed)
        self.empty = _Notice("app")
        self.lock_page = _Notice("lock")
        self.lock_page.button.clicked.connect(self.unlock)
        self.stack = QStackedWidget()
        for page in (self.tab_widget, self.empty, self.lock_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.status = StatusBar(ctx)
        self.setStatusBar(self.status)
        self.status.overdue_clicked.connect(lambda: self.show_tab(OVERVIEW))
        self.status.operator_clicked.connect(self.switch_operator)

        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self._apply_idle_setting()

        ctx.hub.changed.connect(self.broadcast)
        ctx.hub.open_tab.connect(self.show_tab)
        ctx.hub.open_record.connect(self.open_record)
        ctx.hub.status_message.connect(self.status.showMessage)
        ctx.ops.changed.connect(ctx.hub.changed)
        ctx.ops.unhandled_error.connect(self._unhandled_error)
        ctx.ops.busy_changed.connect(self._busy)

        # the tab of the last session is the one built first (and the only one at start)
        self._start_key = str(ctx.settings.value(CURRENT_TAB) or "")
        self.retranslate()
        self._start_key = ""
        if not ctx.settings.restore_geometry(self, WINDOW):
            self._default_geometry()
        _forget_sources()

    # -- building ----------------------------------------------------------------------
    def retranslate(self) -> None:
        """Menus, tabs, titles and status bar again, in the current language."""
        self._update_title()
        self._build_menus()
        self._build_tabs()
        self.status.retranslate()

    def _update_title(self) -> None:
        inst = self.ctx.installation
        site = inst.site_name or inst.site_code
        self.setWindowTitle(
            _("E-banking Emergency Console") + f" — {site} · {inst.workstation_name}"
        )

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[..., object],
        shortcut: str | None = None,
        icon_name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icons.icon(icon_name))
        action.triggered.connect(slot)
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        for old in getattr(self, "actions_by_name", {}).values():
            old.deleteLater()
        self.actions_by_name: dict[str, QAction] = {}

        file_menu = bar.addMenu(_("&File"))
        file_menu.addAction(
            self._action(
                "switch_operator",
                _("Switch &operator…"),
                self.switch_operator,
                "Ctrl+L",
                "switch-operator",
            )
        )
        file_menu.addAction(
            self._action("lock", _("&Lock console"), self.lock, "Ctrl+Shift+L", "lock")
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("settings", _("&Settings…"), self.open_settings, "Ctrl+,", "settings")
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action("quit", _("&Quit"), self.close, "Ctrl+Q", "quit"))

        self.view_menu = bar.addMenu(_("&View"))
        self.view_menu.addAction(
            self._action(
                "refresh",
                _("&Refresh"),
                lambda: self.broadcast(Changes.everything()),
                "F5",
                "refresh",
            )
        )
        full = self._action(
            "fullscreen", _("&Full screen"), self._toggle_full_screen, "F11", "fullscreen"
        )
        full.setCheckable(True)
        self.view_menu.addAction(full)
        self.view_menu.addSeparator()
        # "go to tab" actions are added by _build_tabs
        audit_check.add_menu(self)  # Tools → Verify audit trail
        backup_actions.attach(self, file_menu)  # Tools (else File) → Back up now… / Restore…
        sync_menu.add_menu(self)  # Sync → panel, sync now, conflicts

        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(
            self._action(
                "copy_diagnostics", _("&Copy diagnostics"), self.copy_diagnostics, icon_name="copy"
            )
        )
        help_menu.addSeparator()
        help_menu.addAction(
            self._action("about", _("&About ebconsole"), self.about, icon_name="about")
        )
        help_menu.addAction(self._action("about_qt", _("About &Qt"), QApplication.aboutQt))

    def _visible_specs(self) -> list[TabSpec]:
        return [s for s in self.tab_specs if s.permission is None or self.ctx.can(s.permission)]

    def _build_tabs(self) -> None:
        """The tab bar again (start, language, operator): one empty page per tab; only the
        current tab is built now (its module imported), the others when first shown."""
        current = self.current_tab_key() or self._start_key
        self._drop_tabs()
        self.tab_widget.blockSignals(True)
        for spec in self._visible_specs():
            page = _TabPage(spec)
            icon = icons.icon(spec.icon_name) if spec.icon_name else QIcon()
            self.tab_widget.addTab(page, icon, spec.title())
            self.pages.append(page)
        self.tab_widget.blockSignals(False)
        for number, page in enumerate(self.pages, start=1):
            action = self._action(
                f"go_{page.key}",
                page.spec.title(),
                lambda _checked=False, key=page.key: self.show_tab(key),
                f"Ctrl+{number}" if number <= 9 else None,
                page.spec.icon_name,
            )
            self.view_menu.addAction(action)
        self._show_central()
        if current:
            self.show_tab(current)
        self._current_changed(self.tab_widget.currentIndex())

    def _built(self, page: _TabPage) -> Tab | None:
        """The page's tab, its module imported and the tab built now if it was not yet
        (None: it could not be)."""
        if page.tab is not None or page.failed:
            return page.tab
        try:
            tab = page.spec.load()(self.ctx)
        except Exception as exc:
            log.exception("tab %s failed to open", page.key)
            page.failed = True
            self.tab_failures[page.key] = exc
            notice = _Notice("app")
            notice.show_text(
                page.spec.title(), _("This work area could not be opened.") + "\n" + error_text(exc)
            )
            page.hold(notice)
            show_error(self, exc)
            return None
        tab.setObjectName(f"tab_{page.key}")
        page.tab = tab
        self._pending[id(tab)] = Changes.everything()
        page.hold(tab)
        _forget_sources()
        return tab

    def _drop_tabs(self) -> None:
        for tab in self.built_tabs():
            try:
                tab.save_state()
            except Exception:
                log.exception("tab %s failed to save its state", tab.key)
        self.tab_widget.blockSignals(True)
        while self.tab_widget.count():
            widget = self.tab_widget.widget(0)
            self.tab_widget.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self.tab_widget.blockSignals(False)
        self.pages.clear()
        self._pending.clear()

    def _show_central(self) -> None:
        if self._locked:
            self.stack.setCurrentWidget(self.lock_page)
        elif self.pages:
            self.stack.setCurrentWidget(self.tab_widget)
        else:
            if self.tab_specs:
                text = _("Your role has no work areas on this console.")
            else:
                text = _("No work areas are installed yet.")
            self.empty.show_text(_("E-banking Emergency Console"), text)
            self.stack.setCurrentWidget(self.empty)

    def _default_geometry(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        area = screen.availableGeometry()
        width = min(1360, int(area.width() * 0.9))
        height = min(860, int(area.height() * 0.9))
        self.resize(width, height)
        self.move(area.center().x() - width // 2, area.center().y() - height // 2)

    # -- tabs --------------------------------------------------------------------------
    @property
    def tabs(self) -> list[Tab]:
        """Every tab of this operator, in order, each built if it was not yet. Prefer
        `tab(key)`, `tab_keys()` or `built_tabs()`: they build at most one tab."""
        return [tab for page in self.pages if (tab := self._built(page)) is not None]

    def built_tabs(self) -> list[Tab]:
        """The tabs built so far (shown or asked for), in order."""
        return [page.tab for page in self.pages if page.tab is not None]

    def tab_keys(self) -> list[str]:
        """The keys of this operator's tabs, in order, without building any."""
        return [page.key for page in self.pages]

    def _page(self, key: str) -> _TabPage | None:
        return next((p for p in self.pages if p.key == key), None)

    def current_tab(self) -> Tab | None:
        page = self.tab_widget.currentWidget()
        return page.tab if isinstance(page, _TabPage) else None

    def current_tab_key(self) -> str | None:
        page = self.tab_widget.currentWidget()
        return page.key if isinstance(page, _TabPage) else None

    def tab(self, key: str) -> Tab | None:
        """The tab `key` (built now if it was not yet); None when the operator has none."""
        page = self._page(key)
        return self._built(page) if page is not None else None

    def show_tab(self, key: str) -> bool:
        page = self._page(key)
        if page is None:
            return False
        self.tab_widget.setCurrentWidget(page)
        self._current_changed(self.tab_widget.currentIndex())  # built and loaded if new
        return True

    def open_record(self, key: str, record_id: str) -> bool:
        """Bring tab `key` to front and let it show one record (`tab.open_record(id)`, when
        the tab has that method). False when the operator has no such tab."""
        if not self.show_tab(key):
            return False
        tab = self.tab(key)
        opener = getattr(tab, "open_record", None)
        if callable(opener) and record_id:
            try:
                opener(record_id)
            except Exception as exc:
                log.exception("tab %s failed to open record %s", key, record_id)
                show_error(self, exc)
        return True

    def _current_changed(self, index: int) -> None:
        page = self.tab_widget.widget(index)
        if isinstance(page, _TabPage):
            tab = self._built(page)
            if tab is not None:
                self._deliver(tab)

    def _deliver(self, tab: Tab) -> None:
        changes = self._pending.pop(id(tab), None)
        if not changes:
            return
        try:
            tab.refresh(changes)
        except Exception as exc:
            log.exception("tab %s failed to refresh", tab.key)
            show_error(self, exc)

    def broadcast(self, changes: Changes) -> None:
        """Every tab learns what changed: the visible one now, the others when shown (a
        tab not built yet loads everything when it is)."""
        if changes.settings:
            self._settings_changed()
        current = self.current_tab()
        for tab in self.built_tabs():
            self._pending[id(tab)] = self._pending.get(id(tab), Changes()) | changes
            if tab is current and not self._locked:
                self._deliver(tab)

    # -- settings and language ---------------------------------------------------------
    def _settings_changed(self) -> None:
        self._apply_idle_setting()
        chosen = self.ctx.settings.get(LANGUAGE)
        if chosen != self._language_setting:
            self._language_setting = chosen
            self.switch_language(resolve_language(None, self.ctx.settings))

    def _apply_idle_setting(self) -> None:
        self.idle.set_timeout(int(self.ctx.settings.get(IDLE_LOCK_MINUTES)) * 60_000)

    def switch_language(self, lang: str) -> None:
        if lang == current_language():
            return
        apply_language(lang)
        self.retranslate()
        self.ctx.hub.language_changed.emit(lang)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- operators ---------------------------------------------------------------------
    def _tabs_may_close(self) -> bool:
        return all(tab.can_close() for tab in self.built_tabs())

    def switch_operator(self) -> LoginDialog | None:
        if self._locked:
            return self.unlock()
        if not self._tabs_may_close():
            return None
        dialog = LoginDialog(
            self.ctx.db, self.ctx.ops, self.ctx.settings, mode="switch", parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_operator(dialog.actor))
        dialog.open()
        return dialog

    def set_operator(self, actor: Actor | None) -> None:
        if actor is None:
            return
        same = (
            actor.user_id == self.ctx.actor.user_id
            and actor.role == self.ctx.actor.role
            and actor.branch == self.ctx.actor.branch
        )
        self.ctx.set_actor(actor)
        if not same:
            self._build_menus()
            self._build_tabs()
        self.status.showMessage(_("{name} is now working.").format(name=actor.name), 5000)

    # -- idle lock ---------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._locked

    def lock(self) -> None:
        if self._locked:
            return
        self._locked = True
        self.lock_page.show_text(
            _("The console is locked"),
            _("{name} was working. Sign in again to continue.").format(name=self.ctx.actor.name),
            _("Unlock…"),
        )
        self.stack.setCurrentWidget(self.lock_page)
        self.menuBar().setEnabled(False)
        self.locked_changed.emit(True)

    def unlock(self) -> LoginDialog:
        dialog = LoginDialog(
            self.ctx.db,
            self.ctx.ops,
            self.ctx.settings,
            mode="unlock",
            preselect=self.ctx.actor.username,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._unlocked(dialog.actor))
        dialog.open()
        return dialog

    def _unlocked(self, actor: Actor | None) -> None:
        if actor is None:
            return
        self._locked = False
        self.menuBar().setEnabled(True)
        self.idle.reset()
        if actor != self.ctx.actor:
            self.set_operator(actor)
        self._show_central()
        tab = self.current_tab()
        if tab is not None:
            self._deliver(tab)
        self.locked_changed.emit(False)

    # -- help --------------------------------------------------------------------------
    def about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(_("About ebconsole"))
        box.setIconPixmap(icons.app_icon().pixmap(QSize(64, 64)))
        box.setText(_("E-banking Emergency Console") + f"  {__version__}")
        box.setInformativeText(
            _(
                "A console for the bank's e-banking emergency response plan: incident intake, "
                "assessment, response, resources, duty roster, drills and reports."
            )
        )
        box.open()
        return box

    def copy_diagnostics(self) -> str:
        text = diagnostics.collect(self.ctx)
        QGuiApplication.clipboard().setText(text)
        self.status.showMessage(_("Diagnostics copied to the clipboard."), 5000)
        return text

    def _toggle_full_screen(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    # -- busy, errors and closing ------------------------------------------------------
    def _unhandled_error(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _busy(self, busy: bool) -> None:
        if busy and not self._cursor_busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self._cursor_busy = True
        elif not busy and self._cursor_busy:
            QApplication.restoreOverrideCursor()
            self._cursor_busy = False

    def save_layout(self) -> None:
        self.ctx.settings.save_geometry(self, WINDOW)
        key = self.current_tab_key()
        if key:
            self.ctx.settings.set_value(CURRENT_TAB, key)
        for tab in self.built_tabs():
            tab.save_state()
        self.ctx.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._tabs_may_close():
            event.ignore()
            return
        self.save_layout()
        self.idle.stop()
        self.status.timer.stop()
        self.status.sync.driver.stop()  # no new hub sync; the one in flight finishes
        # a write in flight finishes before the program ends
        self.ctx.ops.wait(30_000)
        self._busy(False)
        event.accept()


def _forget_sources() -> None:
    """PySide6 reads the source of every module imported after it (to see whether it uses
    PySide6's __feature__ switches) and linecache keeps that text for the life of the
    process: ~30 MiB once every tab's modules are in. A traceback reads the lines it
    shows again when it needs them."""
    linecache.clearcache()
