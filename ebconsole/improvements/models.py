"""Improvement actions from incident reviews, drills, trainings and plan reviews."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ebconsole.db.base import Base, Record
from ebconsole.improvements.enums import PENDING_STATUSES, ActionStatus, SourceKind


class ImprovementAction(Record, Base):
    __tablename__ = "improvement_action"
    __table_args__ = (Index("ix_improvement_action_source", "source_id", "source_item"),)

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    source_kind: Mapped[SourceKind]
    source_id: Mapped[uuid.UUID | None]  # the incident, drill record … it came from
    source_item: Mapped[int | None]  # e.g. which finding of the drill record (0-based)
    source_ref: Mapped[str | None] = mapped_column(String(200))
    owner_name: Mapped[str] = mapped_column(String(80))
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(default=ActionStatus.OPEN, index=True)
    done_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(Text)

    def is_overdue(self, today: date) -> bool:
        return self.status in PENDING_STATUSES and self.due_date < today
