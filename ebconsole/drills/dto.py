"""Compliance views of training and drills (plain, safe across threads)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from ebconsole.drills.enums import ExerciseKind


@dataclass(frozen=True)
class PlanCompliance:
    """Where one plan stands: when it was last held, when it is next due."""

    plan_id: uuid.UUID
    title: str
    kind: ExerciseKind
    cycle_months: int
    last_held: date | None
    next_due: date
    overdue: bool
    held_in_year: int


@dataclass(frozen=True)
class YearlyCompliance:
    """The plan's rule: at least one training and one drill every year (每年至少一次)."""

    year: int
    trainings: tuple[date, ...]
    drills: tuple[date, ...]

    @property
    def training_ok(self) -> bool:
        return bool(self.trainings)

    @property
    def drill_ok(self) -> bool:
        return bool(self.drills)

    @property
    def ok(self) -> bool:
        return self.training_ok and self.drill_ok
