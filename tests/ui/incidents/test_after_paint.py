"""The Incidents tab's rows are painted before what they start (the total, the selected
incident's details): `AfterPaint` runs such work once the table has painted, at once for
a hidden table, and after PAINT_WAIT_MS for one that never paints."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

import ui.tabs.incidents_tab as incidents_tab
from ui.tabs.incidents_tab import AfterPaint


class Recorder(QObject):
    """Notes each paint of the widget it watches, in order with the work that runs."""

    def __init__(self, widget: QWidget, log: list[str]):
        super().__init__(widget)
        self.log = log
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.log.append("paint")
        return False


def test_work_runs_after_the_next_paint(qtbot, monkeypatch):
    monkeypatch.setattr(incidents_tab, "PAINT_WAIT_MS", 60_000)  # only a paint releases it
    widget = QWidget()
    qtbot.addWidget(widget)
    after = AfterPaint(widget)
    log: list[str] = []
    after(lambda: log.append("hidden"))
    assert log == ["hidden"]  # nothing will be painted: at once
    widget.show()
    qtbot.waitExposed(widget)
    QApplication.processEvents()
    Recorder(widget, log)
    log.clear()
    after(lambda: log.append("work"))
    widget.update()
    qtbot.waitUntil(lambda: "work" in log, timeout=10_000)
    assert log.index("paint") < log.index("work")


def test_work_does_not_wait_for_a_paint_that_never_comes(qtbot, monkeypatch):
    monkeypatch.setattr(incidents_tab, "PAINT_WAIT_MS", 50)
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setUpdatesEnabled(False)  # a window that is not painted (minimised, covered)
    after = AfterPaint(widget)
    log: list[str] = []
    after(lambda: log.append("work"))
    qtbot.waitUntil(lambda: log == ["work"], timeout=10_000)
