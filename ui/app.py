"""Starting the desktop console: application, language, fonts, database, first run or
sign-in, then the main window. `ebconsole` (no command) and `ebconsole gui` call
`run_gui`."""

from __future__ import annotations

import linecache
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import ArgumentError, OperationalError

from ebconsole import __version__
from ebconsole.actor import Actor
from ebconsole.db.session import Database, default_database_url
from ebconsole.errors import EbError
from ebconsole.i18n import _, current_language, translator
from ebconsole.logs import setup_logging
from ebconsole.paths import APP_NAME
from ebconsole.settings import BACKUP_FOLDER
from ui import icons
from ui.context import Context, Hub, InstallationInfo
from ui.errors import error_text, install_excepthook, show_error
from ui.fonts import MISSING_FONT, apply_cjk_font
from ui.gc_guard import GarbageCollector
from ui.i18n import apply_language, resolve_language
from ui.ops import Ops
from ui.settings_store import SettingsStore

# Imported where they are used, not here: the first-run wizard (pydantic, the set-up and
# sync code) only on an empty database, the sign-in dialog only when someone types a
# password, the main window only after the sign-in. What is loaded when Argon2 takes its
# 64 MiB is the process's peak (docs/performance.md, "Peak memory").
if TYPE_CHECKING:
    from ebconsole.db.migrate import OpenResult
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR, EXIT_DATABASE = 0, 1, 2

