"""Plain read-only views of the roster for the UI (safe across threads)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from ebconsole.roster.coverage import Period
from ebconsole.roster.enums import DutyRole


@dataclass(frozen=True)
class ShiftView:
    id: uuid.UUID
    person_name: str
    person_phone: str | None
    role: DutyRole
    starts_at: datetime
    ends_at: datetime
    note: str | None


@dataclass(frozen=True)
class RosterDay:
    """One local calendar day: its window in UTC, the shifts touching it and its gaps."""

    day: date
    starts_at: datetime
    ends_at: datetime
    shifts: tuple[ShiftView, ...]
    gaps: tuple[Period, ...]

    @property
    def covered(self) -> bool:
        return not self.gaps
