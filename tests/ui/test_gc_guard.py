"""The console collects reference cycles on a UI-thread timer, never automatically."""

from __future__ import annotations

import gc
import weakref

from ebconsole.gc_pause import collector_resting
from ui.gc_guard import GarbageCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_cycles_wait_for_the_timer_on_the_ui_thread(qtbot):
    collector = GarbageCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        gc.collect()
        for _ in range(gc.get_threshold()[0] + 10):
            Node()
        assert gc.get_count()[0] > gc.get_threshold()[0]  # nothing collected them yet
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=5000)
    finally:
        collector.stop()
        gc.disable()  # the UI tests' own setting (tests/ui/conftest.py)


def test_settle_frees_start_up_garbage_and_freezes_the_rest(qtbot):
    collector = GarbageCollector(interval_ms=60_000)
    try:
        garbage = weakref.ref(Node())  # a cycle left over from start-up
        kept = Node()
        collector.settle()
        assert garbage() is None
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # later collections skip it
    finally:
        gc.unfreeze()
        collector.stop()
        gc.disable()  # the UI tests' own setting (tests/ui/conftest.py)


def test_no_collection_while_a_bulk_job_rests_the_collector(qtbot):
    collector = GarbageCollector(interval_ms=20)
    try:
        gc.collect()
        with collector_resting():
            cycle = weakref.ref(Node())
            for _ in range(gc.get_threshold()[0] + 10):
                Node()
            qtbot.wait(100)  # five ticks of the timer
            assert cycle() is not None  # nothing collected it
        qtbot.waitUntil(lambda: cycle() is None, timeout=5000)
    finally:
        collector.stop()
        gc.disable()  # the UI tests' own setting (tests/ui/conftest.py)
