"""Files a test run builds once and every xdist worker (and both phases of
scripts/test.sh) reuses: the migrated test world, say. Tests copy them before writing.

Where they live: $EBCONSOLE_TEST_CACHE when set (scripts/test.sh makes a new folder per
run and removes it afterwards, so both phases share it); else, under xdist, the run's
own temporary root (shared by its workers, new for each run); else this session's
temporary folder (nothing shared). Never a folder that outlives the run: a file built
with an older schema or world could otherwise be reused.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest


def _folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = os.environ.get("EBCONSOLE_TEST_CACHE")
    if cache:
        return Path(cache)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return tmp_path_factory.getbasetemp().parent / "shared"
    return tmp_path_factory.getbasetemp() / "shared"


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The file `name`, made by `build(path)` by the first process of the run that asks;
    the others wait for it (a lock) and then reuse it. `build` must leave a complete
    file (SQLite: every connection closed, so the WAL is checkpointed into it)."""
    folder = _folder(tmp_path_factory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.is_file():
            work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=folder))
            try:
                build(work / name)
                (work / name).rename(path)  # complete, or not there at all
            finally:
                shutil.rmtree(work, ignore_errors=True)
    return path
