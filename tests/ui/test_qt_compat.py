"""Emitting signals from Python must not leak or steal references (PySide6 6.12.0 did)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ui.qt_compat import emit_drops_a_reference


class Emitter(QObject):
    number = Signal(int)
    flag = Signal(bool)


def test_emitting_from_python_keeps_the_bool_singletons_alive():
    emitter = Emitter()
    got = []
    emitter.flag.connect(got.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(5000):  # enough to abort an unmended PySide6 6.12.0
        emitter.number.emit(i)
        emitter.flag.emit(i % 2 == 0)
    got.clear()
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert after[0] >= before[0] and after[1] >= before[1]
    assert not emit_drops_a_reference()
