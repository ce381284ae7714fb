"""Python's cyclic garbage collector, run only where it is safe for Qt.

Left automatic, the collector runs at any allocation: on a worker thread, or on the UI
thread in the middle of an event handler (an event filter, a paint). If the garbage it
frees includes Qt objects, they are deleted there — off their thread or under the
handler that is still using them — and PySide crashes the process. So automatic
collection is switched off and a timer on the UI thread collects between events, the
way Anki's desktop client does. Reference counting still frees everything that is not
in a cycle at once; only cycles wait for the timer.

Once the console has started, `settle` moves everything it has loaded so far (modules,
mappers, Qt wrappers: ~95 000 objects that live as long as the process) out of the
collector's sight with `gc.freeze`. A full collection walked them all: ~150 ms of CPU on
the UI thread, holding the GIL while a save ran on the worker. After it, a collection
walks only what was made since.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from ebconsole.gc_pause import resting

INTERVAL_MS = 1000


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)

    def collect(self) -> None:
        if resting():  # a bulk job's rows are alive until it ends: nothing to free
            return
        # the generations the automatic collector would have run by now, oldest first
        gen0, gen1, gen2 = gc.get_count()
        if gen2 > self._threshold[2]:
            gc.collect(2)
        elif gen1 > self._threshold[1]:
            gc.collect(1)
        elif gen0 > self._threshold[0]:
            gc.collect(0)

    def settle(self) -> None:
        """Free what start-up left behind, then freeze the rest: it lives as long as the
        process, so later collections need not walk it."""
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
