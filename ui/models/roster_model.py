"""The duty roster of one week (24小时值班制度): every shift in time order with the gaps
nobody covers between them. Gaps are red rows; the shifts running now are green and bold.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt
from sqlalchemy.orm import Session

from ebconsole.i18n import N_, _, current_language
from ebconsole.organisation import service as organisation
from ebconsole.roster import service as roster
from ebconsole.roster.enums import DUTY_ROLE_LABELS, DutyRole
from ebconsole.timeutil import local_zone, to_local, utcnow
from ui import icons
from ui.plan.table import ALERT, ALERT_BACKGROUND, ALERT_ROLE, OK_BACKGROUND, RowsModel, bold

WEEKDAYS = (
    N_("Mon"),
    N_("Tue"),
    N_("Wed"),
    N_("Thu"),
    N_("Fri"),
    N_("Sat"),
    N_("Sun"),
)


def weekday_text(day: date) -> str:
    return _(WEEKDAYS[day.weekday()])


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def role_text(role: DutyRole | None) -> str:
    return _(DUTY_ROLE_LABELS[role]) if role is not None else "—"


@dataclass(frozen=True)
class RosterRow:
    """A shift, or a gap (`shift_id` None) nobody covers."""

    shift_id: uuid.UUID | None
    starts_at: datetime
    ends_at: datetime
    role: DutyRole | None = None
    person_name: str = ""
    person_phone: str | None = None
    note: str | None = None
    member_id: uuid.UUID | None = None
    version: int = 0

    @property
    def id(self) -> uuid.UUID | None:
        return self.shift_id

    @property
    def is_gap(self) -> bool:
        return self.shift_id is None

    def running(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


@dataclass(frozen=True)
class DayCover:
    day: date
    shifts: int
    gap_hours: float

    @property
    def covered(self) -> bool:
        return self.gap_hours == 0


@dataclass(frozen=True)
class MemberChoice:
    """A group member who may be put on duty."""

    id: uuid.UUID
    name: str
    phone: str | None
    group: str


@dataclass(frozen=True)
class Week:
    start: date
    now: datetime
    days: tuple[DayCover, ...]
    rows: tuple[RosterRow, ...]  # shifts and gaps in time order
    on_duty: tuple[RosterRow, ...]  # the shifts running now
    next_shift: RosterRow | None  # the next shift to start, when nobody is on duty
    members: tuple[MemberChoice, ...]


def _row(s: Any) -> RosterRow:
    return RosterRow(
        shift_id=s.id,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        role=s.role,
        person_name=s.person_name,
        person_phone=s.person_phone,
        note=s.note,
        member_id=s.member_id,
        version=s.version,
    )


def week_loader(start: date) -> Callable[[Session], Week]:
    """A read of the week from Monday `start` (local days), for `ctx.read`."""

    def load(session: Session) -> Week:
        now = utcnow()
        days = roster.week(start, local_zone(), session=session)
        lo, hi = days[0].starts_at, days[-1].ends_at
        shifts = [_row(s) for s in roster.list_shifts(lo, hi, session=session)]
        gaps = [RosterRow(None, a, b) for a, b in roster.gaps(lo, hi, session=session)]
        rows = sorted(shifts + gaps, key=lambda r: (r.starts_at, r.is_gap, r.ends_at))
        covers = tuple(
            DayCover(
                d.day,
                len(d.shifts),
                sum((b - a).total_seconds() for a, b in d.gaps) / 3600,
            )
            for d in days
        )
        on_duty = tuple(_row(s) for s in roster.on_duty(now, session=session))
        next_shift = None
        if not on_duty:
            upcoming = roster.list_shifts(now, now + timedelta(days=7), session=session)
            later = [s for s in upcoming if s.starts_at > now]
            next_shift = _row(later[0]) if later else None
        lang = current_language()
        groups = {g.id: g.name(lang) for g in organisation.list_groups(session=session)}
        members = tuple(
            MemberChoice(
                m.id,
                m.name,
                m.mobile_phone or m.office_phone,
                groups.get(m.group_id, ""),
            )
            for m in organisation.list_members(session=session)
        )
        return Week(start, now, covers, tuple(rows), on_duty, next_shift, members)

    return load


def time_range_text(starts_at: datetime, ends_at: datetime) -> str:
    a, b = to_local(starts_at), to_local(ends_at)
    if b.date() == a.date():
        return f"{a:%H:%M} – {b:%H:%M}"
    if b.date() == a.date() + timedelta(days=1):
        return _("{start} – next day {end}").format(start=f"{a:%H:%M}", end=f"{b:%H:%M}")
    return f"{a:%H:%M} – {b:%m-%d %H:%M}"


class RosterModel(RowsModel[RosterRow]):
    DAY, TIME, ROLE, PERSON, PHONE, NOTE = range(6)
    COLUMNS = (
        N_("Day"),
        N_("Time"),
        N_("Duty role"),
        N_("Person on duty"),
        N_("Phone"),
        N_("Note"),
    )

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.now = utcnow()

    def set_week(self, week: Week) -> None:
        self.now = week.now
        self.set_rows(week.rows)

    def cell(self, row: RosterRow, column: int, role: int) -> Any:
        running = not row.is_gap and row.running(self.now)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ALERT_ROLE:
            return row.is_gap
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.is_gap:
                return ALERT_BACKGROUND
            if running:
                return OK_BACKGROUND
            return None
        if role == Qt.ItemDataRole.ForegroundRole and row.is_gap:
            return ALERT
        if role == Qt.ItemDataRole.FontRole and (running or (row.is_gap and column == self.PERSON)):
            return bold()
        if role == Qt.ItemDataRole.DecorationRole and column == self.PERSON:
            if row.is_gap:
                return icons.icon("overdue", ALERT.name())
            if running:
                return icons.icon("duty")
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.is_gap:
                return _("Nobody is on duty in this period.")
            if running:
                return _("On duty now")
            return row.note or None
        return None

    def _display(self, row: RosterRow, column: int) -> str:
        start = to_local(row.starts_at)
        if column == self.DAY:
            return f"{weekday_text(start.date())} {start:%m-%d}"
        if column == self.TIME:
            return time_range_text(row.starts_at, row.ends_at)
        if row.is_gap:
            if column == self.PERSON:
                hours = (row.ends_at - row.starts_at).total_seconds() / 3600
                return _("Nobody on duty ({hours} h)").format(hours=f"{hours:g}")
            return ""
        if column == self.ROLE:
            return role_text(row.role)
        if column == self.PERSON:
            return row.person_name
        if column == self.PHONE:
            return row.person_phone or ""
        if column == self.NOTE:
            return row.note or ""
        return ""
