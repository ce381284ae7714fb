"""The desktop console (PySide6): the only place Qt lives. Entry point: ui.app.run_gui."""

from ui.qt_compat import mend_signal_emit

mend_signal_emit()
