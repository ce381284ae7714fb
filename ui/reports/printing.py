"""Printing a built report: its pages, rendered at the printer's resolution, drawn on a
`QPrinter` with `QPainter` (the system print dialog chooses the printer and the pages)."""

from __future__ import annotations

from collections.abc import Sequence
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


def paint_pages(printer: QPrinter, images: Sequence[Path]) -> int:
    """Draw each page image on its own sheet, as large as the sheet allows; returns the
    number of sheets. Runs on the UI thread (QPainter on a printer)."""
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("the printer could not be started")
    try:
        sheet = painter.viewport()
        for number, path in enumerate(images):
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
    finally:
        painter.end()
    return len(images)
