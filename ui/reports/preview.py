"""The pages of a built report, shown as images in a scroll area.

Only the pages near the visible part are loaded (a 40-page status report does not hold 40
full-size images in memory); the others keep their place as empty frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

A4_RATIO = 297 / 210
MARGIN = 16
SPACING = 14
KEEP_AROUND = 2  # pages loaded above and below the visible ones


class PagePreview(QScrollArea):
    """`set_pages(paths)` shows them; `zoom` is a factor of "fit the width" (1.0)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("report_preview")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(self.palette().ColorRole.Dark)
        self.container = QWidget()
        self.container.setObjectName("report_pages")
        self.container.setStyleSheet("#report_pages { background: #7d858e; }")
        self.column = QVBoxLayout(self.container)
        self.column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self.column.setSpacing(SPACING)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message = QLabel()
        self.message.setObjectName("preview_message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: white; padding: 24px;")
        self.column.addWidget(self.message)
        self.setWidget(self.container)
        self.paths: list[Path] = []
        self.labels: list[QLabel] = []
        self.loaded: set[int] = set()
        self.zoom = 1.0
        self._ratio = A4_RATIO
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._load_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._pending.start())

    # -- content -----------------------------------------------------------------------
    def set_message(self, text: str) -> None:
        self.clear()
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def clear(self) -> None:
        for label in self.labels:
            self.column.removeWidget(label)
            label.deleteLater()
        self.labels = []
        self.paths = []
        self.loaded = set()

    def set_pages(self, paths: Sequence[Path]) -> None:
        self.clear()
        self.message.setVisible(False)
        self.paths = list(paths)
        if self.paths:
            size = QImageReader(str(self.paths[0])).size()
            if size.isValid() and size.width() > 0:
                self._ratio = size.height() / size.width()
        for number, _path in enumerate(self.paths, start=1):
            label = QLabel()
            label.setObjectName(f"page_{number}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: white; border: 1px solid #555;")
            label.setAccessibleName(f"{number}")
            self.column.addWidget(label)
            self.labels.append(label)
        self._apply_size()
        self.verticalScrollBar().setValue(0)
        self._pending.start()

    @property
    def page_count(self) -> int:
        return len(self.paths)

    def loaded_pages(self) -> list[int]:
        """Page numbers (1-based) whose image is shown right now."""
        return sorted(i + 1 for i in self.loaded)

    def set_zoom(self, factor: float) -> None:
        self.zoom = factor
        self._apply_size()
        self._pending.start()

    def scroll_to_page(self, number: int) -> None:
        if 1 <= number <= len(self.labels):
            self.verticalScrollBar().setValue(self.labels[number - 1].y() - MARGIN)

    # -- sizes and lazy loading -----------------------------------------------------
    def page_size(self) -> QSize:
        # room for the vertical scroll bar even before it shows: no horizontal bar at "fit"
        bar = self.verticalScrollBar().sizeHint().width()
        room = max(self.width() - 2 * self.frameWidth() - bar - 2 * MARGIN, 200)
        width = max(int(room * self.zoom), 120)
        return QSize(width, int(width * self._ratio))

    def _apply_size(self) -> None:
        size = self.page_size()
        for i, label in enumerate(self.labels):
            label.setFixedSize(size)
            if i in self.loaded:
                label.clear()
        self.loaded = set()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.labels:
            old = self.labels[0].size()
            if old != self.page_size():
                self._apply_size()
            self._pending.start()

    def _visible_range(self) -> tuple[int, int]:
        if not self.labels:
            return 0, -1
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        step = self.labels[0].height() + SPACING
        first = max((top - MARGIN) // max(step, 1), 0)
        last = min((bottom - MARGIN) // max(step, 1), len(self.labels) - 1)
        return max(first - KEEP_AROUND, 0), min(last + KEEP_AROUND, len(self.labels) - 1)

    def _load_visible(self) -> None:
        first, last = self._visible_range()
        wanted = set(range(first, last + 1))
        for i in self.loaded - wanted:
            self.labels[i].clear()
        ratio = self.devicePixelRatioF()
        size = self.page_size() * ratio  # sharp on high-DPI screens
        for i in sorted(wanted - self.loaded):
            pixmap = QPixmap(str(self.paths[i]))
            if pixmap.isNull():
                continue
            scaled = pixmap.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            scaled.setDevicePixelRatio(ratio)
            self.labels[i].setPixmap(scaled)
        self.loaded = {i for i in wanted if not self.labels[i].pixmap().isNull()}
