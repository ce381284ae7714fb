"""The ops runner: work off the UI thread, answers on it, writes one at a time."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject, QThread, QTimer
from PySide6.QtWidgets import QApplication

from ebconsole.errors import ValidationFailed
from ui.ops import Changes


def ui_thread() -> QThread:
    return QApplication.instance().thread()


def test_result_arrives_on_the_ui_thread(qtbot, ops):
    seen = {}

    def work():
        seen["worker"] = threading.get_ident()
        return 42

    def done(value):
        seen["value"] = value
        seen["on_ui_thread"] = QThread.currentThread() is ui_thread()

    with qtbot.waitSignal(ops.run(work, on_result=done).succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen["value"] == 42 and seen["on_ui_thread"]
    assert seen["worker"] != threading.get_ident()


def test_error_arrives_on_the_ui_thread_and_nothing_else(qtbot, ops):
    got = {}

    def work():
        raise ValidationFailed.one("required", "title")

    def failed(exc):
        got["exc"] = exc
        got["on_ui_thread"] = QThread.currentThread() is ui_thread()

    op = ops.run(work, on_result=lambda _v: got.setdefault("result", True), on_error=failed)
    with qtbot.waitSignal(op.failed, timeout=5000):
        pass
    assert isinstance(got["exc"], ValidationFailed) and got["on_ui_thread"]
    assert "result" not in got


def test_an_error_nobody_handles_is_reported(qtbot, ops):
    with qtbot.waitSignal(ops.unhandled_error, timeout=5000) as blocker:
        ops.read(lambda: 1 / 0)
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_the_ui_keeps_running_while_work_is_slow(qtbot, ops):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    op = ops.read(lambda: time.sleep(0.5) or "slow")
    assert not op.done  # run() returned at once
    with qtbot.waitSignal(op.succeeded, timeout=5000):
        pass
    timer.stop()
    assert len(ticks) >= 10  # the event loop went on while the worker slept


def test_writes_run_one_at_a_time_in_order(qtbot, ops):
    running, overlap, order = [0], [False], []
    lock = threading.Lock()

    def write(n):
        def work():
            with lock:
                running[0] += 1
                overlap[0] |= running[0] > 1
            time.sleep(0.03)
            order.append(n)
            with lock:
                running[0] -= 1
            return n

        return work

    last = None
    for n in range(6):
        last = ops.write(write(n))
    with qtbot.waitSignal(last.succeeded, timeout=5000):
        pass
    qtbot.waitUntil(lambda: not ops.active)
    assert order == list(range(6))
    assert not overlap[0]


def test_reads_may_run_side_by_side(qtbot, ops):
    barrier = threading.Barrier(2, timeout=5)
    first = ops.read(barrier.wait)
    second = ops.read(barrier.wait)  # both must be running at once to pass the barrier
    qtbot.waitUntil(lambda: first.done and second.done, timeout=5000)
    assert first.error is None and second.error is None


def test_busy_shows_only_for_work_a_person_notices(qtbot, ops):
    assert ops._busy_timer.interval() == 300
    events = []
    ops.busy_changed.connect(events.append)
    quick = ops.read(lambda: time.sleep(0.02))
    qtbot.waitUntil(lambda: quick.done, timeout=5000)
    qtbot.wait(350)
    assert events == []
    slow = ops.read(lambda: time.sleep(0.6))
    qtbot.waitUntil(lambda: len(events) == 1, timeout=5000)
    assert events == [True] and not slow.done  # busy while the slow one runs
    qtbot.waitUntil(lambda: len(events) == 2, timeout=5000)
    assert events == [True, False]


def test_progress_is_reported_on_the_ui_thread(qtbot, ops):
    reports = []

    def work(report):
        for i in range(1, 4):
            report(i, 3, f"第{i}步")
        return "ok"

    op = ops.read(
        work,
        progress=True,
        on_progress=lambda d, t, text: reports.append(
            (d, t, text, QThread.currentThread() is ui_thread())
        ),
    )
    with qtbot.waitSignal(op.succeeded, timeout=5000):
        pass
    assert reports == [(1, 3, "第1步", True), (2, 3, "第2步", True), (3, 3, "第3步", True)]


def test_a_successful_write_broadcasts_its_changes(qtbot, ops):
    got = []
    ops.changed.connect(got.append)
    op = ops.write(lambda: "saved", changes=Changes(incidents=True, obligations=True))
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert got == [Changes(incidents=True, obligations=True)]
    failing = ops.write(lambda: 1 / 0, changes=Changes(incidents=True), on_error=lambda e: None)
    with qtbot.waitSignal(failing.finished, timeout=5000):
        pass
    assert len(got) == 1  # nothing changed when the write failed


def test_callbacks_of_a_deleted_widget_are_skipped(qtbot, ops):
    class Receiver(QObject):
        def __init__(self):
            super().__init__()
            self.got = []

        def take(self, value):
            self.got.append(value)

    receiver = Receiver()
    op = ops.read(lambda: time.sleep(0.1) or 1, on_result=receiver.take)
    import shiboken6

    shiboken6.delete(receiver)
    with qtbot.waitSignal(op.succeeded, timeout=5000):
        pass  # no "Internal C++ object already deleted" error


def test_changes_combine_and_tell_what_they_touch():
    both = Changes(incidents=True) | Changes(roster=True)
    assert both.touches("roster") and both.touches("incidents", "drills")
    assert not both.touches("drills")
    assert not Changes() and Changes.everything().touches(*Changes.names())
    with pytest.raises(AttributeError):
        both.touches("incident")  # a typo fails loudly instead of never refreshing
