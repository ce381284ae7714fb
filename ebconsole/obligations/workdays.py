"""Chinese working days: weekends, public holidays and the make-up working days
(调休) announced each year by the State Council, via the `chinese_calendar` package.

How a deadline of "n working days" is counted (as 《民法典》 arts. 201 and 203 count
periods): the day of the event is not counted; counting starts with the next day; the
deadline is the *end* (23:59:59 local time) of the n-th working day.

`chinese_calendar` only knows the years whose holidays have been published (it raises
NotImplementedError for others). For such a day we fall back to Monday–Friday and say so:
the result carries `estimated=True`, which the console shows next to the deadline.
Keep the package up to date each December when the next year's holidays are announced.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import chinese_calendar

from ebconsole.timeutil import as_utc

CHINA = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)
MAX_WORKING_DAYS = 366


class Deadline(NamedTuple):
    due: datetime  # aware UTC
    estimated: bool  # some day was judged Mon–Fri only: the holiday data lacked its year


@cache
def known_years() -> tuple[int, int]:
    """First and last year whose holidays the installed package knows."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def calendar_knows(day: date) -> bool:
    first, last = known_years()
    return first <= day.year <= last


def is_working_day(day: date) -> bool:
    """A Chinese working day; outside the known years, Monday to Friday."""
    if calendar_knows(day):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def working_day_deadline(start: datetime, n: int, zone: tzinfo = CHINA) -> Deadline:
    """The end of the n-th working day after `start`'s day (in `zone`).

    n = 0 means the end of `start`'s own day if it is a working day, otherwise of the
    next working day. A naive `start` is read in `zone`.
    """
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise ValueError(f"n must be between 0 and {MAX_WORKING_DAYS}")
    local = as_utc(start, zone).astimezone(zone)
    day = local.date()
    estimated = n == 0 and not calendar_knows(day)
    if n == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
            estimated |= not calendar_knows(day)
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        estimated |= not calendar_knows(day)
        if is_working_day(day):
            counted += 1
    due = datetime.combine(day, END_OF_DAY, tzinfo=zone)
    return Deadline(as_utc(due), estimated)


def add_working_days(start: datetime, n: int, zone: tzinfo = CHINA) -> datetime:
    """`working_day_deadline(...).due`: the end of the n-th working day after `start`."""
    return working_day_deadline(start, n, zone).due
