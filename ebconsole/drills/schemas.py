"""Input objects. In an `…Update`, only the fields that were set are applied; setting an
optional field to None clears it."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict

from ebconsole.drills.enums import Audience, ExerciseKind, Method, Rating, Scenario


class PlanCreate(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ExerciseKind
    title: str
    audiences: list[Audience]
    method: Method
    content: str | None = None
    scenario: Scenario | None = None  # required for a drill
    cycle_months: int = 12  # the plan asks for at least once a year


class PlanUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str | None = None
    audiences: list[Audience] | None = None
    method: Method | None = None
    content: str | None = None
    scenario: Scenario | None = None
    cycle_months: int | None = None
    version: int | None = None


class RecordCreate(BaseModel):
    model_config = ConfigDict(frozen=True)

    plan_id: uuid.UUID
    held_on: date
    method: Method | None = None  # None: the plan's
    scenario: Scenario | None = None  # None: the plan's
    participants: list[str] = []
    participant_count: int | None = None  # None: the number of names
    duration_minutes: int | None = None
    score: int | None = None
    rating: Rating | None = None
    evaluation: str | None = None
    findings: list[str] = []


class RecordUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    held_on: date | None = None
    method: Method | None = None
    scenario: Scenario | None = None
    participants: list[str] | None = None
    participant_count: int | None = None
    duration_minutes: int | None = None
    score: int | None = None
    rating: Rating | None = None
    evaluation: str | None = None
    findings: list[str] | None = None
    version: int | None = None
