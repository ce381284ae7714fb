"""Pure interval arithmetic for the roster: which parts of a window nobody covers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

Period = tuple[datetime, datetime]


def uncovered(periods: Iterable[Period], start: datetime, end: datetime) -> list[Period]:
    """The parts of [start, end) that no period covers, in order. Periods are half-open,
    so a shift ending at 08:00 and the next starting at 08:00 leave no gap."""
    gaps: list[Period] = []
    cursor = start
    for p_start, p_end in sorted(periods):
        if cursor >= end or p_start >= end:
            break
        if p_end <= cursor:
            continue
        if p_start > cursor:
            gaps.append((cursor, p_start))
        cursor = p_end
    if cursor < end:
        gaps.append((cursor, end))
    return gaps
