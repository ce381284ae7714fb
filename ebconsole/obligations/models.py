"""One row per incident and kind of obligation; `sync_for_incident` keeps them current."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ebconsole.db.base import Base, Record
from ebconsole.incidents.models import Incident
from ebconsole.obligations.enums import ObligationKind, ObligationState
from ebconsole.timeutil import utcnow


class Obligation(Record, Base):
    """A deadline for one incident. Never deleted: one that no longer applies is archived,
    one that is done stays as it was done."""

    __tablename__ = "obligation"
    __table_args__ = (
        # one per kind and incident, so no concurrent sync can duplicate it
        UniqueConstraint("incident_id", "kind"),
        Index("ix_obligation_open_due", "done_at", "due_at"),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    kind: Mapped[ObligationKind]
    due_at: Mapped[datetime]
    # from when the deadline counts as "due soon" (due_at minus the policy's warning time)
    remind_at: Mapped[datetime]
    # True when working days were counted Mon–Fri: the holiday calendar lacked the year
    due_estimated: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)

    incident: Mapped[Incident] = relationship()

    def state_at(self, now: datetime) -> ObligationState:
        if self.done_at is not None:
            return (
                ObligationState.DONE if self.done_at <= self.due_at else ObligationState.DONE_LATE
            )
        if now > self.due_at:
            return ObligationState.OVERDUE
        if now >= self.remind_at:
            return ObligationState.DUE_SOON
        return ObligationState.PENDING

    @property
    def state(self) -> ObligationState:
        return self.state_at(utcnow())