# For the benchmarks (tests/perf): sign in unattended as this operator, with the password
# from EBCONSOLE_AUTOLOGIN_PASSWORD (both or neither; checked by the real login), and,
# with EBCONSOLE_EXIT_WHEN_IDLE=1, print IDLE_MARKER and quit once the main window is
# shown and its first background loads are done.
AUTOLOGIN_USER_ENV = "EBCONSOLE_AUTOLOGIN_USER"
AUTOLOGIN_PASSWORD_ENV = "EBCONSOLE_AUTOLOGIN_PASSWORD"
EXIT_WHEN_IDLE_ENV = "EBCONSOLE_EXIT_WHEN_IDLE"
IDLE_MARKER = "EBCONSOLE_IDLE"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, named and iconed (or the one that already exists)."""
    app = QApplication.instance()
    if app is None:
        # Qt 6 scales for high-DPI screens by itself; pass fractional factors through
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        if sys.platform == "win32":  # the taskbar shows our icon, not Python's
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID("ebconsole.console")
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    return app


def configure_application(app: QApplication) -> None:
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(icons.app_icon())


def set_up_language(app: QApplication, explicit: str | None, store: SettingsStore) -> str:
    """Apply the language and a Chinese-capable font. Without such a font the console
    says which package to install and runs in English (Chinese would be empty boxes)."""
    lang = apply_language(resolve_language(explicit, store))
    if apply_cjk_font(app) is None:
        log.warning("no CJK font installed")
        if lang != "en":
            lang = apply_language("en")
        box = QMessageBox(QMessageBox.Icon.Warning, "ebconsole", translator("en")(MISSING_FONT))
        box.exec()
    app.setApplicationDisplayName(_("E-banking Emergency Console"))
    return lang


def set_up_logging() -> None:
    """The rotating log file in the user log folder (ebconsole.logs), unless the caller
    configured logging."""
    setup_logging()


@dataclass(frozen=True)
class Opened:
    db: Database
    result: OpenResult
    initialised: bool


def open_database(url: str | None, backup_dir: Path | None) -> Opened:
    """Runs off the UI thread: connect, create/upgrade/refuse, look for an installation."""
    from ebconsole.db.migrate import prepare
    from ebconsole.users import service as users

    try:
        db = Database(url)
        result = prepare(db, backup_dir=backup_dir)
        with db.session(readonly=True) as s:
            initialised = users.get_installation(session=s) is not None
    except (OperationalError, ArgumentError) as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise EbError.one("db_unreachable", "database", detail=detail) from exc
    return Opened(db, result, initialised)


class Launcher(QObject):
    """Database → first-run wizard or sign-in → main window, one step after another,
    never blocking the event loop. `finished(code)` when the console should end."""

    finished = Signal(int)
    window_shown = Signal(object)

    def __init__(
        self,
        db_url: str | None,
        settings: SettingsStore,
        *,
        ops: Ops | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.db_url = db_url
        self.settings = settings
        self.ops = ops or Ops(self)
        self.ops.unhandled_error.connect(self._unhandled_error)
        self.hub = Hub(self)
        self.db: Database | None = None
        self.opened: Opened | None = None
        self.dialog: QWidget | None = None
        self.window: MainWindow | None = None
        self.context: Context | None = None

    def _unhandled_error(self, exc: BaseException) -> None:
        if self.window is None:  # afterwards the main window shows them
            show_error(self.dialog, exc)

    def start(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # dialogs come and go before the main window; only its closing ends the program
            app.setQuitOnLastWindowClosed(False)
        # the source text PySide6 read at every import (see ui.main_window) is not kept
        # while Argon2 takes its 64 MiB: the modules still to come reuse that memory
        linecache.clearcache()
        url = self.db_url
        # the backup settings are kept next to the database (shared with `ebconsole backup`)
        self.settings.use_database(url or default_database_url())
        folder = self.settings.get(BACKUP_FOLDER)
        self.ops.write(
            lambda: open_database(url, Path(folder) if folder else None),
            label=_("Opening the database…"),
            on_result=self._opened,
            on_error=self._open_failed,
        )

    def _open_failed(self, exc: BaseException) -> None:
        log.error("database not opened: %s", exc, exc_info=not isinstance(exc, EbError))
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            _("Database"),
            _("The console cannot start.") + "\n\n" + error_text(exc),
        )
        box.setWindowIcon(icons.app_icon())
        self.dialog = box
        box.finished.connect(lambda _code: self.finished.emit(EXIT_DATABASE))
        box.open()

    def _opened(self, opened: Opened) -> None:
        self.opened = opened
        self.db = opened.db
        if opened.initialised:
            self._sign_in()
        else:
            from ui.dialogs.first_run import FirstRunWizard

            wizard = FirstRunWizard(opened.db, self.ops)
            self.dialog = wizard
            wizard.finished.connect(self._wizard_finished)
            wizard.show()

    def _wizard_finished(self, _result: int) -> None:
        from ui.dialogs.first_run import FirstRunWizard

        wizard = self.dialog
        assert isinstance(wizard, FirstRunWizard)
        if wizard.actor is None:
            if wizard.joined:  # the bank's accounts arrived: sign in with one of them
                self._sign_in()
            else:
                self.finished.emit(EXIT_OK)
            return
        self._enter(wizard.actor)

    def _sign_in(self) -> None:
        assert self.db is not None
        user = os.environ.get(AUTOLOGIN_USER_ENV, "").strip()
        password = os.environ.get(AUTOLOGIN_PASSWORD_ENV, "")
        if user and password:
            from ebconsole.users.login import login

            db = self.db
            self.ops.write(
                lambda: login(db, user, password), on_result=self._enter, on_error=self._open_failed
            )
            return
        from ui.dialogs.login import LoginDialog

        dialog = LoginDialog(self.db, self.ops, self.settings, mode="start")
        self.dialog = dialog
        dialog.finished.connect(self._login_finished)
        dialog.show()

    def _login_finished(self, _result: int) -> None:
        from ui.dialogs.login import LoginDialog

        dialog = self.dialog
        assert isinstance(dialog, LoginDialog)
        if dialog.actor is None:
            self.finished.emit(EXIT_OK)
            return
        self._enter(dialog.actor)

    def _enter(self, actor: Actor) -> None:
        db = self.db
        assert db is not None
        self.ops.read(
            lambda: InstallationInfo.load(db),
            on_result=lambda info: self._show_window(actor, info),
            on_error=self._open_failed,
        )

    def _show_window(self, actor: Actor, info: InstallationInfo) -> None:
        assert self.db is not None
        from ui.main_window import MainWindow  # after the sign-in: not held during Argon2

        self.context = Context(self.db, actor, self.ops, self.hub, self.settings, info)
        self.window = MainWindow(self.context)
        self.window.show()
        self.dialog = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(True)
        self._announce_upgrade()
        self.window_shown.emit(self.window)

    def _announce_upgrade(self) -> None:
        opened = self.opened
        if opened is None or not opened.result.upgraded_from or self.window is None:
            return
        text = _("The database was upgraded from schema {old}.").format(
            old=opened.result.upgraded_from
        )
        if opened.result.backup:
            text += " " + _("A backup was saved first: {path}").format(path=opened.result.backup)
        self.window.status.showMessage(text)

    def shutdown(self) -> None:
        self.ops.wait(30_000)
        if self.db is not None:
            self.db.dispose()


def run_gui(db_url: str | None = None, lang: str | None = None) -> int:
    """Run the desktop console until it is closed; returns the process exit code."""
    set_up_logging()
    app = create_application()
    collector = GarbageCollector(app)  # cycles are freed between events, on this thread
    install_excepthook()
    store = SettingsStore()
    set_up_language(app, lang, store)
    launcher = Launcher(db_url, store)
    launcher.finished.connect(app.exit)
    # what start-up loaded lives as long as the process: later collections skip it
    launcher.window_shown.connect(lambda _w: collector.settle())
    if os.environ.get(EXIT_WHEN_IDLE_ENV) == "1":
        launcher.window_shown.connect(lambda _w: _exit_when_idle(launcher.ops, app.exit))
    QTimer.singleShot(0, launcher.start)
    code = app.exec()
    launcher.shutdown()
    collector.stop()
    log.info("ebconsole %s ended (%s, %s)", __version__, current_language(), code)
    return code


def _exit_when_idle(ops: Ops, quit_app: Callable[[int], object]) -> None:
    """Once no background op is running and the event queue is empty: print the marker
    with the process's peak memory (KiB) and quit with EXIT_OK (see EXIT_WHEN_IDLE_ENV)."""

    def check() -> None:
        # `active`, not `busy`: busy turns on only 300 ms after an op starts
        if ops.active:
            QTimer.singleShot(10, check)
            return
        try:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        except ImportError:  # Windows
            peak = 0
        print(f"{IDLE_MARKER} maxrss_kib={peak}", flush=True)
        quit_app(EXIT_OK)

    QTimer.singleShot(0, check)
