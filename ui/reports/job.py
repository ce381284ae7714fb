"""Building a report off the UI thread: gather the data, lay the PDF out, render the
preview pages. Only plain values go in and come out (paths, numbers, strings)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtPrintSupport import QPrinter

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from ebconsole.reports.builders import BuildOptions, spec_for
from ebconsole.reports.builders.registry import gather
from ui.reports import printing, render

if TYPE_CHECKING:
    from ebconsole.reports.fonts import FontChoice

Report = Callable[..., None]  # ops' progress callback: report(done, total, text="")


def resolve_fonts(configured: str | None = None) -> FontChoice:
    """The report fonts (`ebconsole.reports.fonts.resolve_fonts`), imported at the first
    build: reportlab (87 modules) stays out of the console's start."""
    from ebconsole.reports.fonts import resolve_fonts as resolve

    return resolve(configured)


class Cancelled(Exception):
    """The operator cancelled the build; nothing was written."""


@dataclass(frozen=True)
class Texts:
    """The progress texts, translated on the UI thread before the job starts."""

    gathering: str
    laying_out: str
    rendering: str


@dataclass(frozen=True)
class PrintTexts:
    """The printing progress texts, translated on the UI thread."""

    rendering: str  # the pages rendered at the printer's resolution
    sending: str  # drawn on the printer


@dataclass(frozen=True)
class Built:
    kind: str
    params: dict[str, Any]
    path: Path
    pages: int
    report_id: str
    embedded_font: bool
    font_hint: str
    images: tuple[Path, ...] = ()  # preview pages; empty without a renderer
    renderer_missing: bool = False
    render_error: str = ""


@dataclass
class CancelFlag:
    event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.event.set()

    @property
    def cancelled(self) -> bool:
        return self.event.is_set()


def build_report(
    report: Report,
    *,
    db: Database,
    kind: str,
    params: Mapping[str, Any],
    folder: Path,
    lang: str,
    author: str,
    font: str | None,
    texts: Texts,
    cancel: CancelFlag,
    preview_dpi: int = render.PREVIEW_DPI,
    actor: Actor | None = None,
) -> Built:
    """Runs on a worker: progress 0–10 gathering, 10–80 the PDF, 80–100 the preview."""
    spec = spec_for(kind)
    checked = spec.check(params)
    report(0, 100, texts.gathering)
    data = gather(db, kind, checked, actor=actor)  # the core checks the role and branch
    if cancel.cancelled:
        raise Cancelled()

    def on_build(done: int, total: int) -> None:
        if cancel.cancelled:
            raise Cancelled()  # stops the build; nothing is written
        report(10 + 70 * done // max(total, 1), 100, texts.laying_out)

    path = folder / f"{kind}.pdf"
    options = BuildOptions(
        lang=lang, author=author, fonts=resolve_fonts(font or None), progress=on_build
    )
    result = spec.build(data, path, options)
    built = Built(
        kind=kind,
        params=dict(checked),
        path=result.path,
        pages=result.pages,
        report_id=result.report_id,
        embedded_font=result.embedded_font,
        font_hint=result.font_hint,
    )
    if render.renderer() is None:
        return replace(built, renderer_missing=True)
    report(80, 100, texts.rendering)
    try:
        images = render.rasterise(
            path,
            folder / "preview",
            dpi=preview_dpi,
            expected=result.pages,
            progress=lambda done, total: report(
                80 + 20 * done // max(total, 1), 100, texts.rendering
            ),
            cancelled=lambda: cancel.cancelled,
        )
    except render.RenderCancelled:
        raise Cancelled() from None
    except (render.RenderError, OSError) as exc:
        return replace(built, render_error=str(exc))
    return replace(built, images=tuple(images))


def print_report(
    report: Report,
    *,
    printer: QPrinter,
    pdf: Path,
    folder: Path,
    dpi: int,
    first: int,
    last: int,
    texts: PrintTexts,
    cancel: CancelFlag,
) -> int:
    """On a worker: pages `first`…`last` rendered at the printer's resolution (progress
    0–50), then drawn on `printer` (50–100); returns the sheets sent. The page images are
    removed afterwards. The caller leaves `printer` alone until this returns."""
    report(0, 100, texts.rendering)
    try:
        images = render.rasterise(
            pdf,
            folder,
            dpi=dpi,
            prefix="print",
            first=first,
            last=last,
            expected=last - first + 1,
            progress=lambda done, total: report(50 * done // max(total, 1), 100, texts.rendering),
            cancelled=lambda: cancel.cancelled,
        )
    except render.RenderCancelled:
        raise Cancelled() from None
    try:
        report(50, 100, texts.sending)
        return printing.paint_pages(
            printer,
            images,
            progress=lambda done, total: report(
                50 + 50 * done // max(total, 1), 100, texts.sending
            ),
            cancelled=lambda: cancel.cancelled,
        )
    except printing.PrintCancelled:
        raise Cancelled() from None
    finally:
        for image in images:
            image.unlink(missing_ok=True)
