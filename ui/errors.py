"""Showing errors: the core's errors in the operator's language, anything unexpected with
its details (and logged), never a bare traceback on the console."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ebconsole.errors import EbError
from ebconsole.i18n import _

log = logging.getLogger("ebconsole.ui")


def error_text(exc: BaseException) -> str:
    if isinstance(exc, EbError):
        return exc.message(_)
    return _("An unexpected error occurred: {error}").format(error=f"{type(exc).__name__}: {exc}")


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> QMessageBox:
    """A non-blocking message box (`open()`); unexpected errors carry their traceback."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, EbError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(title or _("Error"))
    box.setText(error_text(exc))
    if not isinstance(exc, EbError):
        log.error("unexpected error", exc_info=exc)
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.open()
    return box


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    log.critical("uncaught exception", exc_info=(kind, exc, tb))
    if QApplication.instance() is not None and not isinstance(exc, KeyboardInterrupt):
        show_error(QApplication.activeWindow(), exc.with_traceback(tb))
    else:
        sys.__excepthook__(kind, exc, tb)


def install_excepthook() -> None:
    """An exception escaping a slot is logged and shown instead of lost on stderr."""
    sys.excepthook = _excepthook
