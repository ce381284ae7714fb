"""PDF pages as images, for the preview and for printing.

PySide6-Essentials has no QtPdf, so pages are rasterised by poppler's `pdftoppm` (Debian
and Ubuntu: `poppler-utils`; Windows: a poppler build on PATH or `$EBCONSOLE_PDFTOPPM`)
into PNG files in a folder. Without it the console still builds and saves reports, and
says that it cannot show or print them itself.

Nothing here touches widgets: it runs on a worker thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ENV_RENDERER = "EBCONSOLE_PDFTOPPM"
PREVIEW_DPI = 110
PRINT_DPI = 300


class RenderError(Exception):
    """pdftoppm failed; the message is its own (English) output."""


class RenderCancelled(Exception):
    pass


def renderer() -> str | None:
    """The pdftoppm executable, or None when there is none."""
    configured = os.environ.get(ENV_RENDERER)
    if configured and Path(configured).is_file():
        return configured
    found = shutil.which("pdftoppm")
    if found:
        return found
    bundle = getattr(sys, "_MEIPASS", None)  # a packaged build may carry poppler
    if bundle:
        for name in ("pdftoppm.exe", "pdftoppm"):
            candidate = Path(bundle) / "poppler" / name
            if candidate.is_file():
                return str(candidate)
    return None


def rasterise(
    pdf: str | Path,
    folder: str | Path,
    *,
    dpi: int = PREVIEW_DPI,
    prefix: str = "page",
    first: int | None = None,
    last: int | None = None,
    expected: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """Render pages `first`…`last` (1-based, inclusive; default all) of `pdf` to PNG files
    in `folder`, in page order. `progress(done, expected)` follows the files appearing."""
    exe = renderer()
    if exe is None:
        raise RenderError("pdftoppm is not installed")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{prefix}-*.png"):
        old.unlink()
    args = [exe, "-r", str(dpi), "-png"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    args += [str(pdf), str(out / prefix)]
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window on Windows
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, creationflags=flags
    )
    total = expected or 0
    try:
        while proc.poll() is None:
            if cancelled is not None and cancelled():
                proc.kill()
                proc.wait()
                raise RenderCancelled()
            if progress is not None and total:
                # a file is complete once the next one has been started
                done = max(len(list(out.glob(f"{prefix}-*.png"))) - 1, 0)
                progress(min(done, total), total)
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    if proc.returncode != 0:
        raise RenderError(stderr.strip() or f"pdftoppm exited with {proc.returncode}")
    pages = sorted(out.glob(f"{prefix}-*.png"), key=_page_number)
    if progress is not None:
        progress(len(pages), len(pages))
    return pages


def _page_number(path: Path) -> int:
    # pdftoppm pads the number to the width of the page count: page-01.png … page-12.png
    try:
        return int(path.stem.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return 0
