"""The status bar: who is working (always), which database, who is on duty now, how many
obligations and resource checks are overdue (a click opens the Overview), and a progress
bar while background work takes noticeable time.

The on-duty and overdue numbers come from the roster, obligations and resources services
through `probe_status` (the context's `status_probe`). A service that does not exist yet
shows nothing: never a made-up number.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStatusBar, QToolButton, QWidget
from sqlalchemy.engine import make_url

from ebconsole.db.session import Database
from ebconsole.i18n import _
from ebconsole.timeutil import utcnow
from ui import icons
from ui.context import Context
from ui.ops import Changes
from ui.sync.indicator import SyncIndicator
from ui.widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)

REFRESH_MS = 60_000  # on-duty and overdue change with the clock, not only with writes
ICON = QSize(16, 16)
ALERT_COLOUR = "#b3261e"


@dataclass(frozen=True)
class StatusSnapshot:
    on_duty: str | None = None  # names of who is on duty now; None: unknown
    overdue_obligations: int | None = None
    overdue_checks: int | None = None


def _service_function(module: str, name: str) -> Callable[..., Any] | None:
    """`module.name`, or None while that service has not been written."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def _person_text(value: Any) -> str | None:
    """Names from whatever `on_duty` returns: a name, a person or shift, or a list."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Iterable):
        names = [n for n in (_person_text(v) for v in value) if n]
        return "、".join(dict.fromkeys(names)) or None
    for attr in ("display_name", "person_name", "name", "member_name"):
        text = getattr(value, attr, None)
        if isinstance(text, str) and text.strip():
            return text.strip()
    for attr in ("person", "member", "user"):
        inner = getattr(value, attr, None)
        if inner is not None:
            return _person_text(inner)
    return None


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return len(value)
    except TypeError:
        return None


def probe_status(db: Database, now: datetime | None = None) -> StatusSnapshot:
    """Runs on a worker thread. Each part in its own read-only session; a failing part is
    logged and shown as unknown."""
    now = now or utcnow()

    def ask(module: str, name: str, call: Callable[[Callable[..., Any], Any], Any]) -> Any:
        fn = _service_function(module, name)
        if fn is None:
            return None
        try:
            with db.session(readonly=True) as s:
                return call(fn, s)
        except Exception:
            log.exception("status bar: %s.%s failed", module, name)
            return None

    return StatusSnapshot(
        on_duty=ask(
            "ebconsole.roster.service", "on_duty", lambda fn, s: _person_text(fn(now, session=s))
        ),
        overdue_obligations=ask(
            "ebconsole.obligations.service",
            "overdue_count",
            lambda fn, s: _count(fn(session=s, now=now)),
        ),
        overdue_checks=ask(
            "ebconsole.resources.service", "overdue", lambda fn, s: _count(fn(now, session=s))
        ),
    )


def database_text(db: Database) -> tuple[str, str]:
    """(short text, tooltip) naming the database without any password; the status bar
    elides the text further when space is short."""
    path = db.path
    if path is not None:
        full = str(path)
        home = str(Path.home())
        short = "~" + full[len(home) :] if full.startswith(home + os.sep) else full
        return short, _("Local database: {path}").format(path=full)
    if db.is_sqlite:
        return _("In-memory database"), db.url
    url = make_url(db.url)
    where = f"{url.host or 'localhost'}/{url.database or ''}"
    return (
        _("Shared: {where}").format(where=where),
        _("Shared database: {url}").format(url=url.render_as_string(hide_password=True)),
    )


class _IconText(QWidget):
    def __init__(self, icon_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.icon_name = icon_name
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(4)
        self.icon = QLabel()
        self.text = ElidedLabel()
        layout.addWidget(self.icon)
        layout.addWidget(self.text)
        self.reload_icon()

    def reload_icon(self) -> None:
        self.icon.setPixmap(icons.icon(self.icon_name).pixmap(ICON))


class StatusBar(QStatusBar):
    overdue_clicked = Signal()
    operator_clicked = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.snapshot = StatusSnapshot()
        self._probing = False
        self._probe_again = False

        self.busy_text = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.on_duty = _IconText("duty")
        self.overdue = QToolButton()
        self.overdue.setAutoRaise(True)
        self.overdue.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.overdue.setIconSize(ICON)
        self.overdue.clicked.connect(self.overdue_clicked)
        self.sync = SyncIndicator(ctx)  # hub sync state, pending changes, conflicts
        self.database = _IconText("database")
        self.operator = QToolButton()
        self.operator.setAutoRaise(True)
        self.operator.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.operator.setIconSize(ICON)
        self.operator.clicked.connect(self.operator_clicked)
        bold = self.operator.font()
        bold.setBold(True)  # who is working is always plain to see
        self.operator.setFont(bold)
        for widget in (
            self.busy_text,
            self.busy_bar,
            self.on_duty,
            self.overdue,
            self.sync,
            self.database,
            self.operator,
        ):
            self.addPermanentWidget(widget)
        self._show_busy(False)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_counts)
        self.timer.start()
        ctx.ops.busy_changed.connect(self._show_busy)
        ctx.ops.progress.connect(self._show_progress)
        ctx.hub.changed.connect(self._changed)
        ctx.hub.operator_changed.connect(self._operator_changed)
        self.retranslate()
        self.refresh_counts()

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every text again, in the current language (after a language switch)."""
        self.overdue.setIcon(icons.icon("overdue"))
        self.operator.setIcon(icons.icon("operator"))
        self.on_duty.reload_icon()
        self.database.reload_icon()
        self.operator.setToolTip(_("Operator now working. Click to switch operator (Ctrl+L)."))
        self.overdue.setToolTip(
            _("Overdue obligations and resource checks. Click to open the Overview.")
        )
        text, tip = database_text(self.ctx.db)
        self.database.text.setText(text)
        self.database.setToolTip(tip)
        self.show_operator()
        self._show_snapshot()
        self.sync.retranslate()

    def _operator_changed(self, _actor: object) -> None:
        self.show_operator()
        self.refresh_counts()  # a clerk's view may differ

    def show_operator(self) -> None:
        actor = self.ctx.actor
        self.operator.setText(
            _("{name} · {role}").format(name=actor.name, role=_(actor.role.label))
        )

    # -- on duty and overdue -----------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if changes.touches("roster", "obligations", "resources", "incidents"):
            self.refresh_counts()

    def refresh_counts(self) -> None:
        if self._probing:
            self._probe_again = True
            return
        self._probing = True
        probe, db = self.ctx.status_probe, self.ctx.db
        self.ctx.ops.read(
            lambda: probe(db), on_result=self._got_snapshot, on_error=self._probe_failed
        )

    def _got_snapshot(self, snapshot: StatusSnapshot) -> None:
        self.snapshot = snapshot
        self._show_snapshot()
        self._probe_done()

    def _probe_failed(self, exc: BaseException) -> None:
        log.warning("status bar probe failed: %s", exc)
        self._probe_done()

    def _probe_done(self) -> None:
        self._probing = False
        if self._probe_again:
            self._probe_again = False
            self.refresh_counts()

    def _show_snapshot(self) -> None:
        snap = self.snapshot
        self.on_duty.setVisible(bool(snap.on_duty))
        if snap.on_duty:
            self.on_duty.text.setText(_("On duty: {names}").format(names=snap.on_duty))
        parts = []
        if snap.overdue_obligations is not None:
            parts.append(_("{count} obligations").format(count=snap.overdue_obligations))
        if snap.overdue_checks is not None:
            parts.append(_("{count} checks").format(count=snap.overdue_checks))
        self.overdue.setVisible(bool(parts))
        if parts:
            self.overdue.setText(_("Overdue: {items}").format(items=" · ".join(parts)))
            alarming = (snap.overdue_obligations or 0) + (snap.overdue_checks or 0) > 0
            self.overdue.setStyleSheet(
                f"color: {ALERT_COLOUR}; font-weight: bold;" if alarming else ""
            )

    # -- busy --------------------------------------------------------------------------
    def _show_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_text.setVisible(busy)
        if busy:
            self.busy_bar.setRange(0, 0)  # moving until a progress report says more
        else:
            self.busy_text.clear()

    def _show_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.busy_bar.setRange(0, total)
            self.busy_bar.setValue(min(done, total))
        else:
            self.busy_bar.setRange(0, 0)
        self.busy_text.setText(text or _("Working…"))
