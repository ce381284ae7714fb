"""Work-arounds for defects of the installed Qt binding, each applied only when a probe
shows the defect is present.

PySide6 6.12.0: `SignalInstance.emit()` returns `True` without taking a reference, so
every emit made from Python drops one reference of the `True` singleton. On Python 3.11
(where `True` is not immortal) the interpreter aborts with "bool_dealloc: deallocating
True or False" once a few thousand signals have been emitted: a console left running in
a duty room would crash. 6.11.x does not have the defect. The mend gives the reference
back after each emit.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

PROBES = 16


class _Probe(QObject):
    fired = Signal()


def emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _i in range(PROBES):
        probe.fired.emit()
    return before - sys.getrefcount(True) >= PROBES


_mended = False


def mend_signal_emit() -> bool:
    """Patch `SignalInstance.emit` if it leaks; True when the patch was applied."""
    global _mended
    if _mended or not emit_drops_a_reference():
        return _mended
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        incref(result)  # the reference emit() forgot to take
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
    _mended = True
    return True
