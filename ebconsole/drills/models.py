"""Training and drill plans, and the record of each session held."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ebconsole.db.base import Base, Record
from ebconsole.drills.enums import ExerciseKind, Method, Rating, Scenario


class ExercisePlan(Record, Base):
    """A training plan (培训计划) or a drill plan (演练计划), repeated every `cycle_months`."""

    __tablename__ = "exercise_plan"

    code: Mapped[str | None] = mapped_column(String(40), unique=True)  # set on default plans
    kind: Mapped[ExerciseKind]
    title: Mapped[str] = mapped_column(String(200))
    audiences: Mapped[list[str]] = mapped_column(default=list)  # Audience values
    content: Mapped[str | None] = mapped_column(Text)
    method: Mapped[Method]
    scenario: Mapped[Scenario | None]
    cycle_months: Mapped[int] = mapped_column(default=12)

    records: Mapped[list[ExerciseRecord]] = relationship(
        back_populates="plan", order_by="ExerciseRecord.held_on"
    )


class ExerciseRecord(Record, Base):
    """One training session or drill held, with its evaluation and findings."""

    __tablename__ = "exercise_record"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exercise_plan.id"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    method: Mapped[Method]
    scenario: Mapped[Scenario | None]
    participants: Mapped[list[str]] = mapped_column(default=list)  # names
    participant_count: Mapped[int] = mapped_column(default=0)
    duration_minutes: Mapped[int | None]
    score: Mapped[int | None]  # 0–100
    rating: Mapped[Rating | None]
    evaluation: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[list[str]] = mapped_column(default=list)

    plan: Mapped[ExercisePlan] = relationship(back_populates="records", lazy="joined")

    @property
    def kind(self) -> ExerciseKind:
        return self.plan.kind
