"""Short texts for deadlines that move with the clock ("overdue 2 h 05 min", "in 3 days")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ebconsole.i18n import _
from ebconsole.timeutil import to_local


def duration_text(delta: timedelta) -> str:
    """A positive duration: "12 d", "2 d 4 h", "2 h 05 min", "12 min"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days >= 3:  # long overdue: the hours no longer matter
        return _("{days} d").format(days=days)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes:02d} min").format(hours=hours, minutes=mins)
    return _("{minutes} min").format(minutes=mins)


def due_in_text(due: datetime, now: datetime) -> str:
    """How far a deadline is from now: "overdue 2 h 05 min" or "in 45 min"."""
    if due < now:
        return _("overdue {duration}").format(duration=duration_text(now - due))
    return _("in {duration}").format(duration=duration_text(due - now))


def days_text(due: date, today: date) -> str:
    """How far a due day is from today: "overdue 3 days", "due today", "in 12 days"."""
    days = (due - today).days
    if days < 0:
        return _("overdue {days} days").format(days=-days)
    if days == 0:
        return _("due today")
    return _("in {days} days").format(days=days)


def short_time(value: datetime, now: datetime) -> str:
    """A local time, without the date when it is today ("14:30", "06-12 08:00")."""
    local, local_now = to_local(value), to_local(now)
    if local.date() == local_now.date():
        return local.strftime("%H:%M")
    if local.year == local_now.year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
