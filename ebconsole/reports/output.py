"""Writing a report file: atomically, with progress, and what the caller gets back."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ebconsole.durable import fsync_dir
from ebconsole.errors import EbError
from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_messages

Progress = Callable[[int, int], None]
"""`progress(done, total)`; may raise (e.g. the user cancelled) to stop the build, and
then nothing is written."""

register_messages(
    {
        "report_write_failed": N_("cannot write the report to '{path}': {detail}"),
        "report_file_in_use": N_(
            "cannot replace '{path}': the file is open in another program; close it and try again"
        ),
    }
)


# Read once at import (changing the umask is process-wide, so not done while threads run).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class ReportWriteError(EbError):
    """The PDF could not be written; any earlier file at the path is unchanged."""


@dataclass(frozen=True)
class BuildResult:
    path: Path
    pages: int
    embedded_font: bool
    font_hint: str  # translated; "" when the Chinese font is embedded and all is well
    report_id: str


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temporary file next to `path`; on success it replaces `path` in one step.

    A crash or an exception leaves any earlier file at `path` untouched and no temp file
    behind, so a reader never sees half a PDF.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ReportWriteError.one(
            "report_write_failed", path=str(target), detail=exc.strerror or str(exc)
        ) from exc
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); a report gets the usual permissions
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, target)
        except PermissionError as exc:  # Windows: the old PDF is open in a viewer
            raise ReportWriteError.one("report_file_in_use", path=str(target)) from exc
        except OSError as exc:
            raise ReportWriteError.one(
                "report_write_failed", path=str(target), detail=exc.strerror or str(exc)
            ) from exc
        fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class ProgressMeter:
    """Maps the build onto one `progress(done, total)` scale of 0–100.

    Layout 0–90 (by top-level blocks placed; the document is laid out once), the file
    written 90–99, file replaced → 100. Never goes back.
    """

    TOTAL = 100

    def __init__(self, progress: Progress | None):
        self._progress = progress
        self._done = -1

    def report(self, done: int) -> None:
        done = max(0, min(self.TOTAL, done))
        if self._progress is not None and done > self._done:
            self._done = done
            self._progress(done, self.TOTAL)

    def layout(self, handled: int, total: int) -> None:
        self.report(90 * handled // max(total, 1))

    def output(self, done: int, total: int) -> None:
        self.report(90 + 9 * done // max(total, 1))

    def finished(self) -> None:
        self.report(self.TOTAL)
