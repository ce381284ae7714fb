"""The stop-payment countdown (紧急止付): "剩余 HH:MM:SS" until the stop runs out, ticking
every second, red in its last hours and once it has expired."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from ebconsole.i18n import _
from ebconsole.timeutil import format_local, utcnow
from ui.models.incidents_model import ALERT, OK, WARN

URGENT = timedelta(hours=6)


def remaining_text(left: timedelta) -> str:
    seconds = max(0, int(left.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return _("{h:02d}:{m:02d}:{s:02d} left").format(h=hours, m=minutes, s=seconds)


class Countdown(QLabel):
    """Shows the time left until `expires_at`; `clock` is replaceable for tests."""

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], datetime] = utcnow):
        super().__init__(parent)
        self.clock = clock
        self.expires_at: datetime | None = None
        self.done = False
        self.state = "none"  # none, running, urgent, expired, done
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self.setVisible(False)

    def set_expiry(self, expires_at: datetime | None, *, done: bool = False) -> None:
        self.expires_at = expires_at
        self.done = done
        self.tick()
        if expires_at is not None and not done:
            self._timer.start()
        else:
            self._timer.stop()

    def tick(self) -> None:
        if self.expires_at is None:
            self.state = "none"
            self.setVisible(False)
            return
        self.setVisible(True)
        until = format_local(self.expires_at)
        if self.done:
            self.state = "done"
            self.setText(_("Stop-payment handled (expiry {time})").format(time=until))
            colour = OK
        else:
            left = self.expires_at - self.clock()
            if left <= timedelta(0):
                self.state = "expired"
                self.setText(_("Stop-payment expired at {time}").format(time=until))
                colour = ALERT
                self._timer.stop()
            else:
                self.state = "urgent" if left < URGENT else "running"
                self.setText(
                    _("Stop-payment: {left} (until {time})").format(
                        left=remaining_text(left), time=until
                    )
                )
                colour = ALERT if left < URGENT else WARN
        self.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")
        self.setToolTip(_("The stop-payment runs out at {time}").format(time=until))
