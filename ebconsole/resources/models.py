"""The inventory of reserves, each with a check interval, and the history of checks."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ebconsole.db.base import Audited, Base, IdMixin, Record
from ebconsole.resources.enums import ResourceKind, ResourceStatus
from ebconsole.timeutil import utcnow


class ResourceKindSetting(Record, Base):
    """Per kind, the check interval new items get (loaded from resources/plan)."""

    __tablename__ = "resource_kind"

    kind: Mapped[ResourceKind] = mapped_column(unique=True)
    position: Mapped[int] = mapped_column(default=0)
    default_check_days: Mapped[int]


class Resource(Record, Base):
    __tablename__ = "resource_item"

    kind: Mapped[ResourceKind] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(default=1)
    unit: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ResourceStatus] = mapped_column(default=ResourceStatus.READY)
    contact_name: Mapped[str | None] = mapped_column(String(80))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    check_interval_days: Mapped[int]
    last_checked_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)

    checks: Mapped[list[ResourceCheck]] = relationship(
        back_populates="resource", order_by="ResourceCheck.checked_at"
    )

    @property
    def next_check_due(self) -> datetime | None:
        """When the next check falls due; None if it was never checked (due at once)."""
        if self.last_checked_at is None:
            return None
        return self.last_checked_at + timedelta(days=self.check_interval_days)

    def is_overdue(self, now: datetime | None = None) -> bool:
        due = self.next_check_due
        return due is None or due < (now or utcnow())


class ResourceCheck(IdMixin, Audited, Base):
    """One inspection of a reserve: who, when, the state found. Append-only."""

    __tablename__ = "resource_check"

    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resource_item.id"), index=True)
    checked_at: Mapped[datetime]
    checked_by: Mapped[str] = mapped_column(String(80))
    checked_by_user_id: Mapped[uuid.UUID | None]
    result: Mapped[ResourceStatus]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship(back_populates="checks")


class IncidentResourceUse(IdMixin, Audited, Base):
    """One use of a reserve for an incident: which item, when, by whom, how many. Append-only.

    A wrong entry is not edited: a further entry with a note says what was meant.
    """

    __tablename__ = "incident_resource_use"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"), index=True)
    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resource_item.id"), index=True)
    used_at: Mapped[datetime]
    used_by: Mapped[str] = mapped_column(String(80))
    used_by_user_id: Mapped[uuid.UUID | None]
    quantity: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship()
