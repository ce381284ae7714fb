"""Python's cyclic garbage collector rests while a bulk job runs.

A bundle import parses and writes hundreds of thousands of rows, allocating millions of
small containers. The automatic collector starts a pass every 700 allocations and a full
pass every hundred or so of those, and each full pass walks everything still alive: the
whole parsed bundle. At 10 000 incidents that was 12–15 % of the job's CPU and freed
nothing, since the rows are alive until the job ends. Reference counting still frees
what is not in a cycle; cycles made meanwhile wait for the next collection.

The console keeps automatic collection off and collects on the UI thread between events
(`ui.gc_guard`); it asks `resting()` and skips those collections while a job runs.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_jobs = 0
_was_enabled = False


@contextmanager
def collector_resting() -> Iterator[None]:
    """No automatic collection until the last bulk job running (on any thread) ends;
    automatic collection is then switched back on only if it was on before the first."""
    global _jobs, _was_enabled
    with _lock:
        if _jobs == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _jobs += 1
    try:
        yield
    finally:
        with _lock:
            _jobs -= 1
            if _jobs == 0 and _was_enabled:
                gc.enable()


def resting() -> bool:
    """Whether a bulk job has the collector resting (the console skips its collections)."""
    return _jobs > 0
