"""Typing as a person does: ASCII key by key, Chinese through the input method.

`qtbot.keyClicks` aborts on characters outside Latin-1 (QTest maps each character to a
key); a Chinese user's text arrives as an input-method commit, so that is what is sent.

    from tests.ui.typing import type_text
    type_text(qtbot, dialog.customer_name, "张丽 13800138000")
"""

from __future__ import annotations

import itertools

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(qtbot, widget: QWidget, text: str, *, clear: bool = True) -> None:
    if clear and hasattr(widget, "clear"):
        widget.clear()
    widget.setFocus()
    for is_ascii, run in itertools.groupby(text, key=lambda ch: ord(ch) < 128):
        chunk = "".join(run)
        if is_ascii:
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)
