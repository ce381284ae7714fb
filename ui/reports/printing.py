"""Printing a built report: its pages, rendered at the printer's resolution, drawn on a
`QPrinter` with `QPainter` (the system print dialog chooses the printer and the pages).

The drawing runs on a worker thread, not the UI thread: Qt allows a `QPainter` on a
`QImage`, `QPrinter` or `QPicture` in any thread, one thread at a time per device ("Thread
Support in Qt Modules", Painting in Threads). The tab hands the printer to the worker and
does not touch it until the job is over."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from ui.reports.render import PRINT_DPI

MIN_DPI = 150


class PrintFailed(Exception):
    """The printer could not be started or a page image could not be read."""


def prepare(printer: QPrinter, title: str) -> None:
    """A4 portrait, the whole sheet (the pages carry their own margins), named `title`."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName(title)


def print_dpi(printer: QPrinter) -> int:
    """Pages are rendered at the printer's resolution, between 150 and 300 dpi."""
    return max(MIN_DPI, min(PRINT_DPI, printer.resolution() or PRINT_DPI))


def page_range(printer: QPrinter, pages: int) -> tuple[int, int]:
    """The pages (1-based, inclusive) the print dialog asked for; all by default."""
    first, last = 1, pages
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        if printer.fromPage() > 0:
            first = max(1, min(printer.fromPage(), pages))
        if printer.toPage() > 0:
            last = max(first, min(printer.toPage(), pages))
    return first, last


class PrintCancelled(Exception):
    """The operator cancelled while pages were being sent; the print run was aborted."""


def paint_pages(
    printer: QPrinter,
    images: Sequence[Path],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Draw each page image on its own sheet, as large as the sheet allows; returns the
    number of sheets. Safe on a worker thread (QImage and QPainter on a printer);
    `progress(done, total)` after each sheet, `cancelled()` checked before each."""
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("the printer could not be started")
    try:
        sheet = painter.viewport()
        for number, path in enumerate(images):
            if cancelled is not None and cancelled():
                printer.abort()
                raise PrintCancelled()
            image = QImage(str(path))
            if image.isNull():
                raise PrintFailed(f"cannot read {path}")
            if number and not printer.newPage():
                raise PrintFailed("the printer refused a new page")
            size = image.size().scaled(sheet.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(
                sheet.x() + (sheet.width() - size.width()) // 2,
                sheet.y() + (sheet.height() - size.height()) // 2,
                size.width(),
                size.height(),
            )
            painter.drawImage(target, image)
            if progress is not None:
                progress(number + 1, len(images))
    finally:
        painter.end()
    return len(images)
