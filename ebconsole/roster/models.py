"""Duty shifts: who is on duty, in which role, from when to when (UTC)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ebconsole.db.base import Base, Record
from ebconsole.roster.enums import DutyRole


class DutyShift(Record, Base):
    """One shift. The person is a group member or a user account, or just a name; the
    name and phone are copied so the roster still reads right if the source changes."""

    __tablename__ = "duty_shift"
    __table_args__ = (Index("ix_duty_shift_period", "starts_at", "ends_at"),)

    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("group_member.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    person_name: Mapped[str] = mapped_column(String(80))
    person_phone: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[DutyRole] = mapped_column(default=DutyRole.DUTY_OFFICER)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
