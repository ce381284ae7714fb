"""Working days across real Chinese holidays (国务院办公厅 holiday notices via chinese_calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from ebconsole.obligations.workdays import (
    CHINA,
    add_working_days,
    is_working_day,
    known_years,
    working_day_deadline,
)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def test_national_day_2025_with_its_make_up_saturday():
    # restored Tue 30 Sep 2025; 1–8 Oct are holidays; Sat 11 Oct is a make-up working day:
    # 9 Oct (1), 10 Oct (2), Sat 11 Oct (3), 13 Oct (4), 14 Oct (5)
    due = add_working_days(local("2025-09-30T16:20"), 5, CHINA)
    assert due.astimezone(CHINA) == local("2025-10-14T23:59:59")
    assert due.tzinfo is UTC


def test_the_make_up_days_around_national_day_2025_are_working_days():
    assert is_working_day(date(2025, 9, 28))  # Sunday, worked
    assert is_working_day(date(2025, 10, 11))  # Saturday, worked
    assert not is_working_day(date(2025, 10, 1))
    assert not is_working_day(date(2025, 10, 8))


def test_spring_festival_2025():
    # restored on Sat 25 Jan; Sun 26 Jan is a make-up working day (1); 27 Jan (2);
    # 28 Jan – 4 Feb holidays; Sat 8 Feb is a make-up working day
    deadline = working_day_deadline(local("2025-01-25T10:00"), 5, CHINA)
    # 26 Jan (1), 27 Jan (2), 5 Feb (3), 6 Feb (4), 7 Feb (5)
    assert deadline.due.astimezone(CHINA) == local("2025-02-07T23:59:59")
    assert not deadline.estimated


def test_late_evening_utc_is_counted_on_the_chinese_day():
    # 2025-09-30T17:30Z is already 1 Oct 01:30 in Beijing: counting starts on 2 Oct
    start = datetime(2025, 9, 30, 17, 30, tzinfo=UTC)
    assert add_working_days(start, 1, CHINA).astimezone(CHINA) == local("2025-10-09T23:59:59")


def test_zero_days_is_the_end_of_the_same_or_next_working_day():
    assert add_working_days(local("2025-10-09T08:00"), 0).astimezone(CHINA) == local(
        "2025-10-09T23:59:59"
    )
    assert add_working_days(local("2025-10-04T08:00"), 0).astimezone(CHINA) == local(
        "2025-10-09T23:59:59"
    )


def test_beyond_the_known_years_it_counts_monday_to_friday_and_says_so():
    last = known_years()[1]
    friday = next(date(last + 1, 1, d) for d in range(1, 8) if date(last + 1, 1, d).weekday() == 4)
    deadline = working_day_deadline(local(f"{friday.isoformat()}T09:00"), 1, CHINA)
    assert deadline.estimated
    assert deadline.due.astimezone(CHINA).date().weekday() == 0  # the next Monday
    assert not working_day_deadline(local("2025-06-03T09:00"), 1, CHINA).estimated


@given(day=st.dates(min_value=date(2010, 1, 1), max_value=date(2035, 12, 31)), n=st.integers(1, 30))
def test_the_deadline_is_a_working_day_after_the_start(day, n):
    start = datetime(day.year, day.month, day.day, 12, tzinfo=CHINA)
    due = add_working_days(start, n, CHINA).astimezone(CHINA)
    assert due.date() > day
    assert is_working_day(due.date())
    assert add_working_days(start, n + 1, CHINA) > add_working_days(start, n, CHINA)
