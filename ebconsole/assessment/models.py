"""Assessments (append-only history per incident) and versioned policy documents."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ebconsole.db.base import Audited, Base, IdMixin
from ebconsole.incidents.enums import Severity
from ebconsole.timeutil import utcnow


class Assessment(IdMixin, Audited, Base):
    """One grading decision. A re-assessment adds a row; the incident keeps the latest level."""

    __tablename__ = "assessment"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"), index=True)
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)
    criteria: Mapped[dict[str, Any]]
    computed_level: Mapped[Severity]
    final_level: Mapped[Severity]
    override_reason: Mapped[str | None] = mapped_column(Text)
    # the rules that produced computed_level, as they read at the time (the "why")
    triggers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notified: Mapped[list[str]] = mapped_column(default=list)
    decision_note: Mapped[str | None] = mapped_column(Text)
    assessor_name: Mapped[str] = mapped_column(String(80))
    assessor_user_id: Mapped[uuid.UUID | None]
    policy_revision: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def overridden(self) -> bool:
        return self.final_level is not self.computed_level


class PolicyRevision(IdMixin, Audited, Base):
    """One saved version of an editable policy (grading or obligations). Append-only: the
    current policy is the highest revision, and an assessment names the one it used."""

    __tablename__ = "policy_revision"
    __table_args__ = (UniqueConstraint("name", "revision"),)

    name: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int]
    document: Mapped[dict[str, Any]]
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
