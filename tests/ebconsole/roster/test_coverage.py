"""The gap arithmetic on its own: whatever the shifts, gaps and covered time add up to
the whole window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from ebconsole.roster.coverage import uncovered

T0 = datetime(2026, 5, 1, tzinfo=UTC)
minutes = st.integers(min_value=-600, max_value=3000)
periods = st.lists(st.tuples(minutes, st.integers(min_value=1, max_value=1440)), max_size=12)


def _covered(spans, start, end):
    """Covered minutes of [start, end), counted minute by minute."""
    return sum(1 for m in range(start, end) if any(a <= m < a + d for a, d in spans))


@given(periods, minutes, st.integers(min_value=0, max_value=2880))
def test_gaps_plus_covered_time_is_the_whole_window(spans, start, length):
    end = start + length
    at = lambda m: T0 + timedelta(minutes=m)  # noqa: E731
    gaps = uncovered([(at(a), at(a + d)) for a, d in spans], at(start), at(end))
    gap_minutes = sum((g_end - g_start) // timedelta(minutes=1) for g_start, g_end in gaps)
    assert gap_minutes + _covered(spans, start, end) == length
    for (_s1, e1), (s2, _e2) in pairwise(gaps):
        assert e1 < s2  # ordered, apart, never empty
    for g_start, g_end in gaps:
        assert at(start) <= g_start < g_end <= at(end)
        assert not any(at(a) < g_end and g_start < at(a + d) for a, d in spans)


def test_back_to_back_shifts_leave_no_gap():
    at = lambda h: T0 + timedelta(hours=h)  # noqa: E731
    assert uncovered([(at(8), at(20)), (at(20), at(32))], at(8), at(32)) == []
    assert uncovered([(at(8), at(20))], at(0), at(24)) == [(at(0), at(8)), (at(20), at(24))]
    assert uncovered([], at(0), at(1)) == [(at(0), at(1))]
    assert uncovered([(at(0), at(5))], at(1), at(1)) == []
