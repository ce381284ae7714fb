"""Background operations: run a function off the UI thread, get the answer back on it.

    ops.read(lambda: load_rows(db), on_result=self.show_rows)
    ops.write(lambda: save(db, actor, data), changes=Changes(incidents=True),
              on_result=self.saved, on_error=self.show_errors)

* The function runs on a QThreadPool and must never touch widgets. Reads share a small
  pool; writes go to a pool of one thread, so they are serialised in submission order.
* `on_result(value)` / `on_error(exc)` / `on_progress(done, total, text)` are called on
  the UI thread. An error nobody handles is emitted as `Ops.unhandled_error` (the main
  window shows it). A callback bound to a QObject that has been deleted in the meantime
  (a tab rebuilt, a dialog closed) is skipped.
* A function that wants to report progress is submitted with `progress=True` and called
  as `fn(report)`, where `report(done, total, text="")` may be called from the worker.
* A write that succeeds broadcasts its `Changes` through `Ops.changed` (the main window
  relays it to every tab), after `on_result` ran.
* `busy_changed(True)` is emitted when work has been running for more than
  `BUSY_DELAY_MS`, `busy_changed(False)` when the last op ends: the status bar shows a
  progress bar and the wait cursor only for work a person can notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

BUSY_DELAY_MS = 300


@dataclass(frozen=True)
class Changes:
    """What an operation changed, one flag per aggregate; tabs refresh what they show."""

    incidents: bool = False
    obligations: bool = False
    organisation: bool = False
    resources: bool = False
    roster: bool = False
    drills: bool = False
    improvements: bool = False
    users: bool = False
    settings: bool = False

    @classmethod
    def everything(cls) -> Changes:
        return cls(**{f.name: True for f in fields(cls)})

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def touches(self, *names: str) -> bool:
        """True when any of the named aggregates changed (`changes.touches("incidents")`)."""
        for name in names:
            if name not in self.names():
                raise AttributeError(f"Changes has no flag {name!r}")
        return any(getattr(self, n) for n in names)

    def __or__(self, other: Changes) -> Changes:
        return replace(self, **{n: getattr(self, n) or getattr(other, n) for n in self.names()})

    def __bool__(self) -> bool:
        return any(getattr(self, n) for n in self.names())


NOTHING = Changes()


class _Relay(QObject):
    """Lives on the UI thread; the worker emits through it, so delivery is queued."""

    result = Signal(object)
    error = Signal(object)
    progress = Signal(int, int, str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], relay: _Relay, with_progress: bool):
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay
        self._with_progress = with_progress

    def run(self) -> None:
        relay = self._relay
        try:
            if self._with_progress:
                value = self._fn(
                    lambda done, total, text="": relay.progress.emit(
                        int(done), int(total), str(text)
                    )
                )
            else:
                value = self._fn()
        except BaseException as exc:  # delivered to the UI thread, never lost in a worker
            relay.error.emit(exc)
        else:
            relay.result.emit(value)


def _owner_of(callback: Callable[..., Any] | None) -> QObject | None:
    target = getattr(callback, "__self__", None)
    return target if isinstance(target, QObject) else None


class Op(QObject):
    """One submitted function. Signals fire on the UI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(
        self,
        runner: Ops,
        *,
        label: str,
        write: bool,
        changes: Changes,
        on_result: Callable[[Any], Any] | None,
        on_error: Callable[[BaseException], Any] | None,
        on_progress: Callable[[int, int, str], Any] | None,
        owner: QObject | None,
    ):
        super().__init__(runner)
        self.label = label
        self.write = write
        self.changes = changes
        self.started_at = time.monotonic()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._runner = runner
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress
        self._owners = [
            o
            for o in (owner, _owner_of(on_result), _owner_of(on_error), _owner_of(on_progress))
            if o is not None
        ]
        self.relay = _Relay(self)
        self.relay.result.connect(self._deliver_result)
        self.relay.error.connect(self._deliver_error)
        self.relay.progress.connect(self._deliver_progress)

    def _owners_alive(self) -> bool:
        return all(shiboken6.isValid(o) for o in self._owners)

    @Slot(int, int, str)
    def _deliver_progress(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)
        self._runner._op_progress(self, done, total, text)
        if self._on_progress is not None and self._owners_alive():
            self._on_progress(done, total, text)

    @Slot(object)
    def _deliver_result(self, value: Any) -> None:
        self.result = value
        try:
            if self._on_result is not None and self._owners_alive():
                self._on_result(value)
            self.succeeded.emit(value)
        finally:
            self._finish()
        if self.write and self.changes:
            self._runner.changed.emit(self.changes)

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        self.error = exc
        try:
            if self._on_error is not None:
                if self._owners_alive():
                    self._on_error(exc)
            else:
                log.debug("unhandled error in op %r", self.label, exc_info=exc)
                self._runner.unhandled_error.emit(exc)
            self.failed.emit(exc)
        finally:
            self._finish()

    def _finish(self) -> None:
        self.done = True
        self.finished.emit()
        self._runner._op_finished(self)


class Ops(QObject):
    """The runner: a read pool and a single-thread write pool."""

    busy_changed = Signal(bool)
    progress = Signal(int, int, str)  # of the op that reported last; (0, 0, label) = unknown
    changed = Signal(object)  # Changes of a successful write
    unhandled_error = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        read_threads: int = 4,
        busy_delay_ms: int = BUSY_DELAY_MS,
    ):
        super().__init__(parent)
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(read_threads)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self.write_pool.setExpiryTimeout(-1)  # keep the one writer thread
        self._active: list[Op] = []
        self._busy = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_delay_ms)
        self._busy_timer.timeout.connect(self._busy_timeout)

    # -- submitting ------------------------------------------------------------------
    def run(
        self,
        fn: Callable[..., Any],
        *,
        write: bool = False,
        label: str = "",
        changes: Changes = NOTHING,
        progress: bool = False,
        on_result: Callable[[Any], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
        on_progress: Callable[[int, int, str], Any] | None = None,
        owner: QObject | None = None,
    ) -> Op:
        op = Op(
            self,
            label=label,
            write=write,
            changes=changes,
            on_result=on_result,
            on_error=on_error,
            on_progress=on_progress,
            owner=owner,
        )
        self._active.append(op)
        if len(self._active) == 1:
            self._busy_timer.start()
        (self.write_pool if write else self.read_pool).start(_Task(fn, op.relay, progress))
        return op

    def read(self, fn: Callable[..., Any], **kwargs: Any) -> Op:
        return self.run(fn, write=False, **kwargs)

    def write(self, fn: Callable[..., Any], **kwargs: Any) -> Op:
        return self.run(fn, write=True, **kwargs)

    # -- state -----------------------------------------------------------------------
    @property
    def active(self) -> tuple[Op, ...]:
        return tuple(self._active)

    @property
    def busy(self) -> bool:
        return self._busy

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pools are idle (at shutdown; tests). Results still arrive later
        through the event loop."""
        deadline = -1 if msecs < 0 else msecs
        return self.write_pool.waitForDone(deadline) and self.read_pool.waitForDone(deadline)

    # -- bookkeeping (called by Op) --------------------------------------------------
    def _op_progress(self, op: Op, done: int, total: int, text: str) -> None:
        self.progress.emit(done, total, text or op.label)

    def _op_finished(self, op: Op) -> None:
        if op in self._active:
            self._active.remove(op)
        op.deleteLater()
        if not self._active:
            self._busy_timer.stop()
            self._set_busy(False)

    @Slot()
    def _busy_timeout(self) -> None:
        if self._active:
            self._set_busy(True)
            self.progress.emit(0, 0, self._active[-1].label)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
