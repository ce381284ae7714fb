"""The background sync with the hub: a timer runs `HubSync.run_once()` every few minutes
on a worker thread of its own, never on the UI thread, never two runs at once.

    driver = SyncDriver(ctx, parent)      # reads the hub URL from the settings
    driver.status_changed.connect(...)    # a SyncStatus (or None before the first read)
    driver.sync_now()                     # "Sync now"; ignored while a run is going on
    driver.stop()                         # at close: no new run, waits for the current one

The first run comes a few seconds after start (or after the hub URL changed), then one
every `sync/interval_minutes`. Without a hub URL (setting `sync/hub_url`, else $EBCONSOLE_HUB_URL) the workstation is
standalone: no timer, no run; the status (pending changes, conflicts) is still read.
A run that received changes tells every tab through `hub.changed` so they refresh.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ebconsole.settings import HUB_URL, SYNC_INTERVAL_MINUTES
from ebconsole.sync.hub import HUB_ENV, HubSync, SyncResult
from ebconsole.sync.service import SyncStatus, sync_status
from ui.context import Context
from ui.ops import Changes, Ops

log = logging.getLogger(__name__)

STOP_WAIT_MS = 30_000
FIRST_RUN_MS = 3_000  # after start, or after the hub URL changed: sync soon, not in N minutes
# what records arriving from elsewhere may have changed (settings stay this workstation's)
EVERYTHING_BUT_SETTINGS = replace(Changes.everything(), settings=False)


class SyncDriver(QObject):
    status_changed = Signal(object)  # SyncStatus
    running_changed = Signal(bool)
    progressed = Signal(str, int, int)  # phase ("push"/"pull"), done, total (-1: unknown)
    finished = Signal(object)  # SyncResult of a run
    failed = Signal(object)  # an unexpected exception of a run

    def __init__(self, ctx: Context, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.status: SyncStatus | None = None
        self.last_result: SyncResult | None = None
        self.running = False
        self.stopped = False
        self._reading = False
        self._read_again = False
        self._hub_url = ""
        # runs go to a pool of their own: a slow or unreachable hub never holds up the
        # console's reads and writes nor shows the wait cursor
        self._runner = Ops(self, read_threads=1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(FIRST_RUN_MS)
        self.soon.timeout.connect(self.sync_now)
        ctx.hub.changed.connect(self._changed)
        self.apply_settings()

    # -- configuration -----------------------------------------------------------------
    @property
    def hub_url(self) -> str:
        return self._hub_url

    @property
    def standalone(self) -> bool:
        return not self._hub_url

    def apply_settings(self) -> None:
        """Read the hub URL and interval again; (re)start or stop the timer."""
        url = str(self.ctx.settings.get(HUB_URL) or "").strip() or os.environ.get(HUB_ENV, "")
        changed = url.strip() != self._hub_url
        self._hub_url = url.strip()
        minutes = int(self.ctx.settings.get(SYNC_INTERVAL_MINUTES))
        self.timer.setInterval(max(1, minutes) * 60_000)
        if self.standalone or self.stopped:
            self.timer.stop()
            self.soon.stop()
        else:
            if not self.timer.isActive():
                self.timer.start()
            if changed:  # a new hub (or the console just started): first run soon
                self.soon.start()
        self.refresh_status()

    def _changed(self, changes: Changes) -> None:
        if self.stopped:
            return
        if changes.touches("settings"):
            self.apply_settings()
        else:
            self.refresh_status()  # a write adds a pending change

    # -- status ------------------------------------------------------------------------
    def refresh_status(self) -> None:
        if self.stopped:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        self.ctx.read(
            lambda s: sync_status(session=s),
            on_result=self._got_status,
            on_error=self._status_failed,
            owner=self,
        )

    def _got_status(self, status: SyncStatus) -> None:
        self._reading = False
        self._set_status(status)
        self._again()

    def _status_failed(self, exc: BaseException) -> None:
        self._reading = False
        log.warning("sync status could not be read: %s", exc)
        self._again()

    def _again(self) -> None:
        if self._read_again:
            self._read_again = False
            self.refresh_status()

    def _set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    # -- runs --------------------------------------------------------------------------
    def sync_now(self) -> bool:
        """Start a run on the worker; False when standalone, stopped or already running."""
        if self.running or self.stopped or self.standalone:
            return False
        self.running = True
        self.running_changed.emit(True)
        db, url, actor = self.ctx.db, self._hub_url, None

        def work(report: Any) -> SyncResult:
            hub = HubSync(
                db,
                url,
                actor=actor,
                progress=lambda phase, done, total: report(
                    done, -1 if total is None else total, phase
                ),
            )
            try:
                return hub.run_once()
            finally:
                hub.close()

        self._runner.read(
            work,
            progress=True,
            on_result=self._run_done,
            on_error=self._run_failed,
            on_progress=self._run_progress,
            owner=self,
        )
        return True

    def _run_progress(self, done: int, total: int, phase: str) -> None:
        self.progressed.emit(phase, done, total)

    def _run_done(self, result: SyncResult) -> None:
        self.running = False
        self.last_result = result
        self.running_changed.emit(False)
        if result.status is not None:
            self._set_status(result.status)
        self.finished.emit(result)
        if result.pulled or result.conflicts:
            # records arrived from other workstations: every tab refreshes
            self.ctx.hub.changed.emit(EVERYTHING_BUT_SETTINGS)

    def _run_failed(self, exc: BaseException) -> None:
        self.running = False
        self.running_changed.emit(False)
        log.warning("sync run failed: %s", exc, exc_info=exc)
        self.failed.emit(exc)
        self.refresh_status()

    def stop(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """No further run; wait for the one in flight. True when nothing is left running."""
        self.stopped = True
        self.timer.stop()
        self.soon.stop()
        return self._runner.wait(wait_ms)
