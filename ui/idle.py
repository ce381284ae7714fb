"""Notices when nobody has touched the console for a while (to lock it)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits `idle` once after `timeout_ms` without keyboard or mouse input; input starts
    the count again. A timeout of 0 never fires."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, timeout_ms: int = 0):
        super().__init__(parent)
        self._timeout_ms = 0
        self._last = time.monotonic()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if parent is not None:
            # Leave the application's filter list while the parent (the window) starts to
            # die, before this child is torn down: an app-wide Python filter still listed
            # while its wrapper is being destroyed can be called and crash the process.
            parent.destroyed.connect(self.stop)
        self.set_timeout(timeout_ms)

    def set_timeout(self, timeout_ms: int) -> None:
        self._timeout_ms = max(0, int(timeout_ms))
        self.reset()
        if self._timeout_ms:
            # check often enough to lock within ~5 % of the timeout, at most every 5 s
            self._timer.start(max(50, min(5000, self._timeout_ms // 20)))
        else:
            self._timer.stop()

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def reset(self) -> None:
        self._last = time.monotonic()
        self._fired = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last = time.monotonic()
            self._fired = False
        return False

    def _check(self) -> None:
        if self._fired or not self._timeout_ms:
            return
        if (time.monotonic() - self._last) * 1000 >= self._timeout_ms:
            self._fired = True
            self.idle.emit()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
